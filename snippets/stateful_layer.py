"""A layer that keeps state: trainable weights created in build().

Shown on the page "Custom versus Lambda" (difference 1, state, and
difference 3, configuration). The source article calls it ``CoucheAvecEtat``.
The page's demo code sits in functions, so that importing this module prints
nothing.
"""

# --8<-- [start:imports]
import keras
import numpy as np
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


def demo():
    # --8<-- [start:demo]
    layer = StatefulLayer(units=4)
    x = np.ones((2, 3), dtype="float32")
    print(tuple(layer(x).shape))
    w = layer.w
    layer(x)  # the second call reuses the weight created by the first
    print(layer.w is w, len(layer.weights))
    # --8<-- [end:demo]
    return layer


def article_constructor():
    """The source article's constructor, which forwards no **kwargs."""
    # --8<-- [start:article_constructor]
    class CoucheAvecEtat(keras.layers.Layer):
        def __init__(self, units):  # the article's constructor: no **kwargs...
            super().__init__()  # ...so nothing to forward to the base class
            self.units = units

        def get_config(self):
            config = super().get_config()
            config.update({"units": self.units})
            return config

    config = CoucheAvecEtat(units=4).get_config()
    print(sorted(config))
    # --8<-- [end:article_constructor]
    return CoucheAvecEtat, config


def article_from_config(CoucheAvecEtat, config):
    # --8<-- [start:article_from_config]
    CoucheAvecEtat.from_config(config)  # raises: TypeError
    # --8<-- [end:article_from_config]


def round_trip():
    # --8<-- [start:round_trip]
    layer = StatefulLayer(units=4, name="state")
    rebuilt = StatefulLayer.from_config(layer.get_config())
    print(rebuilt.name, rebuilt.units)
    # --8<-- [end:round_trip]
    return rebuilt
