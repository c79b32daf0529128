"""Step 4 of the lesson: ReLU as a layer of our own."""

# --8<-- [start:imports]
import keras
import tensorflow as tf
from keras import layers

# --8<-- [end:imports]


# --8<-- [start:relu]
@keras.saving.register_keras_serializable(package="lesson")
class MyReLU(layers.Layer):
    def call(self, x):
        return tf.math.maximum(x, 0.0)

# --8<-- [end:relu]


# --8<-- [start:function]
# The function version the lesson invites you to try: no class to instantiate.
def my_relu(x):
    return tf.math.maximum(x, 0.0)

# --8<-- [end:function]
