"""Step 1 of the lesson: a subclassed model from Keras's layers, and its training."""

import math

import keras
import numpy as np

from snippets.lesson_subclassed_model import MyModel, train_and_evaluate, train_briefly
from tests.snippets.dense_relu_dense import assert_computes_dense_relu_dense

EPOCHS = 5  # train_and_evaluate's default, which the session fixture uses


def test_outputs_ten_logits_per_image(lesson_digits):
    (x_train, _), _ = lesson_digits
    keras.utils.set_random_seed(0)
    model = MyModel()
    out = np.asarray(model(x_train[:7]))
    assert out.shape == (7, 10)
    # Logits, not probabilities: no softmax at the end.
    assert (out < 0).any()
    assert not np.allclose(out.sum(axis=1), 1.0)


def test_network_is_dense_relu_dense(lesson_digits):
    (x_train, _), _ = lesson_digits
    keras.utils.set_random_seed(0)
    model = MyModel(num_classes=3)
    x = x_train[:16]
    out = np.asarray(model(x))
    assert out.shape == (16, 3)
    assert [tuple(v.shape) for v in model.trainable_weights] == [(784, 64), (64,), (64, 3), (3,)]
    assert_computes_dense_relu_dense(model, x)


def test_history_records_loss_and_accuracy_per_epoch(lesson_builtin_trained):
    _, history, scores = lesson_builtin_trained
    assert set(history.history) >= {"loss", "accuracy"}
    assert len(history.history["loss"]) == EPOCHS
    assert len(history.history["accuracy"]) == EPOCHS
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    assert history.history["accuracy"][-1] > history.history["accuracy"][0]
    loss, accuracy = scores
    assert 0.0 < loss < losses[0]
    assert 0.0 <= accuracy <= 1.0


def test_trains_on_train_and_scores_on_test():
    """fit() sees the training set, evaluate() the test set, not the other way round."""
    rng = np.random.default_rng(0)
    x_train = rng.random((96, 784), dtype="float32")
    y_train = rng.integers(0, 10, size=96)
    x_test = rng.random((40, 784), dtype="float32")
    y_test = rng.integers(0, 10, size=40)

    keras.utils.set_random_seed(0)
    model = MyModel()
    history, scores = train_and_evaluate(model, x_train, y_train, x_test, y_test, epochs=2, verbose=0)
    # Batches of 32: 96 training images make 3 steps per epoch (40 would make 2).
    assert int(model.optimizer.iterations) == 2 * math.ceil(96 / 32)
    assert len(history.history["loss"]) == 2
    # The scores returned are the test set's, for the trained model.
    expected = model.evaluate(x_test, y_test, batch_size=32, verbose=0)
    np.testing.assert_allclose(scores, expected, rtol=1e-6)
    on_train = model.evaluate(x_train, y_train, batch_size=32, verbose=0)
    assert not np.allclose(scores, on_train)


def test_the_pages_short_run_prints_size_and_test_accuracy(lesson_digits, capsys):
    """The page's block: seed 42, 3 silent epochs, then the parameter count and the test accuracy."""
    (x_train, y_train), (x_test, y_test) = lesson_digits
    # A slice of the digits keeps the test fast; the page trains on all 4,000.
    data = (x_train[:512], y_train[:512], x_test[:200], y_test[:200])
    model, history, (loss, accuracy) = train_briefly(*data)
    printed = capsys.readouterr().out.splitlines()
    # 784 * 64 + 64 weights in the hidden layer, 64 * 10 + 10 in the output one.
    assert model.count_params() == 784 * 64 + 64 + 64 * 10 + 10 == 50890
    assert printed == ["50890", f"{accuracy:.3f}"]  # verbose=0: nothing else
    assert len(history.history["loss"]) == 3
    assert int(model.optimizer.iterations) == 3 * math.ceil(512 / 32)
    np.testing.assert_allclose([loss, accuracy], model.evaluate(*data[2:], batch_size=32, verbose=0), rtol=1e-6)
    # The seed is in the block: a second run prints the same.
    train_briefly(*data)
    assert capsys.readouterr().out.splitlines() == printed
