"""Keras 3 and legacy Keras 2: what changes in the code you write.

Shown in "Keras 3" / "Keras 2" tabs. Everything else on this site runs
unchanged on both generations (the test suite runs twice to prove it).
"""

import os

import tensorflow as tf


def import_keras_3():
    # --8<-- [start:import_keras_3]
    import keras  # Keras 3, installed with TensorFlow 2.16 and later

    # --8<-- [end:import_keras_3]
    return keras


def import_keras_2():
    # --8<-- [start:import_keras_2]
    # pip install tf-keras; set the variable before TensorFlow is imported,
    # so that tf.keras is Keras 2 too.
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tf_keras as keras

    # --8<-- [end:import_keras_2]
    return keras


def metric_layer_keras_2(keras):
    """Keras 2 only: a layer that reports a metric itself."""

    # --8<-- [start:add_metric_keras_2]
    class MeanActivity(keras.layers.Layer):
        def call(self, inputs):
            # Keras 2: shown in fit()'s logs as "mean_activity".
            self.add_metric(tf.reduce_mean(inputs), name="mean_activity")
            return inputs

    # --8<-- [end:add_metric_keras_2]
    return MeanActivity


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
