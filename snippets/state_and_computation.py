"""State (build, add_weight) and computation (call) of a custom Dense layer.

Shown on the page "State and computation". The layer keeps its state in
``build`` and its computation in ``call``, and takes a real ``activation``
argument, as the article's title promises.
"""

# --8<-- [start:imports]
import keras
import tensorflow as tf

# --8<-- [end:imports]


# --8<-- [start:class]
@keras.saving.register_keras_serializable(package="custom_layers")
class DenseWithActivation(keras.layers.Layer):
    """A fully connected layer: ``activation(inputs @ kernel + bias)``."""

    # --8<-- [start:init]
    def __init__(self, units, activation=None, **kwargs):
        # **kwargs forwards name, dtype and trainable to the base class,
        # which from_config() needs to rebuild the layer.
        super().__init__(**kwargs)
        self.units = units
        # Accepts a name ("relu"), a callable, or None for a linear layer.
        self.activation = keras.activations.get(activation)
    # --8<-- [end:init]

    # --8<-- [start:build]
    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_shape[-1], self.units),
            initializer="glorot_uniform",
            trainable=True,
        )
        self.bias = self.add_weight(
            name="bias",
            shape=(self.units,),
            initializer="zeros",
            trainable=True,
        )
    # --8<-- [end:build]

    # --8<-- [start:call]
    def call(self, inputs):
        outputs = tf.matmul(inputs, self.kernel) + self.bias
        return self.activation(outputs)
    # --8<-- [end:call]

    # --8<-- [start:get_config]
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "activation": keras.activations.serialize(self.activation),
            }
        )
        return config
    # --8<-- [end:get_config]

# --8<-- [end:class]


def positional_name_error():
    """The article's form, ``add_weight("kernel", ...)``: Keras 3 wants the name as a keyword."""
    # --8<-- [start:positional_name]
    layer = keras.layers.Layer()
    # The article's form: the weight's name passed positionally.
    layer.add_weight("kernel", shape=(3, 4))  # raises: ValueError
    # --8<-- [end:positional_name]


def demo():
    """The page's usage block: build() on the first call, then call()."""
    # --8<-- [start:usage]
    layer = DenseWithActivation(units=4, activation="relu")
    x = tf.ones((2, 3))
    y = layer(x)  # the first call runs build(), then call()
    print(y.shape)
    print([w.name for w in layer.weights])
    # --8<-- [end:usage]
    return y


if __name__ == "__main__":
    demo()
