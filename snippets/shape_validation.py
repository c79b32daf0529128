"""A custom layer that validates its input shape with an InputSpec.

Shown on the page "Custom versus Lambda" (difference 6).
"""

# --8<-- [start:imports]
import keras
import tensorflow as tf

# --8<-- [end:imports]


# --8<-- [start:class]
@keras.saving.register_keras_serializable(package="custom_layers")
class PairwiseSum(keras.layers.Layer):
    """Sums neighbouring features: (batch, 2n) -> (batch, n)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Keras checks every input against this spec before call().
        self.input_spec = keras.layers.InputSpec(ndim=2)

    def build(self, input_shape):
        if input_shape[-1] is None or input_shape[-1] % 2:
            raise ValueError(
                f"PairwiseSum needs an even, known number of features; got {input_shape[-1]}."
            )
        # From now on, only this feature size is accepted.
        self.input_spec = keras.layers.InputSpec(ndim=2, axes={-1: input_shape[-1]})

    def call(self, inputs):
        pairs = tf.reshape(inputs, (-1, inputs.shape[-1] // 2, 2))
        return tf.reduce_sum(pairs, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1] // 2)

# --8<-- [end:class]
