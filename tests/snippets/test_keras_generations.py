"""Tests for snippets/keras_generations.py: each tab's code on each generation.

tf-keras (Keras 2) imports on its own, so its tab runs in both test runs;
Keras 3's tab runs wherever `keras` is Keras 3, and is shown to fail on
Keras 2 in the legacy run.
"""

import os

import keras
import numpy as np
import pytest
import tf_keras

from snippets import keras_generations as generations
from tests.snippets.layer_contract import check_layer_contract

KERAS_2 = keras.__version__.startswith("2")


def _data(rows=32):
    x = np.random.default_rng(0).normal(size=(rows, 3)).astype("float32")
    return x, np.zeros((rows, 1), dtype="float32")


def test_import_sections_give_each_generation(monkeypatch, capsys):
    # The Keras 2 section sets TF_USE_LEGACY_KERAS; monkeypatch restores it.
    monkeypatch.setenv("TF_USE_LEGACY_KERAS", "0")
    legacy = generations.import_keras_2()
    # Setting the variable is what makes tf.keras Keras 2 too.
    assert os.environ["TF_USE_LEGACY_KERAS"] == "1"
    assert legacy is tf_keras and legacy.__version__.startswith("2.")
    current = generations.import_keras_3()
    assert current.__version__.startswith("2." if KERAS_2 else "3.")
    # Each tab prints the version it imported: the reader sees which Keras they have.
    assert capsys.readouterr().out.splitlines() == [legacy.__version__, current.__version__]


def test_keras_2_layer_reports_its_metric_in_fit_logs():
    MeanActivity = generations.metric_layer_keras_2()
    # The tab imports tf_keras by name: Keras 2 whatever `import keras` gives.
    assert issubclass(MeanActivity, tf_keras.layers.Layer)
    x, y = _data()
    model = tf_keras.Sequential([tf_keras.Input((3,)), MeanActivity(), tf_keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    assert history.history["mean_activity"][0] == pytest.approx(float(x.mean()), abs=1e-6)


def test_keras_2_tab_fit_prints_the_metric_of_each_epoch(capsys):
    history = generations.metric_fit_keras_2(generations.metric_layer_keras_2())
    assert capsys.readouterr().out.splitlines() == ["['loss', 'mean_activity']", "[0.5, 0.5]"]
    assert history.history["mean_activity"] == pytest.approx([0.5, 0.5], abs=1e-6)


def _fit_with_metric_layer(MeanActivity, callbacks=()):
    x, y = _data()
    model = keras.Sequential([keras.Input((3,)), MeanActivity(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=32, epochs=2, verbose=0, callbacks=list(callbacks))
    return model, history, x


def test_keras_3_tab_runs_on_keras_3_only():
    MeanActivity = generations.metric_layer_keras_3(keras)
    if KERAS_2:
        # The Keras 3 tab's code needs Keras 3 (keras.ops).
        with pytest.raises(AttributeError):
            _fit_with_metric_layer(MeanActivity)
        return
    _, history, x = _fit_with_metric_layer(MeanActivity)
    assert history.history["mean_activity"] == pytest.approx([float(x.mean())] * 2, abs=1e-6)

    # And the Keras 2 tab's way fails on Keras 3: add_metric() was removed.
    class AddMetricOnKeras3(keras.layers.Layer):
        def call(self, inputs):
            self.add_metric(keras.ops.mean(inputs), name="mean_activity")
            return inputs

    with pytest.raises(NotImplementedError):
        AddMetricOnKeras3()(x)


def test_keras_3_tab_demo_prints_the_tracked_mean(capsys):
    if KERAS_2:
        pytest.skip("the Keras 3 tab's layer uses keras.ops, which tf-keras does not have")
    layer = generations.metric_demo_keras_3(generations.metric_layer_keras_3(keras))
    assert capsys.readouterr().out.splitlines() == ["0.5"]
    assert float(layer.mean_activity.result()) == pytest.approx(0.5, abs=1e-6)


class ZeroTheKernelAtEpochEnd(keras.callbacks.Callback):
    """Reads a layer's metric during fit(), then changes the layer's weights."""

    def __init__(self):
        super().__init__()
        self.read = []

    def on_epoch_end(self, epoch, logs=None):
        self.read.append(float(logs["mean_activity"]))
        dense = self.model.layers[-1]
        dense.kernel.assign(np.zeros(tuple(dense.kernel.shape), dtype="float32"))


def test_layer_reports_a_metric_and_a_callback_reaches_it(claim):
    observe = claim("custom-integrates-metrics")
    # Each generation's own tab: a metric tracker on Keras 3, add_metric() on Keras 2.
    MeanActivity = generations.metric_layer_keras_2() if KERAS_2 else generations.metric_layer_keras_3(keras)
    callback = ZeroTheKernelAtEpochEnd()
    model, history, x = _fit_with_metric_layer(MeanActivity, callbacks=[callback])
    logged = history.history.get("mean_activity")
    reported = logged is not None and logged == pytest.approx([float(x.mean())] * 2, abs=1e-6)
    observe.aspect("metric_in_history", holds=reported, seen=f"history keys {sorted(history.history)}")
    zeroed = not np.any(model.layers[-1].kernel.numpy())
    reached = callback.read == logged and zeroed
    observe.aspect("callback_reaches_layer", holds=reached,
                   seen=f"read {len(callback.read)} values, kernel zeroed: {zeroed}")


def test_keras_3_tab_layer_passes_keras_layer_contract():
    if KERAS_2:
        pytest.skip("the Keras 3 tab's layer uses keras.ops, which tf-keras does not have")
    MeanActivity = generations.metric_layer_keras_3(keras)
    # Defined inside a function, as the tab shows it: not registered, so named here.
    check_layer_contract(MeanActivity, {}, (2, 3), (2, 3), custom_objects={"MeanActivity": MeanActivity})
