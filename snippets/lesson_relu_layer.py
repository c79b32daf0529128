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


def relu_demo():
    """The page's check: negatives become 0, positives pass through."""
    import numpy as np  # on the page, the data's imports brought it
    # --8<-- [start:relu_demo]
    relu = MyReLU()
    print(np.asarray(relu(np.array([[-2.0, -0.5, 0.0, 1.5]]))))
    # --8<-- [end:relu_demo]
    return relu


# --8<-- [start:function]
# The function version the lesson invites you to try: no class to instantiate.
def my_relu(x):
    return tf.math.maximum(x, 0.0)

# --8<-- [end:function]
