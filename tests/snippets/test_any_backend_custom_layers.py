"""Tests for snippets/any_backend_custom_layers.py, on every backend it is run under."""

import keras
import numpy as np
import pytest

from tests.snippets.any_backend import imported_modules
from tests.snippets.layer_contract import check_layer_contract

if keras.__version__.startswith("2"):
    pytest.skip("keras.ops is Keras 3's: the any-backend tab is not for Keras 2", allow_module_level=True)

from snippets.any_backend_custom_layers import ActivityPenalty, PairwiseSum, StatefulLayer, TrainingNoise


def _inputs(rows=6, features=4, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, features)).astype("float32")


def _numpy(tensor):
    return keras.ops.convert_to_numpy(tensor)


def test_imports_no_tensorflow():
    assert "tensorflow" not in imported_modules("any_backend_custom_layers")


@pytest.mark.parametrize(
    ("layer_cls", "init_kwargs", "input_shape", "output_shape", "options"),
    [
        (StatefulLayer, {"units": 2}, (2, 3), (2, 2), {"higher_rank_shape": (2, 5, 3)}),
        (TrainingNoise, {"seed": 1}, (2, 3), (2, 3), {"expected_num_seed_generators": 1}),
        (PairwiseSum, {}, (2, 4), (2, 2), {}),
        (ActivityPenalty, {"rate": 0.1}, (2, 3), (2, 3), {"expected_num_losses": 1}),
    ],
    ids=["StatefulLayer", "TrainingNoise", "PairwiseSum", "ActivityPenalty"],
)
def test_keras_layer_contract_mixed_precision_included(layer_cls, init_kwargs, input_shape, output_shape, options):
    check_layer_contract(layer_cls, init_kwargs, input_shape, output_shape, **options)


def test_stateful_layer_is_a_matmul_with_its_weight():
    layer = StatefulLayer(units=2)
    x = _inputs(features=3)
    layer(x)
    w = np.random.default_rng(2).normal(size=(3, 2)).astype("float32")
    layer.set_weights([w])
    np.testing.assert_allclose(_numpy(layer(x)), x @ w, rtol=1e-5, atol=1e-6)


def test_training_noise_only_while_training():
    layer = TrainingNoise(seed=3)
    x = _inputs(rows=400, features=50)
    np.testing.assert_array_equal(_numpy(layer(x)), x)
    np.testing.assert_array_equal(_numpy(layer(x, training=False)), x)
    noise = _numpy(layer(x, training=True)) - x
    assert abs(noise.mean()) < 0.02 and noise.std() == pytest.approx(1.0, abs=0.02)
    # The seed generator advances: fresh noise on the next training call.
    assert not np.array_equal(_numpy(layer(x, training=True)) - x, noise)
    # Same seed, same first draw, on any backend.
    np.testing.assert_array_equal(_numpy(TrainingNoise(seed=3)(x, training=True)) - x, noise)


def test_pairwise_sum_values_and_shape_checks():
    layer = PairwiseSum()
    x = _inputs(features=6)
    np.testing.assert_allclose(_numpy(layer(x)), x[:, 0::2] + x[:, 1::2], rtol=1e-6)
    with pytest.raises(ValueError):
        layer(_inputs(features=4))  # built for 6
    with pytest.raises(ValueError):
        PairwiseSum()(_inputs(features=5))  # odd


def test_activity_penalty_reaches_the_training_loss():
    rate, x = 0.5, _inputs(rows=16, features=3)
    inputs = keras.Input(shape=(3,))
    hidden = ActivityPenalty(rate=rate)(inputs)
    outputs = keras.layers.Dense(1, kernel_initializer="zeros", bias_initializer="zeros")(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    loss = model.fit(x, np.zeros((16, 1), dtype="float32"), batch_size=16, verbose=0).history["loss"][0]
    assert loss == pytest.approx(rate * np.mean(x**2), rel=1e-5)


def test_layer_metric_fails_in_fit_on_jax():
    """The Keras 3 tab of "Custom versus Lambda", section 7, on this backend.

    A metric that a layer owns and updates in call(): fit() reports it on
    TensorFlow, and fails on JAX (Keras issue 21639, open in Keras 3.15). The
    page says so; when Keras fixes it, this test fails: update the page.
    """
    from snippets.keras_generations import metric_layer_keras_3

    x = np.linspace(0.0, 1.0, 96, dtype="float32").reshape(32, 3)
    model = keras.Sequential([keras.Input((3,)), metric_layer_keras_3(keras)(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    y = np.zeros((32, 1), dtype="float32")
    if keras.backend.backend() == "jax":
        with pytest.raises(TypeError):
            model.fit(x, y, epochs=1, verbose=0)
    else:
        assert model.fit(x, y, epochs=1, verbose=0).history["mean_activity"] == pytest.approx([0.5], abs=1e-6)
