"""Tests for snippets/lambda_layer.py (Lambda layers on Keras 3)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets import lambda_layer
from snippets.stateful_layer import StatefulLayer


def _inputs(rows=4, features=3, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, features)).astype("float32")


def test_double_is_stateless_and_doubles():
    x = _inputs()
    np.testing.assert_allclose(np.asarray(lambda_layer.double(x)), x + x, rtol=0, atol=0)
    assert lambda_layer.double.weights == []


def test_lambda_receives_training_flag():
    x = _inputs()
    layer = lambda_layer.halve_while_training
    np.testing.assert_allclose(np.asarray(layer(x, training=True)), x * 0.5, rtol=1e-7)
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)


def test_captured_variable_is_not_tracked():
    scale = tf.Variable(3.0)
    scaled = keras.layers.Lambda(lambda x: x * scale)
    x = _inputs()
    # The variable is used...
    np.testing.assert_allclose(np.asarray(scaled(x)), 3.0 * x, rtol=1e-6)
    # ...but Keras does not see it: nothing to train or save.
    assert scaled.weights == []
    assert scaled.trainable_weights == []

    stateful = StatefulLayer(units=2)
    stateful(x)
    assert len(stateful.weights) == 1
    assert len(stateful.trainable_weights) == 1


def test_lambda_model_needs_unsafe_mode_to_load(tmp_path):
    path = tmp_path / "m.keras"
    model, reloaded = lambda_layer.save_and_reload(path)
    assert path.exists()
    x = _inputs()
    expected = x * x
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))

    with pytest.raises(ValueError, match=r"safe_mode|Lambda"):
        keras.models.load_model(path)
