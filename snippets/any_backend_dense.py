"""The article's dense layer with activation, for Keras 3 on any backend.

Shown in the "Keras 3, any backend" tab of the page "State and computation".
The same layer as snippets/state_and_computation.py, written with
``keras.ops`` only: it runs on TensorFlow, JAX and PyTorch, and
``keras.ops.matmul`` casts to the layer's compute dtype, so it also works
under mixed precision. Nothing here imports TensorFlow.
"""

# --8<-- [start:imports]
import keras
from keras import ops

# --8<-- [end:imports]


# --8<-- [start:class]
@keras.saving.register_keras_serializable(package="any_backend")
class DenseWithActivation(keras.layers.Layer):
    """A fully connected layer: ``activation(inputs @ kernel + bias)``."""

    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_shape[-1], self.units),
            initializer="glorot_uniform",
            trainable=True,
        )
        self.bias = self.add_weight(name="bias", shape=(self.units,), initializer="zeros", trainable=True)

    # --8<-- [start:call]
    def call(self, inputs):
        # keras.ops instead of tf: the backend is Keras's choice, not ours.
        return self.activation(ops.matmul(inputs, self.kernel) + self.bias)
    # --8<-- [end:call]

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
        }

# --8<-- [end:class]


def demo():
    """The page's usage block, in the "Keras 3, any backend" tab."""
    # --8<-- [start:usage]
    layer = DenseWithActivation(units=4, activation="relu")
    x = ops.ones((2, 3))
    y = layer(x)  # the first call runs build(), then call()
    print(y.shape)
    print([w.name for w in layer.weights])
    # --8<-- [end:usage]
    return y


if __name__ == "__main__":
    demo()
