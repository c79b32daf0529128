"""A custom layer that validates its input shape with an InputSpec.

Shown on the page "Custom versus Lambda" (difference 6), with the inputs it
refuses. The page's demo code sits in functions, so that importing this module
prints nothing.
"""

# --8<-- [start:imports]
import keras
import numpy as np
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


def demo():
    # --8<-- [start:demo]
    pairwise = PairwiseSum()
    print(np.asarray(pairwise(np.array([[1.0, 2.0, 3.0, 4.0]], dtype="float32"))))
    # Symbolic input: the output shape comes from compute_output_shape().
    print(PairwiseSum()(keras.Input(shape=(8,))).shape)
    # --8<-- [end:demo]
    return pairwise


def wrong_rank(pairwise):
    # --8<-- [start:wrong_rank]
    pairwise(np.ones((2, 3, 4), dtype="float32"))  # raises: ValueError
    # --8<-- [end:wrong_rank]


def wrong_features(pairwise):
    # --8<-- [start:wrong_features]
    pairwise(np.ones((2, 6), dtype="float32"))  # raises: ValueError
    # --8<-- [end:wrong_features]

