"""A layer that keeps state: trainable weights created in build().

Shown on the page "Custom versus Lambda" (difference 1, state, and
difference 3, configuration). The source article calls it ``CoucheAvecEtat``.
"""

# --8<-- [start:imports]
import keras
import tensorflow as tf

# --8<-- [end:imports]


# --8<-- [start:class]
@keras.saving.register_keras_serializable(package="custom_layers")
class StatefulLayer(keras.layers.Layer):
    # --8<-- [start:init]
    def __init__(self, units, **kwargs):
        # Keras 3 passes name, dtype and trainable back through from_config(),
        # so the constructor must accept and forward **kwargs.
        super().__init__(**kwargs)
        self.units = units
    # --8<-- [end:init]

    def build(self, input_shape):
        self.w = self.add_weight(
            name="w",
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
        )

    def call(self, inputs):
        return tf.matmul(inputs, self.w)

    # --8<-- [start:get_config]
    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config
    # --8<-- [end:get_config]

# --8<-- [end:class]
