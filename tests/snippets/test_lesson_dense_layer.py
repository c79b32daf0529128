"""Steps 2 and 3 of the lesson: the hand-made Dense layer, eager then lazy."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets.lesson_dense_layer import Dense, DenseWithInputDim, eager_demo, lazy_demo
from tests.snippets.layer_contract import check_layer_contract, keras_harness

RTOL, ATOL = 1e-5, 1e-6


def short_name(variable):
    """A weight's own name: Keras 3 gives "w", Keras 2 "dense/w:0"."""
    return variable.name.split("/")[-1].split(":")[0]


def _random_inputs(rows, cols, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, cols)).astype("float32")


def _lesson_layers(units, input_dim):
    """One of each lesson layer, built for `input_dim` inputs."""
    eager = DenseWithInputDim(units, input_dim=input_dim)
    lazy = Dense(units)
    lazy(np.zeros((1, input_dim), dtype="float32"))
    return {"DenseWithInputDim": eager, "Dense": lazy}


def test_matches_keras_dense_with_copied_weights():
    units, input_dim = 3, 5
    x = _random_inputs(4, input_dim)
    rng = np.random.default_rng(1)
    for name, layer in _lesson_layers(units, input_dim).items():
        # Non-zero weights everywhere, the bias included (it starts at zero).
        w = rng.normal(size=(input_dim, units)).astype("float32")
        b = rng.normal(size=(units,)).astype("float32")
        layer.set_weights([w, b])

        reference = keras.layers.Dense(units)
        reference.build((None, input_dim))
        reference.set_weights(layer.get_weights())

        ours = np.asarray(layer(x))
        np.testing.assert_allclose(ours, np.asarray(reference(x)), rtol=RTOL, atol=ATOL, err_msg=name)
        np.testing.assert_allclose(ours, x @ w + b, rtol=RTOL, atol=ATOL, err_msg=name)
        assert ours.shape == (4, units), name


def test_lazy_layer_infers_input_size(claim):
    observe = claim("lazy-layers-no-input-dim")
    layer = Dense(3)
    observe.aspect("no_weights_before_call", holds=not layer.built and layer.weights == [],
                   seen=f"{len(layer.weights)} weights before the call")

    layer(_random_inputs(2, 5))
    other = Dense(3)
    other(_random_inputs(2, 7))
    shapes = [tuple(layer.w.shape), tuple(other.w.shape)]
    observe.aspect("size_from_data", holds=shapes == [(5, 3), (7, 3)], seen=f"w shapes {shapes}")
    assert tuple(layer.b.shape) == (3,) and tuple(other.b.shape) == (3,)

    # A second call reuses the weights created by the first one.
    w, b = layer.w, layer.b
    layer(_random_inputs(6, 5, seed=1))
    assert layer.w is w
    assert layer.b is b
    assert len(layer.weights) == 2
    assert layer.weights[0] is w and layer.weights[1] is b


def test_eager_layer_rejects_wrong_input_size():
    layer = DenseWithInputDim(3, input_dim=4)
    # The weights exist as soon as the layer is constructed, before any call.
    assert len(layer.weights) == 2
    assert tuple(layer.w.shape) == (4, 3)
    assert tuple(layer.b.shape) == (3,)

    # The right size works...
    assert tuple(layer(_random_inputs(2, 4)).shape) == (2, 3)
    # ...a different one does not.
    with pytest.raises((tf.errors.InvalidArgumentError, ValueError)):
        layer(_random_inputs(2, 5))


@pytest.mark.parametrize("layer_name", ["DenseWithInputDim", "Dense"])
def test_weights_are_named_trainable_and_initialised(layer_name):
    layer = _lesson_layers(64, 784)[layer_name]
    assert [short_name(v) for v in layer.weights] == ["w", "b"]
    assert len(layer.trainable_weights) == 2
    assert layer.non_trainable_weights == []
    assert layer.trainable_weights[0] is layer.w
    assert layer.trainable_weights[1] is layer.b

    np.testing.assert_array_equal(np.asarray(layer.b), np.zeros(64, dtype="float32"))

    # random_normal: mean 0, stddev 0.05, not truncated (glorot_uniform or
    # he_normal would give a similar stddev but a different shape).
    w = np.asarray(layer.w).ravel()
    std = w.std()
    assert 0.03 < std < 0.07
    assert abs(w.mean()) < 0.01
    kurtosis = np.mean((w - w.mean()) ** 4) / std**4
    assert 2.7 < kurtosis < 3.3  # normal: 3; uniform: 1.8; 2-sigma truncated: ~2.2
    assert np.abs(w).max() > 3 * std
    # Two layers do not start from the same weights.
    other = _lesson_layers(64, 784)[layer_name]
    assert not np.array_equal(np.asarray(other.w), np.asarray(layer.w))


# The lesson says a weight needs a name or the model cannot be saved. On
# Keras 3 that is not so: this copy of the lazy Dense names nothing.
@keras.saving.register_keras_serializable(package="lesson_test")
class UnnamedDense(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}


KERAS_2 = keras.__version__.startswith("2")


def _unnamed_model():
    inputs = keras.Input(shape=(5,))
    hidden = keras.layers.ReLU()(UnnamedDense(4)(inputs))
    model = keras.Model(inputs, UnnamedDense(2)(hidden))
    # Non-zero biases, so that loading them is tested too.
    model.set_weights([w + 0.1 for w in model.get_weights()])
    return model


def _save_and_restore(model, fmt, folder):
    """Save in one format, load back, and return the restored model's predictions."""
    x = _random_inputs(8, 5)
    if fmt == "keras_format":
        model.save(folder / "m.keras")
        return keras.models.load_model(folder / "m.keras").predict(x, verbose=0)
    if fmt == "legacy_h5":
        model.save(folder / "m.h5")
        return keras.models.load_model(folder / "m.h5").predict(x, verbose=0)
    if fmt == "weights_h5":
        path = folder / ("m.h5" if KERAS_2 else "m.weights.h5")
        model.save_weights(path)
        restored = _unnamed_model()
        restored.load_weights(path)
        return restored.predict(x, verbose=0)
    if fmt == "saved_model":
        if KERAS_2:
            model.save(folder / "saved_model")
            return keras.models.load_model(folder / "saved_model").predict(x, verbose=0)
        model.export(folder / "saved_model", verbose=False)
        exported = tf.saved_model.load(str(folder / "saved_model"))  # keep it alive while serving
        return np.asarray(exported.serve(x))
    if fmt == "tf_checkpoint":
        prefix = tf.train.Checkpoint(model=model).save(str(folder / "ckpt"))
        restored = _unnamed_model()
        tf.train.Checkpoint(model=restored).restore(prefix).expect_partial()
        return restored.predict(x, verbose=0)
    raise ValueError(fmt)


def test_unnamed_weights_in_every_format(claim, tmp_path):
    observe = claim("unnamed-weights-cannot-save")
    x = _random_inputs(8, 5)
    for fmt in ("keras_format", "legacy_h5", "weights_h5", "saved_model", "tf_checkpoint"):
        model = _unnamed_model()
        folder = tmp_path / fmt
        folder.mkdir()
        try:
            restored = _save_and_restore(model, fmt, folder)
        except (ValueError, AttributeError, TypeError) as error:
            observe.aspect(fmt, holds=True, seen=type(error).__name__)
            continue
        same = np.allclose(restored, model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)
        observe.aspect(fmt, holds=not same, seen="restored" if same else "wrong predictions")


def test_unnamed_weights_get_automatic_names():
    names = [short_name(v) for v in _unnamed_model().layers[1].weights]
    if KERAS_2:
        # Keras 2 names both unnamed weights of a layer "Variable".
        assert names == ["Variable", "Variable"]
    else:
        # Keras 3 names them variable, variable_1, with distinct paths.
        assert len(set(names)) == 2
        paths = [v.path for v in _unnamed_model().weights]
        assert len(set(paths)) == len(paths)


class TfVariableDense(keras.layers.Layer):
    """The lesson's aside: the weight made by hand with tf.Variable."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = tf.Variable(tf.random.normal((input_shape[-1], self.units), stddev=0.05))

    def call(self, inputs):
        return tf.matmul(inputs, self.w)


def test_tf_variable_attribute_as_a_weight(claim, tmp_path):
    observe = claim("tf-variable-is-a-weight")
    layer = TfVariableDense(1)
    model = keras.Sequential([keras.Input((5,)), layer])
    observe.aspect("tracked", holds=len(layer.weights) == 1, seen=f"{len(layer.weights)} weight(s)")
    x = _random_inputs(32, 5)
    before = layer.w.numpy().copy()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.fit(x, x.sum(axis=1, keepdims=True), batch_size=32, verbose=0)
    trained = not np.allclose(layer.w.numpy(), before)
    observe.aspect("trained", holds=trained, seen="changed by fit" if trained else "unchanged by fit")

    path = tmp_path / "tf_variable.keras"
    model.save(path)
    reloaded = keras.models.load_model(path, custom_objects={"TfVariableDense": TfVariableDense})
    restored = np.array_equal(reloaded.layers[-1].w.numpy(), layer.w.numpy())
    observe.aspect("saved", holds=restored, seen="value restored" if restored else "value lost")


def test_keras_layer_contract():
    # Without the mixed-precision part: the lesson's tf.matmul (claim
    # tf-matmul-mixed-precision); its any-backend tab passes it.
    check_layer_contract(Dense, {"units": 3}, (2, 5), (2, 3), higher_rank_shape=(2, 4, 5), mixed_precision=False)


def test_eager_stepping_stone_fails_the_config_round_trip():
    """The page says why DenseWithInputDim is not saveable: no **kwargs, no get_config()."""
    harness = keras_harness()
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        harness.run_layer_test(DenseWithInputDim, {"units": 3, "input_dim": 5}, input_shape=(2, 5),
                               expected_output_shape=(2, 3), run_mixed_precision_check=False)


def test_the_pages_check_of_the_first_version(capsys):
    """Weights from the constructor, then (batch, 784) @ (784, 64) gives (batch, 64)."""
    x = _random_inputs(40, 784)
    layer = eager_demo(x)
    assert capsys.readouterr().out.splitlines() == ["[(784, 64), (64,)]", "(32, 64)"]
    assert isinstance(layer, DenseWithInputDim)


def test_the_pages_check_of_the_lazy_version(capsys):
    """No weight before the first call; after it, w's first axis is the input's last one."""
    x = _random_inputs(40, 784)
    layer = lazy_demo(x)
    assert capsys.readouterr().out.splitlines() == ["[]", "[(784, 64), (64,)]"]
    assert isinstance(layer, Dense) and layer.built
