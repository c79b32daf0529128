"""What a Lambda layer can and cannot do on Keras 3.

Shown on the page "Custom versus Lambda": a stateless Lambda, a variable
that a Lambda captures but does not own, a Lambda that reads ``training``,
and saving a model that contains a Lambda. The page's demo code sits in
functions, so that importing this module prints nothing.
"""

# --8<-- [start:imports]
import keras
import numpy as np
from keras import layers

# --8<-- [end:imports]


# --8<-- [start:stateless]
# A Lambda wraps a stateless function: fine for a one-line transformation.
double = layers.Lambda(lambda x: 2.0 * x)
# --8<-- [end:stateless]


def double_demo():
    # --8<-- [start:stateless_demo]
    print(np.asarray(double(np.array([[1.0, -2.0, 3.0]], dtype="float32"))))
    # --8<-- [end:stateless_demo]


def captured_variable():
    # --8<-- [start:captured_variable]
    calls = keras.Variable(0.0)  # defined outside the function

    def count_calls(x):
        calls.assign_add(1.0)  # the function updates it at every call
        return x

    counting = layers.Lambda(count_calls)
    counting(np.ones((2, 3), dtype="float32"))
    counting(np.ones((2, 3), dtype="float32"))
    print(float(calls))  # kept from one call to the next...
    print(counting.weights)  # ...but not a weight of the layer
    # --8<-- [end:captured_variable]
    return calls, counting


def save_lambda_model():
    # --8<-- [start:save]
    inputs = keras.Input(shape=(3,))
    outputs = layers.Lambda(lambda x: x * x)(inputs)
    model = keras.Model(inputs, outputs)
    path = "squares.keras"
    model.save(path)
    # --8<-- [end:save]
    return model, path


def load_refused(path):
    # --8<-- [start:load_refused]
    keras.models.load_model(path)  # raises: ValueError
    # --8<-- [end:load_refused]


def load_unsafe(path):
    # --8<-- [start:load_unsafe]
    # Only for a file you trust:
    reloaded = keras.models.load_model(path, safe_mode=False)
    print(np.asarray(reloaded(np.array([[1.0, 2.0, 3.0]], dtype="float32"))))
    # --8<-- [end:load_unsafe]
    return reloaded


# --8<-- [start:training]
def dropout_like(x, training=None):
    # Keras 3 passes `training` to the function when its signature accepts it.
    return x * 0.5 if training else x


halve_while_training = layers.Lambda(dropout_like)
# --8<-- [end:training]


def training_demo():
    # --8<-- [start:training_demo]
    x = np.ones((1, 3), dtype="float32")
    print(np.asarray(halve_while_training(x, training=True)))
    print(np.asarray(halve_while_training(x, training=False)))
    # --8<-- [end:training_demo]
