"""The lesson's hand-made Dense and ReLU, for Keras 3 on any backend.

Shown in the "Keras 3, any backend" tabs of the page "Dense and ReLU from
scratch". The lesson itself (and its notebook) stays on TensorFlow, as the
video is; these are the same layers written with ``keras.ops`` only, so they
run on TensorFlow, JAX and PyTorch, mixed precision included. Nothing here
imports TensorFlow.
"""

# --8<-- [start:imports]
import keras
from keras import ops

# --8<-- [end:imports]


# --8<-- [start:dense]
@keras.saving.register_keras_serializable(package="any_backend_lesson")
class Dense(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            name="w", shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True
        )
        self.b = self.add_weight(name="b", shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units}

# --8<-- [end:dense]


# --8<-- [start:relu]
@keras.saving.register_keras_serializable(package="any_backend_lesson")
class MyReLU(keras.layers.Layer):
    def call(self, x):
        return ops.maximum(x, 0.0)

# --8<-- [end:relu]
