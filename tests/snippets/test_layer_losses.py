"""Tests for snippets/layer_losses.py (ActivityPenalty)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets import layer_losses

ActivityPenalty = layer_losses.ActivityPenalty

KERAS_2 = keras.__version__.startswith("2")


def _inputs(rows=16, features=3, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, features)).astype("float32")


def test_is_identity_and_records_penalty():
    layer = ActivityPenalty(rate=0.3)
    x = _inputs()
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    assert len(layer.losses) == 1
    assert float(layer.losses[0]) == pytest.approx(0.3 * np.mean(x**2), rel=1e-5)
    assert layer.weights == []

    # A new call replaces the penalty; it does not pile up.
    x2 = _inputs(seed=1)
    layer(x2)
    assert len(layer.losses) == 1
    assert float(layer.losses[0]) == pytest.approx(0.3 * np.mean(x2**2), rel=1e-5)


def _zero_output_model(rate):
    # Dense with zero kernel and bias outputs 0, so the MSE against zero
    # targets is 0 and any loss left over comes from the penalty.
    inputs = keras.Input(shape=(3,))
    hidden = ActivityPenalty(rate=rate)(inputs)
    outputs = keras.layers.Dense(1, kernel_initializer="zeros", bias_initializer="zeros")(hidden)
    return keras.Model(inputs, outputs)


def test_add_loss_reaches_model_losses():
    rate = 0.5
    x = _inputs(rows=16)
    y = np.zeros((16, 1), dtype="float32")
    expected = rate * np.mean(x**2)

    model = _zero_output_model(rate)
    model(x)
    assert len(model.losses) == 1
    assert float(model.losses[0]) == pytest.approx(expected, rel=1e-5)

    # Learning rate 0: the weights stay at zero, so the data loss stays 0 and
    # the reported training loss is exactly the penalty.
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    history = model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)

    # Control: the same model without the penalty trains at loss 0.
    inputs = keras.Input(shape=(3,))
    plain = keras.Model(
        inputs,
        keras.layers.Dense(1, kernel_initializer="zeros", bias_initializer="zeros")(inputs),
    )
    plain.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    assert plain.fit(x, y, epochs=1, batch_size=16, verbose=0).history["loss"][0] == 0.0


def test_penalty_scales_with_rate():
    x = _inputs()
    small = _zero_output_model(0.1)
    large = _zero_output_model(1.0)
    small(x)
    large(x)
    assert float(large.losses[0]) == pytest.approx(10 * float(small.losses[0]), rel=1e-5)


def test_get_config_round_trip(tmp_path):
    layer = ActivityPenalty(rate=0.25, name="penalty")
    config = layer.get_config()
    assert config["rate"] == 0.25
    assert config["name"] == "penalty"
    rebuilt = ActivityPenalty.from_config(config)
    assert rebuilt.rate == 0.25
    assert rebuilt.get_config() == config

    model = _zero_output_model(0.25)
    path = tmp_path / "penalty.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)  # registered: no custom_objects
    assert isinstance(reloaded.layers[1], ActivityPenalty)
    assert reloaded.layers[1].rate == 0.25


class _MeanActivity(keras.layers.Layer):
    """Identity layer reporting the mean of its inputs as a metric (Keras 2 style)."""

    def call(self, inputs):
        self.add_metric(tf.reduce_mean(inputs), name="mean_activity")
        return inputs


def test_add_metric_was_removed_in_keras_3():
    if not KERAS_2:
        with pytest.raises(NotImplementedError):
            ActivityPenalty().add_metric(1.0, name="activity")
        with pytest.raises(NotImplementedError):
            _MeanActivity()(_inputs())
        return

    # tf-keras 2: a layer's add_metric() reaches the training logs.
    x = _inputs(rows=16)
    model = keras.Sequential([keras.Input((3,)), _MeanActivity(), keras.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    history = model.fit(x, np.zeros((16, 1), dtype="float32"), batch_size=16, verbose=0)
    assert history.history["mean_activity"][0] == pytest.approx(float(x.mean()), rel=1e-5, abs=1e-6)
