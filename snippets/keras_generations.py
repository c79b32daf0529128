"""Keras 3 and legacy Keras 2: what changes in the code you write.

Shown in "Keras 3" / "Keras 2" tabs. Everything else on this site runs
unchanged on both generations (the test suite runs twice to prove it).
"""

import numpy as np


def import_keras_3():
    # --8<-- [start:import_keras_3]
    import keras  # Keras 3, installed with TensorFlow 2.16 and later

    print(keras.__version__)
    # --8<-- [end:import_keras_3]
    return keras


def import_keras_2():
    # --8<-- [start:import_keras_2]
    # pip install tf-keras; set the variable before TensorFlow is imported,
    # so that tf.keras is Keras 2 too.
    import os

    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tf_keras as keras

    print(keras.__version__)
    # --8<-- [end:import_keras_2]
    return keras


def metric_layer_keras_2():
    """Keras 2 only: a layer that reports a metric itself.

    Self-contained about its Keras: it imports tf-keras by name, so it is
    Keras 2 even in a session where `import keras` gives Keras 3.
    """

    # --8<-- [start:add_metric_keras_2]
    # Keras 2 is the tf-keras package (pip install tf-keras), imported here
    # by its own name: in the same session, `import keras` stays Keras 3.
    import tensorflow as tf
    import tf_keras

    class MeanActivity(tf_keras.layers.Layer):
        def call(self, inputs):
            # Keras 2: shown in fit()'s logs as "mean_activity".
            self.add_metric(tf.reduce_mean(inputs), name="mean_activity")
            return inputs

    # --8<-- [end:add_metric_keras_2]
    return MeanActivity


def metric_fit_keras_2(MeanActivity):
    """The Keras 2 tab's fit(): the layer's metric in the history."""
    import tf_keras

    # --8<-- [start:metric_fit_keras_2]
    x = np.linspace(0.0, 1.0, 96, dtype="float32").reshape(32, 3)  # mean 0.5
    y = np.zeros((32, 1), dtype="float32")
    model = tf_keras.Sequential([tf_keras.Input((3,)), MeanActivity(), tf_keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, epochs=2, verbose=0)
    print(sorted(history.history))
    print([round(value, 3) for value in history.history["mean_activity"]])
    # --8<-- [end:metric_fit_keras_2]
    return history


def metric_layer_keras_3(keras):
    """Keras 3: the layer owns a metric tracker instead of calling add_metric()."""

    # --8<-- [start:metric_keras_3]
    class MeanActivity(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            # A metric tracker: fit() reports it as "mean_activity".
            self.mean_activity = keras.metrics.Mean(name="mean_activity")

        def call(self, inputs):
            self.mean_activity.update_state(keras.ops.mean(inputs))
            return inputs

    # --8<-- [end:metric_keras_3]
    return MeanActivity


def metric_demo_keras_3(MeanActivity):
    """The Keras 3 tab's demo: the layer's tracker holds the mean of its inputs."""

    # --8<-- [start:metric_demo_keras_3]
    layer = MeanActivity()
    layer(np.linspace(0.0, 1.0, 96, dtype="float32").reshape(32, 3))  # mean 0.5
    print(round(float(layer.mean_activity.result()), 3))
    # --8<-- [end:metric_demo_keras_3]
    return layer
