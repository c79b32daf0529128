"""Steps 2 and 3 of the lesson: the hand-made Dense layer, eager then lazy."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets.lesson_dense_layer import Dense, DenseWithInputDim

RTOL, ATOL = 1e-5, 1e-6


def short_name(variable):
    """A weight's own name: Keras 3 gives "w", Keras 2 "dense/w:0"."""
    return variable.name.split("/")[-1].split(":")[0]


def _random_inputs(rows, cols, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, cols)).astype("float32")


def _lesson_layers(units, input_dim):
    """One of each lesson layer, built for `input_dim` inputs."""
    eager = DenseWithInputDim(units, input_dim=input_dim)
    lazy = Dense(units)
    lazy(np.zeros((1, input_dim), dtype="float32"))
    return {"DenseWithInputDim": eager, "Dense": lazy}


def test_matches_keras_dense_with_copied_weights():
    units, input_dim = 3, 5
    x = _random_inputs(4, input_dim)
    rng = np.random.default_rng(1)
    for name, layer in _lesson_layers(units, input_dim).items():
        # Non-zero weights everywhere, the bias included (it starts at zero).
        w = rng.normal(size=(input_dim, units)).astype("float32")
        b = rng.normal(size=(units,)).astype("float32")
        layer.set_weights([w, b])

        reference = keras.layers.Dense(units)
        reference.build((None, input_dim))
        reference.set_weights(layer.get_weights())

        ours = np.asarray(layer(x))
        np.testing.assert_allclose(ours, np.asarray(reference(x)), rtol=RTOL, atol=ATOL, err_msg=name)
        np.testing.assert_allclose(ours, x @ w + b, rtol=RTOL, atol=ATOL, err_msg=name)
        assert ours.shape == (4, units), name


def test_lazy_layer_infers_input_size():
    layer = Dense(3)
    assert layer.built is False
    assert layer.weights == []

    layer(_random_inputs(2, 5))
    assert layer.built is True
    assert tuple(layer.w.shape) == (5, 3)
    assert tuple(layer.b.shape) == (3,)

    # The size comes from the input, not from a value fixed in advance.
    other = Dense(3)
    other(_random_inputs(2, 7))
    assert tuple(other.w.shape) == (7, 3)
    assert tuple(other.b.shape) == (3,)

    # A second call reuses the weights created by the first one.
    w, b = layer.w, layer.b
    layer(_random_inputs(6, 5, seed=1))
    assert layer.w is w
    assert layer.b is b
    assert len(layer.weights) == 2
    assert layer.weights[0] is w and layer.weights[1] is b


def test_eager_layer_rejects_wrong_input_size():
    layer = DenseWithInputDim(3, input_dim=4)
    # The weights exist as soon as the layer is constructed, before any call.
    assert len(layer.weights) == 2
    assert tuple(layer.w.shape) == (4, 3)
    assert tuple(layer.b.shape) == (3,)

    # The right size works...
    assert tuple(layer(_random_inputs(2, 4)).shape) == (2, 3)
    # ...a different one does not.
    with pytest.raises((tf.errors.InvalidArgumentError, ValueError)):
        layer(_random_inputs(2, 5))


@pytest.mark.parametrize("layer_name", ["DenseWithInputDim", "Dense"])
def test_weights_are_named_trainable_and_initialised(layer_name):
    layer = _lesson_layers(64, 784)[layer_name]
    assert [short_name(v) for v in layer.weights] == ["w", "b"]
    assert len(layer.trainable_weights) == 2
    assert layer.non_trainable_weights == []
    assert layer.trainable_weights[0] is layer.w
    assert layer.trainable_weights[1] is layer.b

    np.testing.assert_array_equal(np.asarray(layer.b), np.zeros(64, dtype="float32"))

    # random_normal: mean 0, stddev 0.05, not truncated (glorot_uniform or
    # he_normal would give a similar stddev but a different shape).
    w = np.asarray(layer.w).ravel()
    std = w.std()
    assert 0.03 < std < 0.07
    assert abs(w.mean()) < 0.01
    kurtosis = np.mean((w - w.mean()) ** 4) / std**4
    assert 2.7 < kurtosis < 3.3  # normal: 3; uniform: 1.8; 2-sigma truncated: ~2.2
    assert np.abs(w).max() > 3 * std
    # Two layers do not start from the same weights.
    other = _lesson_layers(64, 784)[layer_name]
    assert not np.array_equal(np.asarray(other.w), np.asarray(layer.w))


# The lesson says a weight needs a name or the model cannot be saved. On
# Keras 3 that is not so: this copy of the lazy Dense names nothing.
@keras.saving.register_keras_serializable(package="lesson_test")
class UnnamedDense(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_unnamed_weights_still_save_and_load(tmp_path):
    inputs = keras.Input(shape=(5,))
    hidden = keras.layers.ReLU()(UnnamedDense(4)(inputs))
    outputs = UnnamedDense(2)(hidden)
    model = keras.Model(inputs, outputs)
    # Non-zero biases, so that loading them is tested too.
    model.set_weights([w + 0.1 for w in model.get_weights()])

    names = [short_name(v) for v in model.weights]
    assert len(names) == 4
    assert all(isinstance(n, str) and n for n in names)
    assert not {"w", "b"} & set(names)
    layer_names = [short_name(v) for v in model.layers[1].weights]
    if keras.__version__.startswith("2"):
        # Keras 2 names both unnamed weights of a layer "Variable": saving
        # still works, because the .keras format stores weights by position.
        assert layer_names == ["Variable", "Variable"]
    else:
        # Keras 3 names them variable, variable_1, with distinct paths.
        assert len(set(layer_names)) == 2
        paths = [v.path for v in model.weights]
        assert len(set(paths)) == len(paths)

    path = tmp_path / "unnamed.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)

    x = _random_inputs(8, 5)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for before, after in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(after, before)
