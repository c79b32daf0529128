"""Tests for snippets/training_flag.py (TrainingNoise)."""

import keras
import numpy as np
import pytest

from snippets import training_flag
from tests.snippets.layer_contract import check_layer_contract

TrainingNoise = training_flag.TrainingNoise


def _inputs(rows=64, features=8, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, features)).astype("float32")


def test_identity_by_default_and_with_training_false():
    layer = TrainingNoise()
    x = _inputs()
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
    assert layer.weights == []


def test_training_true_adds_standard_normal_noise():
    keras.utils.set_random_seed(0)
    layer = TrainingNoise()
    x = _inputs(rows=500, features=40)
    y = np.asarray(layer(x, training=True))
    assert y.shape == x.shape
    noise = y - x
    assert np.all(noise != 0)
    assert abs(noise.mean()) < 0.02
    assert noise.std() == pytest.approx(1.0, abs=0.02)
    # Gaussian, not just unit variance: kurtosis 3 (uniform noise gives 1.8),
    # and about 68 % of the draws within one standard deviation.
    assert np.mean(noise**4) / noise.var() ** 2 == pytest.approx(3.0, abs=0.15)
    assert np.mean(np.abs(noise) < 1.0) == pytest.approx(0.683, abs=0.02)
    # Independent of the inputs it perturbs.
    assert abs(np.corrcoef(noise.ravel(), x.ravel())[0, 1]) < 0.02
    # Fresh noise on every training call.
    assert not np.array_equal(np.asarray(layer(x, training=True)), y)


@pytest.mark.filterwarnings("ignore:The model does not have any trainable weights")
def test_fit_takes_the_training_path_and_evaluate_predict_do_not(claim):
    observe = claim("custom-training-behaviour")
    keras.utils.set_random_seed(0)
    x = _inputs(rows=512, features=8)
    model = keras.Sequential([keras.Input((8,)), TrainingNoise()])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=False)

    # Inference should be the exact identity: MSE against the inputs exactly 0.
    evaluated = model.evaluate(x, x, batch_size=512, verbose=0)
    predicted_identity = np.array_equal(model.predict(x, verbose=0), x)
    observe.aspect("inference_is_identity", holds=evaluated == 0.0 and predicted_identity,
                   seen=f"evaluate loss {evaluated:g}, predict identity: {predicted_identity}")

    # Training should add N(0, 1): the MSE is then the noise variance, about 1.
    loss = model.fit(x, x, epochs=1, batch_size=512, verbose=0).history["loss"][0]
    observe.aspect("fit_adds_noise", holds=abs(loss - 1.0) < 0.1, seen=f"training loss {loss:.1f}")


def test_keras_file_round_trip(tmp_path):
    model = keras.Sequential([keras.Input((4,)), TrainingNoise(), keras.layers.Dense(2)])
    path = tmp_path / "noise.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)  # registered: no custom_objects
    assert isinstance(reloaded.layers[0], TrainingNoise)
    x = _inputs(features=4)
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_keras_layer_contract():
    check_layer_contract(TrainingNoise, {}, (2, 3), (2, 3))


def test_demo_identity_at_inference_unit_noise_in_training(capsys):
    noise = training_flag.demo()
    assert capsys.readouterr().out.splitlines() == ["True", "1.0"]
    assert isinstance(noise, TrainingNoise)
