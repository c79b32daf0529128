"""Tests for snippets/any_backend_lesson_layers.py, on every backend it is run under."""

import keras
import numpy as np
import pytest

from tests.snippets.any_backend import imported_modules
from tests.snippets.layer_contract import check_layer_contract

if keras.__version__.startswith("2"):
    pytest.skip("keras.ops is Keras 3's: the any-backend tab is not for Keras 2", allow_module_level=True)

from snippets.any_backend_lesson_layers import Dense, MyReLU


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
