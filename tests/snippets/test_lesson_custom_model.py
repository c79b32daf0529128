"""The lesson's final model: the same network, from our own Dense and MyReLU."""

import keras
import numpy as np

from snippets import lesson_dense_layer, lesson_relu_layer
from snippets.lesson_custom_model import MyModel, train_briefly
from tests.snippets.dense_relu_dense import assert_computes_dense_relu_dense

# Test accuracy on the 1,000 held-out offline digits after
# train_and_evaluate(..., epochs=5, verbose=0), keras.utils.set_random_seed(seed)
# before creating each model (TF 2.21 / Keras 3.15.1, CPU), measured while
# writing these tests:
#
#   seed   built-in MyModel   hand-made MyModel   difference
#     0         0.911               0.907            0.004
#     1         0.906               0.894            0.012
#    42         0.919               0.911            0.008
#     7         0.918               0.904            0.014
#   123         0.917               0.904            0.013
#
# Lowest accuracy seen 0.894 and largest gap 0.014, hence a floor of 0.87 and a
# margin of 0.03. (A model that forgets the ReLU still reaches ~0.89-0.90 here,
# so the accuracy alone cannot catch that: test_network_is_dense_relu_dense does.)
ACCURACY_FLOOR = 0.87
ACCURACY_MARGIN = 0.03


def test_built_from_our_layers_with_four_weights(lesson_digits):
    (x_train, _), _ = lesson_digits
    keras.utils.set_random_seed(0)
    model = MyModel()
    assert isinstance(model.dense1, lesson_dense_layer.Dense)
    assert isinstance(model.dense2, lesson_dense_layer.Dense)
    assert isinstance(model.relu, lesson_relu_layer.MyReLU)

    out = np.asarray(model(x_train[:5]))
    assert out.shape == (5, 10)
    assert [tuple(v.shape) for v in model.trainable_weights] == [(784, 64), (64,), (64, 10), (10,)]
    assert model.non_trainable_weights == []


def test_network_is_dense_relu_dense(lesson_digits):
    (x_train, _), _ = lesson_digits
    keras.utils.set_random_seed(0)
    model = MyModel(num_classes=3)
    x = x_train[:16]
    assert np.asarray(model(x)).shape == (16, 3)
    assert_computes_dense_relu_dense(model, x)


def test_save_and_load_gives_identical_predictions(lesson_custom_trained, lesson_digits, tmp_path):
    # The session's trained model (5 epochs on the offline digits, see conftest).
    model, _, _ = lesson_custom_trained
    _, (x_test, _) = lesson_digits

    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)

    assert isinstance(loaded, MyModel)
    assert loaded.get_config()["num_classes"] == 10
    x = x_test[:200]
    np.testing.assert_array_equal(
        loaded.predict(x, batch_size=32, verbose=0), model.predict(x, batch_size=32, verbose=0)
    )
    for before, after in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(after, before)


def test_config_round_trips_num_classes():
    model = MyModel(num_classes=3)
    assert model.get_config()["num_classes"] == 3
    clone = MyModel.from_config(model.get_config())
    assert clone.num_classes == 3
    assert np.asarray(clone(np.zeros((2, 784), dtype="float32"))).shape == (2, 3)


def test_hand_made_model_matches_builtin_accuracy(lesson_builtin_trained, lesson_custom_trained, claim):
    observe = claim("hand-made-matches-builtin")
    # Both trained once per session on the same digits with seed 42 (conftest).
    _, _, (_, builtin_accuracy) = lesson_builtin_trained
    _, custom_history, (_, custom_accuracy) = lesson_custom_trained

    # Two decimals: the third varies between CPUs.
    accuracies = f"built-in {builtin_accuracy:.2f}, ours {custom_accuracy:.2f}"
    observe.aspect("both_learn", holds=min(builtin_accuracy, custom_accuracy) >= ACCURACY_FLOOR, seen=accuracies)
    observe.aspect("close_accuracy", holds=abs(builtin_accuracy - custom_accuracy) <= ACCURACY_MARGIN,
                   seen=f"gap {abs(builtin_accuracy - custom_accuracy):.2f}")

    losses = custom_history.history["loss"]
    assert len(losses) == 5
    assert losses[-1] < losses[0]
    assert set(custom_history.history) >= {"loss", "accuracy"}


def test_the_pages_short_run_trains_our_layers(lesson_digits, capsys):
    """The page's block: as step 1's, seed 42 and 3 silent epochs, on the model built from our layers."""
    (x_train, y_train), (x_test, y_test) = lesson_digits
    data = (x_train[:512], y_train[:512], x_test[:200], y_test[:200])
    model, history, (loss, accuracy) = train_briefly(*data)
    printed = capsys.readouterr().out.splitlines()
    assert isinstance(model, MyModel)
    assert {type(layer) for layer in model.layers} == {lesson_dense_layer.Dense, lesson_relu_layer.MyReLU}
    # The same number of parameters as step 1's model.
    assert printed == ["50890", f"{accuracy:.3f}"]
    assert len(history.history["loss"]) == 3
    np.testing.assert_allclose([loss, accuracy], model.evaluate(*data[2:], batch_size=32, verbose=0), rtol=1e-6)
    train_briefly(*data)
    assert capsys.readouterr().out.splitlines() == printed
