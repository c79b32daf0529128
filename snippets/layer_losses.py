"""A custom layer that adds its own term to the training loss.

Shown on the page "Custom versus Lambda" (difference 7): a layer can feed
the training loop, which a Lambda layer cannot do. The page's demo code sits
in a function, so that importing this module prints nothing.
"""

# --8<-- [start:imports]
import keras
import numpy as np
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


def demo():
    # --8<-- [start:demo]
    x = np.full((4, 3), 2.0, dtype="float32")  # mean(x**2) = 4
    inputs = keras.Input(shape=(3,))
    hidden = ActivityPenalty(rate=0.5)(inputs)
    outputs = keras.layers.Dense(1, kernel_initializer="zeros")(hidden)
    model = keras.Model(inputs, outputs)
    model(x)
    print([round(float(loss), 3) for loss in model.losses])
    # The zero kernel predicts y = 0 exactly: the training loss is the penalty.
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, np.zeros((4, 1), dtype="float32"), verbose=0)
    print(round(history.history["loss"][0], 3))
    # --8<-- [end:demo]
    return model
