"""Tests for snippets/layer_losses.py (ActivityPenalty)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets import layer_losses
from tests.snippets.layer_contract import check_layer_contract

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


def test_add_metric_was_removed_in_keras_3():
    class MeanActivity(keras.layers.Layer):
        def call(self, inputs):
            self.add_metric(tf.reduce_mean(inputs), name="mean_activity")
            return inputs

    if KERAS_2:
        assert np.array_equal(np.asarray(MeanActivity()(_inputs())), _inputs())
    else:
        with pytest.raises(NotImplementedError):
            MeanActivity()(_inputs())


def test_lambda_adds_a_loss_only_through_a_reference_to_itself(claim):
    observe = claim("lambda-cannot-add-loss")
    received = []

    def record_arguments(*args, **kwargs):
        received.append((len(args), sorted(kwargs)))
        return args[0]

    keras.layers.Lambda(record_arguments)(_inputs())
    gets_layer = any(isinstance(a, keras.layers.Layer) for a in received[0])
    observe.aspect("function_gets_no_layer", holds=not gets_layer and received[0][0] == 1,
                   seen=f"{received[0][0]} positional argument(s), keywords {received[0][1]}")

    # The workaround: the function holds a reference to its own layer.
    holder = {}

    def penalize(t):
        holder["layer"].add_loss(0.5 * keras.ops.mean(keras.ops.square(t)) if not KERAS_2
                                 else 0.5 * tf.reduce_mean(tf.square(t)))
        return t

    holder["layer"] = keras.layers.Lambda(penalize)
    inputs = keras.Input(shape=(3,))
    outputs = keras.layers.Dense(1, kernel_initializer="zeros", bias_initializer="zeros")(holder["layer"](inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    x = _inputs(rows=16)
    loss = model.fit(x, np.zeros((16, 1), dtype="float32"), batch_size=16, verbose=0).history["loss"][0]
    reached = loss == pytest.approx(0.5 * np.mean(x**2), rel=1e-5)
    observe.aspect("no_loss_via_reference", holds=not reached, seen=f"training loss {loss:.3f}")


def test_keras_layer_contract():
    check_layer_contract(ActivityPenalty, {"rate": 0.1}, (2, 3), (2, 3), expected_num_losses=1)


def test_demo_penalty_in_model_losses_and_training_loss(capsys):
    model = layer_losses.demo()
    assert capsys.readouterr().out.splitlines() == ["[2.0]", "2.0"]
    assert isinstance(model.layers[1], ActivityPenalty)
