"""Tests for snippets/lambda_layer.py, and the claims about Lambda layers."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets import lambda_layer
from snippets.stateful_layer import StatefulLayer

KERAS_2 = keras.__version__.startswith("2")


def _inputs(rows=4, features=3, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, features)).astype("float32")


def _refusal(action):
    """None when the action works, else the name of the exception it raised."""
    try:
        action()
    except (TypeError, ValueError) as error:
        return type(error).__name__
    return None


def test_lambda_wraps_linear_and_non_linear_functions(claim):
    observe = claim("lambda-any-function")
    x = _inputs()
    square = keras.layers.Lambda(lambda t: t * t)
    squared = np.array_equal(np.asarray(square(x)), x * x)
    observe.aspect("non_linear", holds=squared, seen="x² computed" if squared else "wrong values")
    # The page's own example: a linear Lambda.
    refused = _refusal(lambda: lambda_layer.double(x))
    doubled = refused is None and np.array_equal(np.asarray(lambda_layer.double(x)), x + x)
    observe.aspect("only_non_linear", holds=not doubled, seen="2x computed" if doubled else refused or "wrong values")
    assert lambda_layer.double.weights == []


def test_lambda_receives_training_flag(claim):
    observe = claim("lambda-no-training-flag")
    x = _inputs()
    layer = lambda_layer.halve_while_training
    training, inference = np.asarray(layer(x, training=True)), np.asarray(layer(x, training=False))
    same = np.array_equal(training, inference)
    observe.aspect("same_output_both_modes", holds=same, seen="same" if same else "halved in training only")
    np.testing.assert_array_equal(inference, x)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)

    seen_flags = []

    def record_flag(t, training=None):
        seen_flags.append(training)
        return t

    model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(record_flag), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    seen_flags.clear()
    model.fit(x, np.zeros((4, 1), dtype="float32"), batch_size=4, verbose=0)
    got_true = True in seen_flags
    observe.aspect("fit_gives_no_flag", holds=not got_true, seen=f"training={sorted(set(map(str, seen_flags)))}")


def test_captured_variable_persists_but_is_not_tracked(claim, tmp_path):
    observe = claim("lambda-no-state")
    calls = tf.Variable(0.0)

    def count_calls(t):
        calls.assign_add(1.0)
        return t * (1.0 + 0.0 * calls)

    counting = keras.layers.Lambda(count_calls)
    x = _inputs()
    counting(x)
    counting(x)
    observe.aspect("not_tracked", holds=counting.weights == [], seen=f"{len(counting.weights)} weights")
    observe.aspect("not_persistent", holds=float(calls.numpy()) != 2.0, seen=f"counter = {float(calls.numpy()):g}")

    scale = tf.Variable(3.0)
    inputs = keras.Input(shape=(3,))
    # output_shape: Keras 3 cannot infer it symbolically through a tf.Variable.
    model = keras.Model(inputs, keras.layers.Lambda(lambda t: t * scale, output_shape=(3,))(inputs))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.fit(x, np.zeros_like(x), batch_size=4, verbose=0)
    trained = float(scale.numpy()) != 3.0
    observe.aspect("not_trained", holds=not trained, seen=f"scale = {float(scale.numpy()):g} after fit")

    path = tmp_path / "captured.keras"
    try:
        model.save(path)
    except TypeError as error:  # Keras 2 refuses to serialize the captured variable
        observe.aspect("not_saved", holds=True, seen=f"save refused: {type(error).__name__}")
    else:
        scale.assign(5.0)  # if the file held the variable, reloading would bring 3.0 back
        reloaded = keras.models.load_model(path, safe_mode=False)
        restored = float(scale.numpy()) == 3.0
        observe.aspect("not_saved", holds=not restored and reloaded.weights == [],
                       seen=f"{len(reloaded.weights)} weights in the file")

    # A custom layer, by contrast, owns and exposes its weight.
    stateful = StatefulLayer(units=2)
    stateful(x)
    assert len(stateful.weights) == 1 and len(stateful.trainable_weights) == 1


def _printed(capsys):
    return capsys.readouterr().out.splitlines()


def test_double_demo_prints_twice_its_inputs(capsys):
    lambda_layer.double_demo()
    assert _printed(capsys) == [str(np.array([[2.0, -4.0, 6.0]], dtype="float32"))]


@pytest.mark.skipif(KERAS_2, reason="keras.Variable is Keras 3's (the page's block runs on Keras 3)")
def test_captured_variable_is_updated_but_not_a_weight(capsys):
    calls, counting = lambda_layer.captured_variable()
    assert _printed(capsys) == ["2.0", "[]"]
    assert float(calls) == 2.0
    assert counting.weights == [] and counting.trainable_weights == []


def test_lambda_model_needs_unsafe_mode_to_load(tmp_path, monkeypatch, capsys):
    """The page's save blocks: the model saves, reloads only unsafely, and computes x²."""
    monkeypatch.chdir(tmp_path)
    model, path = lambda_layer.save_lambda_model()
    assert (tmp_path / path).is_file()
    x = _inputs()
    np.testing.assert_allclose(model.predict(x, verbose=0), x * x, rtol=1e-6)
    with pytest.raises(ValueError, match="safe_mode"):
        lambda_layer.load_refused(path)
    reloaded = lambda_layer.load_unsafe(path)
    assert _printed(capsys) == [str(np.array([[1.0, 4.0, 9.0]], dtype="float32"))]
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_training_demo_halves_while_training_only(capsys):
    lambda_layer.training_demo()
    assert _printed(capsys) == [str(np.full((1, 3), 0.5, dtype="float32")), str(np.ones((1, 3), dtype="float32"))]


def square(t):
    return t * t


def _lambda_model(function):
    inputs = keras.Input(shape=(3,))
    return keras.Model(inputs, keras.layers.Lambda(function)(inputs))


def test_lambda_reload_depends_on_function_and_generation(claim, tmp_path):
    observe = claim("lambda-serialization-limited")
    cases = {
        "lambda_default": (lambda t: t * t, "m.keras", {}),
        "lambda_unsafe": (lambda t: t * t, "m.keras", {"safe_mode": False}),
        "def_default": (square, "m.keras", {}),
        "def_unsafe": (square, "m.keras", {"safe_mode": False}),
        "def_custom_objects": (square, "m.keras", {"custom_objects": {"square": square}}),
        "lambda_h5": (lambda t: t * t, "m.h5", {}),
    }
    x = _inputs()
    for aspect, (function, filename, load_options) in cases.items():
        folder = tmp_path / aspect
        folder.mkdir()
        model = _lambda_model(function)
        model.save(folder / filename)
        path = folder / filename
        refused = _refusal(lambda path=path, load_options=load_options: keras.models.load_model(path, **load_options))
        if refused is None:
            reloaded = keras.models.load_model(path, **load_options)
            np.testing.assert_allclose(reloaded.predict(x, verbose=0), x * x, rtol=1e-6)
        observe.aspect(aspect, holds=refused is not None, seen=refused or "loads")


def test_lambda_takes_precomputed_values_and_arguments(claim):
    observe = claim("lambda-simple-function-only")
    x = _inputs(features=3)
    # A closure over a matrix prepared beforehand (here: an orthonormal basis).
    basis = np.linalg.qr(np.random.default_rng(1).normal(size=(3, 3)))[0].astype("float32")
    project = keras.layers.Lambda(lambda t: keras.ops.matmul(t, basis) if not KERAS_2 else tf.matmul(t, basis))
    projected = np.allclose(np.asarray(project(x)), x @ basis, atol=1e-6)
    observe.aspect("no_precomputed_closure", holds=not projected, seen="uses it" if projected else "wrong values")

    def scale_by(t, factor):
        return t * factor

    scaled = keras.layers.Lambda(scale_by, arguments={"factor": 4.0})
    passed = np.allclose(np.asarray(scaled(x)), 4.0 * x) and scaled.get_config()["arguments"] == {"factor": 4.0}
    observe.aspect("no_arguments", holds=not passed, seen="passed and kept in get_config()" if passed else "not passed")

    # Weights sized from the first input need build(); a Lambda only has its function.
    has_own_build = type(project).build is not keras.layers.Layer.build
    project(x)
    observe.aspect("no_weights_from_shape", holds=project.weights == [],
                   seen=f"{len(project.weights)} weights, own build(): {has_own_build}")


def test_lambda_shape_checks(claim):
    observe = claim("lambda-cannot-validate-shapes")

    def pairs_only(t):
        if t.shape[-1] % 2:
            raise ValueError(f"needs an even number of features, got {t.shape[-1]}")
        return t

    refused = _refusal(lambda: keras.layers.Lambda(pairs_only)(_inputs(features=5)))
    observe.aspect("function_cannot_raise", holds=refused is None, seen=refused or "accepted")

    checked = keras.layers.Lambda(lambda t: t)
    checked.input_spec = keras.layers.InputSpec(ndim=2)
    refused = _refusal(lambda: checked(np.zeros((2, 3, 4), dtype="float32")))
    observe.aspect("input_spec_ignored", holds=refused is None, seen=refused or "accepted")

    declared = keras.layers.Lambda(lambda t: t, output_shape=(7,))
    inputs = keras.Input(shape=(3,))
    refused = _refusal(lambda: declared(inputs))
    shape = None if refused else tuple(declared(inputs).shape)
    observe.aspect("output_shape_unchecked", holds=refused is None,
                   seen=refused or f"symbolic shape {shape} for a real (None, 3)")
