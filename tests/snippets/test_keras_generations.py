"""Tests for snippets/keras_generations.py: each tab's code on each generation.

tf-keras (Keras 2) imports on its own, so its tab runs in both test runs;
Keras 3's tab runs wherever `keras` is Keras 3, and is shown to fail on
Keras 2 in the legacy run.
"""

import keras
import numpy as np
import pytest
import tf_keras

from snippets import keras_generations as generations

KERAS_2 = keras.__version__.startswith("2")


def _data(rows=32):
    x = np.random.default_rng(0).normal(size=(rows, 3)).astype("float32")
    return x, np.zeros((rows, 1), dtype="float32")


def test_import_sections_give_each_generation(monkeypatch):
    # The Keras 2 section sets TF_USE_LEGACY_KERAS; monkeypatch restores it.
    monkeypatch.setenv("TF_USE_LEGACY_KERAS", "0")
    legacy = generations.import_keras_2()
    assert legacy is tf_keras and legacy.__version__.startswith("2.")
    assert generations.import_keras_3().__version__.startswith("2." if KERAS_2 else "3.")


def test_keras_2_layer_reports_its_metric_in_fit_logs():
    MeanActivity = generations.metric_layer_keras_2(tf_keras)
    x, y = _data()
    model = tf_keras.Sequential([tf_keras.Input((3,)), MeanActivity(), tf_keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    assert history.history["mean_activity"][0] == pytest.approx(float(x.mean()), abs=1e-6)


def test_keras_3_model_tracks_the_metric_and_layers_cannot():
    x, y = _data()
    if KERAS_2:
        # The Keras 3 tab's code needs Keras 3 (keras.ops).
        with pytest.raises(AttributeError):
            model = generations.metric_model_keras_3(keras)()
            model(x)
        return
    model = generations.metric_model_keras_3(keras)()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    assert history.history["mean_activity"][0] == pytest.approx(float(x.mean()), abs=1e-6)
    # And the Keras 2 tab's layer fails on Keras 3: add_metric() was removed.
    MeanActivity = generations.metric_layer_keras_2(keras)
    with pytest.raises(NotImplementedError):
        MeanActivity()(x)
