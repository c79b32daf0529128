"""Steps 2 and 3 of the lesson: a Dense layer written by hand.

The lesson writes the layer twice: first with a fixed ``input_dim``
(``DenseWithInputDim``), then lazily, creating the weights in ``build()``
once the input size is known (``Dense``).
"""

# --8<-- [start:imports]
import keras
import tensorflow as tf
from keras import layers

# --8<-- [end:imports]


# --8<-- [start:eager]
class DenseWithInputDim(layers.Layer):
    def __init__(self, units, input_dim):
        super().__init__()
        self.w = self.add_weight(
            name="w",
            shape=(input_dim, units),
            initializer="random_normal",
            trainable=True,
        )
        self.b = self.add_weight(
            name="b",
            shape=(units,),
            initializer="zeros",
            trainable=True,
        )

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

# --8<-- [end:eager]


def eager_demo(x_train):
    """The page's check of the first version: its weights, then one call on 32 images."""
    # --8<-- [start:eager_demo]
    layer = DenseWithInputDim(64, 784)
    print([tuple(w.shape) for w in layer.weights])
    print(tuple(layer(x_train[:32]).shape))
    # --8<-- [end:eager_demo]
    return layer


# --8<-- [start:lazy]
@keras.saving.register_keras_serializable(package="lesson")
class Dense(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        # The input size is only known now: the last axis of the first input.
        self.w = self.add_weight(
            name="w",
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
        )
        self.b = self.add_weight(
            name="b",
            shape=(self.units,),
            initializer="zeros",
            trainable=True,
        )

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}

# --8<-- [end:lazy]


def lazy_demo(x_train):
    """The page's check of the lazy version: no weights until the first call."""
    # --8<-- [start:lazy_demo]
    layer = Dense(64)
    print(layer.weights)
    layer(x_train[:32])
    print([tuple(w.shape) for w in layer.weights])
    # --8<-- [end:lazy_demo]
    return layer
