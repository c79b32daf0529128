"""A layer whose call() depends on ``training``: noise while training only.

Shown on the page "Custom versus Lambda" (difference 4). Keras passes
``training=True`` inside ``fit()`` and ``training=False`` in ``predict()``
and ``evaluate()``. The page's demo code sits in a function, so that importing
this module prints nothing.
"""

# --8<-- [start:imports]
import keras
import numpy as np
import tensorflow as tf

# --8<-- [end:imports]


# --8<-- [start:class]
@keras.saving.register_keras_serializable(package="custom_layers")
class TrainingNoise(keras.layers.Layer):
    """Adds standard Gaussian noise during training; identity at inference."""

    # --8<-- [start:call]
    def call(self, inputs, training=None):
        if training:
            # Training only: perturb the inputs.
            return inputs + tf.random.normal(tf.shape(inputs))
        # Inference: pass the inputs through unchanged.
        return inputs
    # --8<-- [end:call]

# --8<-- [end:class]


def demo():
    # --8<-- [start:demo]
    keras.utils.set_random_seed(0)
    noise = TrainingNoise()
    x = np.zeros((1000, 100), dtype="float32")
    # Inference: the inputs come out unchanged.
    print(np.array_equal(np.asarray(noise(x, training=False)), x))
    # Training: standard Gaussian noise, of standard deviation 1.
    print(round(float(np.std(np.asarray(noise(x, training=True)))), 1))
    # --8<-- [end:demo]
    return noise
