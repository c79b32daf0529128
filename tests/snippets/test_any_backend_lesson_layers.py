"""Tests for snippets/any_backend_lesson_layers.py, on every backend it is run under."""

import keras
import numpy as np
import pytest

from tests.snippets.any_backend import imported_modules
from tests.snippets.layer_contract import check_layer_contract

if keras.__version__.startswith("2"):
    pytest.skip("keras.ops is Keras 3's: the any-backend tab is not for Keras 2", allow_module_level=True)

from snippets.any_backend_lesson_layers import Dense, DenseWithInputDim, MyModel, MyReLU, my_relu
from tests.snippets.dense_relu_dense import assert_computes_dense_relu_dense


def test_imports_no_tensorflow():
    assert "tensorflow" not in imported_modules("any_backend_lesson_layers")


def test_keras_layer_contract_mixed_precision_included():
    check_layer_contract(Dense, {"units": 3}, (2, 5), (2, 3), higher_rank_shape=(2, 4, 5))
    check_layer_contract(MyReLU, {}, (2, 3), (2, 3), higher_rank_shape=(2, 4, 3))


def test_dense_relu_dense_matches_numpy():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 5)).astype("float32")
    first, second = Dense(4), Dense(2)
    model = keras.Sequential([keras.Input((5,)), first, MyReLU(), second])
    weights = [rng.normal(size=tuple(w.shape)).astype("float32") for w in model.weights]  # biases not zero
    model.set_weights(weights)
    w1, b1, w2, b2 = weights
    hidden = x @ w1 + b1
    assert (hidden < 0).any(), "the data must exercise the ReLU"
    expected = np.maximum(hidden, 0) @ w2 + b2
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)


def test_weights_are_named_and_start_small():
    layer = Dense(64)
    layer.build((None, 784))
    assert [w.name for w in layer.weights] == ["w", "b"]
    w = keras.ops.convert_to_numpy(layer.w)
    assert w.std() == pytest.approx(0.05, rel=0.1) and not np.any(keras.ops.convert_to_numpy(layer.b))


def test_model_is_dense_relu_dense():
    """The any-backend tab's step-1 model: Keras's Dense layers around ops.relu."""
    keras.utils.set_random_seed(0)
    model = MyModel(num_classes=3)
    x = np.random.default_rng(1).uniform(0.0, 1.0, size=(16, 784)).astype("float32")
    assert keras.ops.convert_to_numpy(model(x)).shape == (16, 3)
    assert {type(layer) for layer in model.layers} == {keras.layers.Dense}
    assert [tuple(w.shape) for w in model.trainable_weights] == [(784, 64), (64,), (64, 3), (3,)]
    assert_computes_dense_relu_dense(model, x)


def test_eager_version_creates_its_weights_in_the_constructor():
    layer = DenseWithInputDim(3, 5)
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [("w", (5, 3)), ("b", (3,))]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 5)).astype("float32")
    w, b = rng.normal(size=(5, 3)).astype("float32"), rng.normal(size=(3,)).astype("float32")
    layer.set_weights([w, b])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), x @ w + b, rtol=1e-5, atol=1e-5)


def test_relu_function_matches_the_layer():
    x = np.array([[-2.0, -0.5, 0.0, 1.5]], dtype="float32")
    expected = np.maximum(x, 0.0)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(my_relu(x)), expected)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(MyReLU()(x)), expected)
