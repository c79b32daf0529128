"""Shared fixtures for the snippet tests."""

import keras
import pytest

# --- Lesson (MNIST, hand-made Dense/ReLU) -----------------------------------
# The offline digits are loaded once, and each lesson model is trained once per
# test session: several test files read the same trained models.

LESSON_SEED = 42
LESSON_EPOCHS = 5


@pytest.fixture(scope="session")
def lesson_digits():
    """(x_train, y_train), (x_test, y_test): 4,000 / 1,000 offline MNIST digits."""
    from snippets.lesson_mnist_data import load_mnist, load_mnist_sample

    return load_mnist(load_data=load_mnist_sample)


def _train_lesson_model(model_class, digits):
    from snippets.lesson_subclassed_model import train_and_evaluate

    (x_train, y_train), (x_test, y_test) = digits
    keras.utils.set_random_seed(LESSON_SEED)
    model = model_class()
    history, scores = train_and_evaluate(model, x_train, y_train, x_test, y_test, epochs=LESSON_EPOCHS, verbose=0)
    return model, history, scores


@pytest.fixture(scope="session")
def lesson_builtin_trained(lesson_digits):
    """The step-1 MyModel (Keras's own layers), trained: (model, history, [loss, acc])."""
    from snippets.lesson_subclassed_model import MyModel

    return _train_lesson_model(MyModel, lesson_digits)


@pytest.fixture(scope="session")
def lesson_custom_trained(lesson_digits):
    """The final hand-made MyModel, trained: (model, history, [loss, acc])."""
    from snippets.lesson_custom_model import MyModel

    return _train_lesson_model(MyModel, lesson_digits)
