"""The lesson's model and hand-made layers, for Keras 3 on any backend.

Shown in the "Keras 3, any backend" tabs of the page "Dense and ReLU from
scratch". The lesson itself (and its notebook) stays on TensorFlow, as the
video is; these are the same model and layers written with ``keras.ops``
only (``ops.relu`` for ``tf.nn.relu``, ``ops.matmul`` for ``tf.matmul``,
``ops.maximum`` for ``tf.math.maximum``), so they run on TensorFlow, JAX and
PyTorch, mixed precision included. Nothing here imports TensorFlow.
"""

# --8<-- [start:imports]
import keras
from keras import layers, ops

# --8<-- [end:imports]


# --8<-- [start:model]
class MyModel(keras.Model):
    def __init__(self, num_classes=10):
        super().__init__()
        self.dense1 = layers.Dense(64)
        self.dense2 = layers.Dense(num_classes)

    def call(self, input_tensor):
        x = ops.relu(self.dense1(input_tensor))
        return self.dense2(x)

# --8<-- [end:model]


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
        return ops.matmul(inputs, self.w) + self.b

# --8<-- [end:eager]


# --8<-- [start:dense]
@keras.saving.register_keras_serializable(package="any_backend_lesson")
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
        return ops.matmul(inputs, self.w) + self.b

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units}

# --8<-- [end:dense]


# --8<-- [start:relu]
@keras.saving.register_keras_serializable(package="any_backend_lesson")
class MyReLU(layers.Layer):
    def call(self, x):
        return ops.maximum(x, 0.0)

# --8<-- [end:relu]


# --8<-- [start:function]
# The function version the lesson invites you to try: no class to instantiate.
def my_relu(x):
    return ops.maximum(x, 0.0)

# --8<-- [end:function]
