"""The lesson's two models trained side by side, for the executed notebook.

Each section is written as the notebook runs it: top-level statements that
use the classes defined in earlier cells. The functions here run exactly
those statements, so the tests exercise the code the notebook shows.
"""

# --8<-- [start:install]
# The notebook's first cell: scripts/notebooks.py writes it, pinning what the
# other cells import to the versions in requirements.txt.
# --8<-- [end:install]

# --8<-- [start:imports]
import platform

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

# --8<-- [end:imports]
from snippets import lesson_custom_model, lesson_subclassed_model
from snippets.lesson_mnist_data import load_mnist, load_mnist_sample
from snippets.lesson_subclassed_model import train_and_evaluate

# --8<-- [start:words]
# The words this notebook prints and plots. Each language's notebook gets its
# own in this cell (scripts/notebooks.py, from i18n/<locale>.yml); the code is shared.
WORDS = {
    "no_gpu": "none, CPU only",
    "train": "train:",
    "test": "test:",
    "builtin_layers": "built-in layers",
    "custom_layers": "hand-made layers",
    "training_loss": "Training loss",
    "training_accuracy": "Training accuracy",
    "epoch": "epoch",
    "loss": "loss",
    "accuracy": "accuracy",
    "test_accuracy": "test accuracy, {name}: {accuracy:.3f}",
    "identical": "identical predictions after reloading:",
}
# --8<-- [end:words]


def describe_environment():
    # --8<-- [start:environment]
    print(f"Python {platform.python_version()} ({platform.machine()})")
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}")
    print("GPU:", tf.config.list_physical_devices("GPU") or WORDS["no_gpu"])
    # --8<-- [end:environment]


def load_sample():
    # --8<-- [start:data]
    (x_train, y_train), (x_test, y_test) = load_mnist(load_data=load_mnist_sample)
    print(WORDS["train"], x_train.shape, x_train.dtype, WORDS["test"], x_test.shape)
    # --8<-- [end:data]
    return (x_train, y_train), (x_test, y_test)


def train_builtin(x_train, y_train, x_test, y_test, MyModel=lesson_subclassed_model.MyModel):
    # --8<-- [start:train_builtin]
    keras.utils.set_random_seed(42)
    builtin_model = MyModel()
    history_builtin, scores_builtin = train_and_evaluate(
        builtin_model, x_train, y_train, x_test, y_test
    )
    # --8<-- [end:train_builtin]
    return builtin_model, history_builtin, scores_builtin


def train_custom(x_train, y_train, x_test, y_test, MyModel=lesson_custom_model.MyModel):
    # --8<-- [start:train_custom]
    keras.utils.set_random_seed(42)
    custom_model = MyModel()
    history_custom, scores_custom = train_and_evaluate(
        custom_model, x_train, y_train, x_test, y_test
    )
    # --8<-- [end:train_custom]
    return custom_model, history_custom, scores_custom


def plot_curves(history_builtin, history_custom, scores_builtin, scores_custom):
    # --8<-- [start:plot]
    fig, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(10, 3.5))
    for name, history in [(WORDS["builtin_layers"], history_builtin), (WORDS["custom_layers"], history_custom)]:
        epochs = np.arange(1, len(history.history["loss"]) + 1)
        loss_axis.plot(epochs, history.history["loss"], marker="o", label=name)
        accuracy_axis.plot(epochs, history.history["accuracy"], marker="o", label=name)
    loss_axis.set(title=WORDS["training_loss"], xlabel=WORDS["epoch"], ylabel=WORDS["loss"])
    accuracy_axis.set(title=WORDS["training_accuracy"], xlabel=WORDS["epoch"], ylabel=WORDS["accuracy"])
    for axis in (loss_axis, accuracy_axis):
        axis.set_xticks(epochs)
        axis.grid(alpha=0.3)
        axis.legend()
    fig.tight_layout()
    plt.show()
    for name, scores in [(WORDS["builtin_layers"], scores_builtin), (WORDS["custom_layers"], scores_custom)]:
        print(WORDS["test_accuracy"].format(name=name, accuracy=scores[1]))
    # --8<-- [end:plot]
    return fig


def save_and_reload(custom_model, x_test):
    """Saves to my_model.keras in the working directory and reloads it."""
    # --8<-- [start:save]
    path = "my_model.keras"
    custom_model.save(path)
    reloaded = keras.models.load_model(path)
    same = np.array_equal(
        custom_model.predict(x_test, verbose=0), reloaded.predict(x_test, verbose=0)
    )
    print(WORDS["identical"], same)
    # --8<-- [end:save]
    return reloaded, same
