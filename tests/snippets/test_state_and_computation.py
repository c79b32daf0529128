"""Tests for snippets/state_and_computation.py (DenseWithActivation)."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

from snippets import state_and_computation as sc
from tests.snippets.layer_contract import check_layer_contract

DenseWithActivation = sc.DenseWithActivation

KERAS_2 = keras.__version__.startswith("2")


def _inputs(rows=5, features=3, seed=0):
    # Mixed signs, so that relu/tanh actually change the values.
    return np.random.default_rng(seed).normal(size=(rows, features)).astype("float32")


def _short_name(variable):
    # Keras 3: "kernel"; tf-keras 2: "dense_with_activation/kernel:0".
    return variable.name.split("/")[-1].split(":")[0]


def _built(layer, features):
    """Build a layer by calling it, as readers do. (A direct layer.build() is not
    enough on tf-keras 2 when build() does not call super().build(): the first
    call would build again and replace the weights.)"""
    layer(np.zeros((1, features), dtype="float32"))
    return layer


def _random_weights(layer, seed=1):
    """Give a built layer random kernel AND non-zero bias (the initial bias is 0,
    which would hide a dropped bias)."""
    rng = np.random.default_rng(seed)
    kernel = rng.normal(size=tuple(layer.kernel.shape)).astype("float32")
    bias = rng.normal(size=tuple(layer.bias.shape)).astype("float32")
    layer.set_weights([kernel, bias])
    return kernel, bias


def test_weights_are_created_lazily_on_first_call_and_only_once(claim):
    observe = claim("state-created-with-add-weight")
    layer = DenseWithActivation(units=4, activation="relu")
    built_before = layer.built
    observe.aspect("none_before_build", holds=not built_before and layer.weights == [],
                   seen=f"built={built_before}, {len(layer.weights)} weights")

    layer(_inputs(features=3))
    names = [_short_name(w) for w in layer.weights]
    observe.aspect("weights_are_add_weight_variables",
                   holds=[id(w) for w in layer.weights] == [id(layer.kernel), id(layer.bias)],
                   seen=names)
    assert layer.built
    kernel, bias = layer.kernel, layer.bias
    assert tuple(kernel.shape) == (3, 4)
    assert tuple(bias.shape) == (4,)
    assert len(layer.trainable_weights) == 2
    assert layer.non_trainable_weights == []

    layer(_inputs(rows=7, features=3, seed=2))
    assert len(layer.weights) == 2
    assert layer.kernel is kernel
    assert layer.bias is bias


def test_output_shape_and_initial_values():
    keras.utils.set_random_seed(0)
    layer = DenseWithActivation(units=4)
    y = layer(_inputs(rows=2, features=3))
    assert tuple(y.shape) == (2, 4)

    np.testing.assert_array_equal(layer.bias.numpy(), np.zeros(4, dtype="float32"))
    kernel = layer.kernel.numpy()
    assert np.any(kernel != 0)
    # glorot_uniform draws from U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)).
    limit = np.sqrt(6.0 / (3 + 4))
    assert np.all(np.abs(kernel) <= limit)
    # glorot_uniform itself, not any small initializer: on a larger layer the
    # draws fill U(-limit, limit), whose standard deviation is limit / sqrt(3).
    keras.utils.set_random_seed(0)
    wide = DenseWithActivation(units=300)
    wide(_inputs(rows=1, features=200))
    values = wide.kernel.numpy().ravel()
    wide_limit = np.sqrt(6.0 / (200 + 300))
    assert values.std() == pytest.approx(wide_limit / np.sqrt(3), rel=0.02)
    assert np.abs(values).max() == pytest.approx(wide_limit, rel=0.01)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", None])
def test_matches_keras_dense_and_numpy(activation):
    x = _inputs(rows=6, features=3)
    layer = _built(DenseWithActivation(units=4, activation=activation), 3)
    kernel, bias = _random_weights(layer)

    reference = _built(keras.layers.Dense(4, activation=activation), 3)
    reference.set_weights([kernel, bias])

    ours = np.asarray(layer(x))
    np.testing.assert_allclose(ours, np.asarray(reference(x)), rtol=1e-5, atol=1e-6)

    numpy_activations = {
        "relu": lambda z: np.maximum(z, 0.0),
        "tanh": np.tanh,
        "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
        None: lambda z: z,
    }
    expected = numpy_activations[activation](x @ kernel + bias)
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)


def test_activation_argument_is_applied():
    x = _inputs(rows=8, features=3)

    def run(activation):
        layer = _built(DenseWithActivation(units=5, activation=activation), 3)
        kernel, bias = _random_weights(layer, seed=3)
        return np.asarray(layer(x)), x @ kernel + bias

    # By name.
    out, pre = run("relu")
    assert np.any(pre < 0), "test data must exercise the negative side of relu"
    np.testing.assert_allclose(out, np.maximum(pre, 0.0), rtol=1e-5, atol=1e-6)

    # By Keras callable.
    out, pre = run(keras.activations.tanh)
    np.testing.assert_allclose(out, np.tanh(pre), rtol=1e-5, atol=1e-6)

    # By arbitrary callable.
    out, pre = run(lambda z: 3.0 * z)
    np.testing.assert_allclose(out, 3.0 * pre, rtol=1e-5, atol=1e-5)

    # None means linear.
    out, pre = run(None)
    np.testing.assert_allclose(out, pre, rtol=1e-5, atol=1e-6)


def test_gradients_reach_kernel_and_bias():
    layer = DenseWithActivation(units=2, activation="tanh")
    x = tf.constant(_inputs(rows=4, features=3))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x))
    grads = tape.gradient(loss, layer.trainable_weights)
    assert len(grads) == 2
    assert all(g is not None and np.any(np.asarray(g) != 0) for g in grads)


def test_base_class_kwargs_are_forwarded():
    layer = DenseWithActivation(units=2, name="my_dense", trainable=False, dtype="float64")
    layer(_inputs(rows=2, features=3).astype("float64"))
    assert layer.name == "my_dense"
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 2
    assert layer.kernel.dtype == "float64"


def test_get_config_from_config_round_trip():
    layer = DenseWithActivation(units=4, activation="relu", name="dense_relu")
    config = layer.get_config()
    assert config["units"] == 4
    assert config["activation"] == "relu"
    assert config["name"] == "dense_relu"

    rebuilt = DenseWithActivation.from_config(config)
    assert rebuilt.get_config() == config
    assert rebuilt.units == 4

    x = _inputs(rows=6, features=3)
    _random_weights(_built(layer, 3))
    _built(rebuilt, 3)
    rebuilt.set_weights(layer.get_weights())
    np.testing.assert_allclose(np.asarray(rebuilt(x)), np.asarray(layer(x)), rtol=0, atol=0)
    # Activation really survived the round trip (relu output is non-negative,
    # and some pre-activations are negative).
    assert np.all(np.asarray(rebuilt(x)) >= 0)
    assert np.any(np.asarray(rebuilt(x)) == 0)


class _UnregisteredDense(DenseWithActivation):
    """Same code as DenseWithActivation; a subclass is not registered with Keras."""


def _small_model(layer_cls):
    inputs = keras.Input(shape=(3,))
    hidden = layer_cls(4, activation="relu")(inputs)
    outputs = layer_cls(2)(hidden)
    model = keras.Model(inputs, outputs)
    for seed, layer in enumerate(model.layers[1:]):
        _random_weights(layer, seed=seed)
    return model


def _reload(path, **kwargs):
    """The reloaded model, or the name of the exception that refused it."""
    try:
        return keras.models.load_model(path, **kwargs)
    except (TypeError, ValueError) as error:
        return type(error).__name__


def test_keras_file_round_trip_needs_registered_class(tmp_path, claim):
    observe = claim("separation-helps-serialization")
    x = _inputs(rows=5, features=3)

    # Registered class: the state comes back exactly.
    model = _small_model(DenseWithActivation)
    path = tmp_path / "registered.keras"
    model.save(path)
    reloaded = _reload(path)
    same = not isinstance(reloaded, str) and all(
        np.array_equal(before, after) for before, after in zip(model.get_weights(), reloaded.get_weights())
    )
    observe.aspect("state_restored", holds=same, seen="identical weights" if same else reloaded)
    assert isinstance(reloaded.layers[1], DenseWithActivation) and reloaded.layers[1].units == 4
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))

    # Unregistered class: does the file alone bring the computation back?
    plain = _small_model(_UnregisteredDense)
    plain_path = tmp_path / "unregistered.keras"
    plain.save(plain_path)
    alone = _reload(plain_path)
    observe.aspect("file_alone_suffices", holds=not isinstance(alone, str),
                   seen="loads" if not isinstance(alone, str) else alone)

    # Supplying the class is the fix the page shows.
    reloaded_plain = keras.models.load_model(plain_path, custom_objects={"_UnregisteredDense": _UnregisteredDense})
    assert isinstance(reloaded_plain.layers[1], _UnregisteredDense)
    np.testing.assert_array_equal(reloaded_plain.predict(x, verbose=0), plain.predict(x, verbose=0))


def test_positional_weight_name(claim):
    observe = claim("add-weight-positional-name")

    class PositionalName(keras.layers.Layer):
        # The source article's style: the weight name passed positionally.
        def build(self, input_shape):
            self.kernel = self.add_weight(
                "kernel",
                shape=(input_shape[-1], 2),
                initializer="glorot_uniform",
                trainable=True,
            )

        def call(self, inputs):
            return tf.matmul(inputs, self.kernel)

    layer = PositionalName()
    try:
        y = layer(np.ones((1, 3), dtype="float32"))
    except ValueError as error:
        message = str(error)
        observe.aspect("creates_named_weight", holds=False, seen="ValueError")
        # The page quotes this message: it must still say why.
        assert "must be passed as a keyword argument" in message
    else:
        assert tuple(y.shape) == (1, 2)
        name = _short_name(layer.weights[0])
        observe.aspect("creates_named_weight", holds=name == "kernel", seen=f"weight {name!r}")


def test_positional_name_error_raises_on_keras_3():
    """The page's failing form: add_weight("kernel", ...) with the name positional."""
    if KERAS_2:
        pytest.skip("Keras 2 accepts the name positionally (claim add-weight-positional-name)")
    with pytest.raises(ValueError, match="`name` must be passed as a keyword argument") as raised:
        sc.positional_name_error()
    # The page quotes this message for its fix: it must still name it.
    assert "name='kernel'" in str(raised.value)


def test_demo(capsys):
    y = sc.demo()
    assert tuple(y.shape) == (2, 4)
    assert np.all(np.asarray(y) >= 0)
    printed = capsys.readouterr().out
    assert "(2, 4)" in printed
    if KERAS_2:
        # Keras 2 scopes names: ['dense_with_activation/kernel:0', '…/bias:0'].
        assert "/kernel:0'" in printed and "/bias:0'" in printed
    else:
        assert "['kernel', 'bias']" in printed


def test_weights_are_specific_to_each_instance(claim):
    """Two layers of the same class share the computation, never the state."""
    observe = claim("state-per-instance")
    first = DenseWithActivation(units=2)
    second = DenseWithActivation(units=2)
    x = _inputs(features=3)
    first(x)
    second(x)
    distinct = first.kernel is not second.kernel and first.bias is not second.bias
    observe.aspect("distinct_variables", holds=distinct, seen="distinct" if distinct else "shared")
    # Changing one (here: moving its bias, as training would) and looking at the other.
    before = second.get_weights()
    first.bias.assign(first.bias + 1.0)
    untouched = all(np.array_equal(kept, now) for kept, now in zip(before, second.get_weights(), strict=True))
    observe.aspect("update_stays_local", holds=untouched, seen="other unchanged" if untouched else "other changed")


class CountingDense(DenseWithActivation):
    """Counts how often Keras runs build() and the Python body of call()."""

    builds = 0
    calls = 0

    def build(self, input_shape):
        type(self).builds += 1
        super().build(input_shape)

    def call(self, inputs):
        type(self).calls += 1
        return super().call(inputs)


def test_build_runs_once_and_call_runs_every_time(claim):
    observe = claim("build-once-call-every-time")

    class Counted(CountingDense):
        pass

    layer = Counted(units=2)
    for _ in range(3):
        layer(_inputs(features=3))
    observe.aspect("build_once", holds=Counted.builds == 1, seen=f"{Counted.builds} build(s)")
    observe.aspect("call_every_time", holds=Counted.calls == 3, seen=f"{Counted.calls} call(s)")


def test_call_body_under_fit_runs_while_tracing(claim):
    observe = claim("call-python-runs-under-fit")

    class StepCounting(CountingDense):
        def build(self, input_shape):
            super().build(input_shape)
            # Counted by the graph itself, at every step that really runs.
            self.steps = self.add_weight(name="steps", shape=(), initializer="zeros", trainable=False)

        def call(self, inputs):
            self.steps.assign_add(1.0)
            return super().call(inputs)

    layer = StepCounting(units=1)
    model = keras.Sequential([keras.Input((3,)), layer])
    model.compile(optimizer="sgd", loss="mse")
    python_before = StepCounting.calls
    x = _inputs(rows=16, features=3)
    model.fit(x, x[:, :1], batch_size=1, epochs=1, verbose=0)  # 16 steps
    python_runs = StepCounting.calls - python_before
    graph_runs = int(layer.steps.numpy())
    observe.aspect("python_body_every_step", holds=python_runs >= 16, seen=f"{python_runs} of 16 steps")
    observe.aspect("graph_every_step", holds=graph_runs == 16, seen=f"{graph_runs} of 16 steps")


def test_state_persists_between_calls_and_fit_updates_it(claim):
    observe = claim("state-persists-and-trains")
    keras.utils.set_random_seed(0)
    layer = DenseWithActivation(units=1)
    model = keras.Sequential([keras.Input((3,)), layer])
    x = _inputs(rows=32, features=3)
    first = [w.copy() for w in layer.get_weights()]
    model(x)
    model(x)
    kept = all(np.array_equal(a, b) for a, b in zip(first, layer.get_weights(), strict=True))
    observe.aspect("persists_between_calls", holds=kept, seen="unchanged by calls" if kept else "changed by calls")

    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.fit(x, x.sum(axis=1, keepdims=True), epochs=1, batch_size=32, verbose=0)
    moved = [not np.allclose(a, b) for a, b in zip(first, layer.get_weights(), strict=True)]
    observe.aspect("fit_updates", holds=all(moved), seen=f"kernel moved={moved[0]}, bias moved={moved[1]}")


def test_same_computation_with_different_states(claim):
    observe = claim("same-computation-different-states")
    x = _inputs(features=3)
    first = _built(DenseWithActivation(units=2, activation="tanh"), 3)
    second = _built(DenseWithActivation(units=2, activation="tanh"), 3)
    _random_weights(first, seed=1)
    _random_weights(second, seed=2)
    differ = not np.allclose(first(x), second(x))
    observe.aspect("different_states_different_outputs", holds=differ,
                   seen="outputs differ" if differ else "same outputs")
    second.set_weights(first.get_weights())
    same = np.array_equal(np.asarray(first(x)), np.asarray(second(x)))
    observe.aspect("same_state_same_output", holds=same, seen="identical outputs" if same else "outputs differ")


class ArticleDense(keras.layers.Layer):
    """The article's layer as written: no __init__, and no activation."""

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.units), initializer="glorot_uniform", trainable=True
        )

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel)


def _outcome(action):
    """("works", result) or the exception's class name."""
    try:
        return "works", action()
    except (AttributeError, TypeError, ValueError) as error:
        return type(error).__name__, None


def test_article_code_as_written(claim):
    observe = claim("article-code-runs-as-shown")
    x = _inputs(features=3)
    for aspect, action in {
        "call_without_init": lambda: ArticleDense()(x),
        "units_argument": lambda: ArticleDense(units=4)(x),
        "activation_argument": lambda: ArticleDense(activation="relu"),
    }.items():
        outcome, _ = _outcome(action)
        observe.aspect(aspect, holds=outcome == "works", seen=outcome)


def _triple(z):
    return 3.0 * z


def test_named_activation_reloads_and_lambda_activation_never_does(tmp_path):
    """build-and-call, "An activation of your own": use `def`, not a `lambda`."""
    x = _inputs(rows=4, features=3)
    named = keras.Sequential([keras.Input((3,)), DenseWithActivation(units=2, activation=_triple)])
    named.save(tmp_path / "named.keras")
    reloaded = keras.models.load_model(tmp_path / "named.keras", custom_objects={"_triple": _triple})
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), named.predict(x, verbose=0))

    anonymous = keras.Sequential([keras.Input((3,)), DenseWithActivation(units=2, activation=lambda z: 3.0 * z)])
    anonymous.compile(optimizer="sgd", loss="mse")
    anonymous.fit(x, np.zeros((4, 2), dtype="float32"), epochs=1, verbose=0)  # it trains...
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        anonymous.save(tmp_path / "lambda.keras")
    if not KERAS_2:  # Keras 3 warns that only safe_mode=False could reload it (even that fails)
        assert any("`lambda`" in str(warning.message) for warning in caught)
    for options in ({}, {"safe_mode": False}, {"safe_mode": False, "custom_objects": {"_triple": _triple}}):
        with pytest.raises(TypeError):  # ...but never reloads
            keras.models.load_model(tmp_path / "lambda.keras", **options)


def _output_spec_outside_a_call(layer):
    """What Keras's test harness does: the output spec of float16 inputs, outside __call__."""
    if KERAS_2:
        return layer.compute_output_signature(tf.TensorSpec((None, 3), tf.float16)).dtype.name
    return layer.compute_output_spec(keras.KerasTensor((None, 3), dtype="float16")).dtype


def test_tf_matmul_under_mixed_precision(claim):
    observe = claim("tf-matmul-mixed-precision")
    x = _inputs(rows=8, features=3)

    def functional_model():
        inputs = keras.Input((3,))
        return keras.Model(inputs, DenseWithActivation(units=2)(inputs)).predict(x, verbose=0).dtype

    def fit():
        model = keras.Sequential([keras.Input((3,)), DenseWithActivation(units=2)])
        model.compile(optimizer="sgd", loss="mse")
        loss = model.fit(x, np.zeros((8, 2)), verbose=0).history["loss"][0]
        return "trains" if np.isfinite(loss) else "loss is not finite"

    def output_spec():
        layer = DenseWithActivation(units=2)
        layer(x)
        return _output_spec_outside_a_call(layer)

    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        for aspect, action in {
            "eager_call": lambda: DenseWithActivation(units=2)(x).dtype,
            "functional_model": functional_model,
            "fit": fit,
            "output_spec_outside_call": output_spec,
        }.items():
            try:
                result = action()
            except (TypeError, ValueError, tf.errors.InvalidArgumentError) as error:
                observe.aspect(aspect, holds=False, seen=type(error).__name__)
            else:
                observe.aspect(aspect, holds=True, seen=getattr(result, "name", result))
    finally:
        keras.mixed_precision.set_global_policy(previous)


def test_keras_layer_contract():
    # The mixed-precision part is left out on purpose: tf.matmul, kept from the
    # article, fails it (claim tf-matmul-mixed-precision); the page's "Keras 3,
    # any backend" tab passes it (tests/snippets/test_any_backend_dense.py).
    check_layer_contract(DenseWithActivation, {"units": 4, "activation": "relu"}, (2, 3), (2, 4),
                         higher_rank_shape=(2, 5, 3), mixed_precision=False)
