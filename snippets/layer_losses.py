"""A custom layer that adds its own term to the training loss.

Shown on the page "Custom versus Lambda" (difference 7): a layer can feed
the training loop, which a Lambda layer cannot do.
"""

# --8<-- [start:imports]
import keras
import tensorflow as tf

# --8<-- [end:imports]


# --8<-- [start:class]
@keras.saving.register_keras_serializable(package="custom_layers")
class ActivityPenalty(keras.layers.Layer):
    """Identity layer that adds ``rate * mean(x**2)`` to the model's loss."""

    def __init__(self, rate=1e-2, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        # Summed into the loss that fit() minimises; reported in model.losses.
        self.add_loss(self.rate * tf.reduce_mean(tf.square(inputs)))
        return inputs

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}

# --8<-- [end:class]
