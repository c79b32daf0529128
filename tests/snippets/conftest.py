"""Shared fixtures for the snippet tests."""

import pytest

# --- Lesson (MNIST, hand-made Dense/ReLU) -----------------------------------
# The offline digits are loaded once, and each lesson model is trained once per
# test session: several test files read the same trained models.

# The notebook's own sections (snippets/lesson_comparison.py) load and train,
# so the code the notebook shows is the code these fixtures run.


@pytest.fixture(scope="session")
def lesson_digits():
    """(x_train, y_train), (x_test, y_test): 4,000 / 1,000 offline MNIST digits."""
    from snippets.lesson_comparison import load_sample

    return load_sample()


@pytest.fixture(scope="session")
def lesson_builtin_trained(lesson_digits):
    """The step-1 MyModel (Keras's own layers), seed 42, 5 epochs: (model, history, [loss, acc])."""
    from snippets.lesson_comparison import train_builtin

    (x_train, y_train), (x_test, y_test) = lesson_digits
    return train_builtin(x_train, y_train, x_test, y_test)


@pytest.fixture(scope="session")
def lesson_custom_trained(lesson_digits):
    """The final hand-made MyModel, seed 42, 5 epochs: (model, history, [loss, acc])."""
    from snippets.lesson_comparison import train_custom

    (x_train, y_train), (x_test, y_test) = lesson_digits
    return train_custom(x_train, y_train, x_test, y_test)
