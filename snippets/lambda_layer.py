"""What a Lambda layer can and cannot do on Keras 3.

Shown on the page "Custom versus Lambda": a stateless Lambda, a Lambda that
reads ``training``, and saving a model that contains a Lambda.
"""

# --8<-- [start:imports]
import keras
from keras import layers

# --8<-- [end:imports]


# --8<-- [start:stateless]
# A Lambda wraps a stateless function: fine for a one-line transformation.
double = layers.Lambda(lambda x: 2.0 * x)
# --8<-- [end:stateless]


# --8<-- [start:training]
def dropout_like(x, training=None):
    # Keras 3 passes `training` to the function when its signature accepts it.
    return x * 0.5 if training else x


halve_while_training = layers.Lambda(dropout_like)
# --8<-- [end:training]


def save_and_reload(path):
    # --8<-- [start:save]
    inputs = keras.Input(shape=(3,))
    outputs = layers.Lambda(lambda x: x * x)(inputs)
    model = keras.Model(inputs, outputs)
    model.save(path)

    # Loading Python bytecode could run arbitrary code, so Keras 3 refuses
    # by default: keras.models.load_model(path) raises a ValueError.
    # Only for a file you trust:
    reloaded = keras.models.load_model(path, safe_mode=False)
    # --8<-- [end:save]
    return model, reloaded
