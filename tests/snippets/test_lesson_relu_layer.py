"""Step 4 of the lesson: ReLU written by hand, as a layer and as a function."""

import numpy as np
import tensorflow as tf

from snippets.lesson_relu_layer import MyReLU, my_relu, relu_demo
from tests.snippets.layer_contract import check_layer_contract


def _points_away_from_zero():
    """Random values of both signs, none closer than 0.1 to 0 (no kink ambiguity)."""
    rng = np.random.default_rng(0)
    x = rng.uniform(0.1, 5.0, size=(8, 16)) * rng.choice([-1.0, 1.0], size=(8, 16))
    x = x.astype("float32")
    assert (x > 0).any() and (x < 0).any()
    return tf.constant(x)


def _value_and_gradient(fn, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return np.asarray(y), np.asarray(tape.gradient(y, x))


def test_matches_tf_nn_relu_including_gradient():
    """Both the layer and the function version, values and slopes."""
    x = _points_away_from_zero()
    x_np = x.numpy()
    expected_y, expected_grad = _value_and_gradient(tf.nn.relu, x)

    for relu in (MyReLU(), my_relu):
        y, grad = _value_and_gradient(relu, x)

        np.testing.assert_array_equal(y, expected_y)
        np.testing.assert_array_equal(grad, expected_grad)
        # Spelled out, independently of tf.nn.relu: x for x > 0, 0 for x < 0;
        # slope 1 for x > 0, 0 for x < 0.
        np.testing.assert_array_equal(y, np.where(x_np > 0, x_np, 0.0))
        np.testing.assert_array_equal(grad, (x_np > 0).astype("float32"))


def test_maximum_against_tf_nn_relu(claim):
    observe = claim("maximum-is-relu")
    away = _points_away_from_zero()
    y, grad = _value_and_gradient(my_relu, away)
    relu_y, relu_grad = _value_and_gradient(tf.nn.relu, away)
    observe.aspect("same_values", holds=np.array_equal(y, relu_y), seen=f"{away.shape[0] * away.shape[1]} points")
    observe.aspect("same_gradient_away_from_zero", holds=np.array_equal(grad, relu_grad),
                   seen=f"{int(np.sum(grad != relu_grad))} differing slopes")
    zero = tf.constant([0.0])
    _, grad_at_zero = _value_and_gradient(my_relu, zero)
    _, relu_grad_at_zero = _value_and_gradient(tf.nn.relu, zero)
    observe.aspect("same_gradient_at_zero", holds=np.array_equal(grad_at_zero, relu_grad_at_zero),
                   seen=f"maximum: {grad_at_zero[0]:g}, relu: {relu_grad_at_zero[0]:g}")


def test_keeps_shape_and_dtype_and_zeroes_tiny_negatives():
    x = tf.constant([[-1e-7, 0.0, 1e-7, -3.0]], dtype="float32")
    for relu in (MyReLU(), my_relu):
        y = relu(x)
        assert tuple(y.shape) == (1, 4)
        assert y.dtype == tf.float32
        np.testing.assert_array_equal(np.asarray(y), np.array([[0.0, 0.0, 1e-7, 0.0]], "float32"))


def test_my_relu_layer_has_no_weights():
    layer = MyReLU()
    layer(tf.ones((2, 3)))
    assert layer.weights == []
    assert layer.trainable_weights == []
    assert layer.count_params() == 0


def test_keras_layer_contract():
    check_layer_contract(MyReLU, {}, (2, 3), (2, 3), higher_rank_shape=(2, 5, 3))


def test_the_pages_check_prints_relu_of_four_values(capsys):
    layer = relu_demo()
    assert capsys.readouterr().out.strip() == str(np.array([[0.0, 0.0, 0.0, 1.5]], dtype="float32"))
    assert isinstance(layer, MyReLU)
