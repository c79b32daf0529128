"""Tests for snippets/any_backend_dense.py, on every backend it is run under."""

import keras
import numpy as np
import pytest

from tests.snippets.any_backend import imported_modules
from tests.snippets.layer_contract import check_layer_contract

if keras.__version__.startswith("2"):
    pytest.skip("keras.ops is Keras 3's: the any-backend tab is not for Keras 2", allow_module_level=True)

from snippets import any_backend_dense
from snippets.any_backend_dense import DenseWithActivation


def test_imports_no_tensorflow():
    assert "tensorflow" not in imported_modules("any_backend_dense")


def test_keras_layer_contract_mixed_precision_included():
    check_layer_contract(DenseWithActivation, {"units": 4, "activation": "relu"}, (2, 3), (2, 4),
                         higher_rank_shape=(2, 5, 3))


@pytest.mark.parametrize("activation", ["relu", "tanh", None])
def test_computes_activation_of_affine_map(activation):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 3)).astype("float32")
    kernel, bias = rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=(4,)).astype("float32")
    layer = DenseWithActivation(units=4, activation=activation)
    layer.build((None, 3))
    layer.set_weights([kernel, bias])
    numpy_activation = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, None: lambda z: z}[activation]
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), numpy_activation(x @ kernel + bias),
                               rtol=1e-5, atol=1e-5)


def test_keras_file_round_trip(tmp_path):
    model = keras.Sequential([keras.Input((3,)), DenseWithActivation(units=2, activation="tanh")])
    model.save(tmp_path / "dense.keras")
    reloaded = keras.models.load_model(tmp_path / "dense.keras")
    x = np.random.default_rng(1).normal(size=(4, 3)).astype("float32")
    assert reloaded.layers[0].get_config()["activation"] == "tanh"
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_demo(capsys):
    """The page's usage block in the "Keras 3, any backend" tab."""
    y = any_backend_dense.demo()
    assert tuple(y.shape) == (2, 4)
    assert np.all(keras.ops.convert_to_numpy(y) >= 0)
    assert capsys.readouterr().out == "(2, 4)\n['kernel', 'bias']\n"
