"""Tests for snippets/lesson_comparison.py: the notebook's own sections.

The session fixtures (conftest.py) load the digits and train both models
through load_sample, train_builtin and train_custom; these tests check what
the remaining sections show the reader.
"""

import matplotlib

matplotlib.use("Agg")  # no display: plt.show() draws nothing

import platform

import keras
import numpy as np
import tensorflow as tf

from snippets import lesson_comparison


def test_environment_reports_the_versions_that_ran(capsys):
    lesson_comparison.describe_environment()
    printed = capsys.readouterr().out.splitlines()
    gpus = tf.config.list_physical_devices("GPU")
    assert printed == [
        f"Python {platform.python_version()} ({platform.machine()})",
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}",
        f"GPU: {gpus or lesson_comparison.WORDS['no_gpu']}",
    ]


def test_load_sample_prints_what_it_loaded(capsys):
    (x_train, y_train), (x_test, y_test) = lesson_comparison.load_sample()
    words = lesson_comparison.WORDS
    assert capsys.readouterr().out.strip() == (
        f"{words['train']} {x_train.shape} {x_train.dtype} {words['test']} {x_test.shape}"
    )
    assert (x_train.shape, x_test.shape, y_train.shape, y_test.shape) == ((4000, 784), (1000, 784), (4000,), (1000,))


def test_load_sample_gives_the_lessons_format(lesson_digits):
    (x_train, y_train), (x_test, y_test) = lesson_digits
    assert len(y_train) == 4000
    assert x_train.shape == (4000, 784) and x_test.shape == (1000, 784)
    assert x_train.dtype == np.float32 and 0.0 <= x_train.min() and x_train.max() <= 1.0
    assert set(np.unique(y_test)) == set(range(10))


def test_both_models_trained_on_the_same_digits_with_the_same_seed(lesson_builtin_trained, lesson_custom_trained):
    _, builtin_history, _ = lesson_builtin_trained
    custom_model, custom_history, _ = lesson_custom_trained
    assert len(builtin_history.history["loss"]) == len(custom_history.history["loss"]) == 5
    # The hand-made model really is built from our layers, not Keras's Dense.
    assert {type(layer).__name__ for layer in custom_model.layers} == {"Dense", "MyReLU"}
    assert all(type(layer).__module__.startswith("snippets.") for layer in custom_model.layers)


def test_plot_shows_each_models_curves_and_prints_test_accuracy(
    lesson_builtin_trained, lesson_custom_trained, capsys
):
    _, builtin_history, builtin_scores = lesson_builtin_trained
    _, custom_history, custom_scores = lesson_custom_trained
    figure = lesson_comparison.plot_curves(builtin_history, custom_history, builtin_scores, custom_scores)
    loss_axis, accuracy_axis = figure.axes
    for axis, key in ((loss_axis, "loss"), (accuracy_axis, "accuracy")):
        lines = {line.get_label(): line.get_ydata() for line in axis.get_lines()}
        np.testing.assert_allclose(lines["built-in layers"], builtin_history.history[key])
        np.testing.assert_allclose(lines["hand-made layers"], custom_history.history[key])
    printed = capsys.readouterr().out
    assert f"test accuracy, built-in layers: {builtin_scores[1]:.3f}" in printed
    assert f"test accuracy, hand-made layers: {custom_scores[1]:.3f}" in printed


def test_the_notebook_words_are_the_english_ones_of_the_site_data():
    """The snippet's WORDS are what the English notebook gets from i18n/en.yml."""
    from scripts import i18n

    assert i18n.words("en")["notebook"]["words"] == lesson_comparison.WORDS


def test_save_and_reload_predicts_identically(lesson_custom_trained, lesson_digits, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    model, _, _ = lesson_custom_trained
    _, (x_test, _) = lesson_digits
    reloaded, same = lesson_comparison.save_and_reload(model, x_test[:64])
    assert same is True
    # What the notebook prints is that comparison's result.
    assert capsys.readouterr().out.strip() == f"{lesson_comparison.WORDS['identical']} True"
    assert (tmp_path / "my_model.keras").is_file()
    np.testing.assert_array_equal(reloaded.predict(x_test[:64], verbose=0), model.predict(x_test[:64], verbose=0))


def test_training_cells_are_reproducible_by_their_seed(lesson_digits):
    """The cells seed Keras (42) before building each model: two runs give the same curves."""
    (x_train, y_train), (x_test, y_test) = lesson_digits
    small = (x_train[:256], y_train[:256], x_test[:64], y_test[:64])
    _, first, _ = lesson_comparison.train_custom(*small)
    keras.utils.set_random_seed(7)  # whatever came before, the cell reseeds
    _, second, _ = lesson_comparison.train_custom(*small)
    assert first.history == second.history
