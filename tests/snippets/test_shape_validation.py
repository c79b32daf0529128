"""Tests for snippets/shape_validation.py (PairwiseSum)."""

import keras
import numpy as np
import pytest

from snippets import shape_validation
from tests.snippets.layer_contract import check_layer_contract

PairwiseSum = shape_validation.PairwiseSum


def _inputs(rows=5, features=4, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, features)).astype("float32")


def _numpy_pairwise_sum(x):
    return x[:, 0::2] + x[:, 1::2]


def _refused(action):
    """The name of the error that refused the input, or None if it was accepted."""
    try:
        action()
    except ValueError as error:
        return type(error).__name__
    return None


def test_wrong_feature_size_is_rejected(claim):
    observe = claim("custom-validates-shapes")
    layer = PairwiseSum()
    x = _inputs(features=4)
    y = np.asarray(layer(x))
    assert y.shape == (5, 2)
    np.testing.assert_allclose(y, _numpy_pairwise_sum(x), rtol=1e-6)

    # Built on 4 features: 6 (even, so reshapable) is refused.
    refused = _refused(lambda: layer(_inputs(features=6)))
    observe.aspect("wrong_features", holds=refused is not None, seen=refused or "accepted")
    # Rank 3, on the built layer and on a fresh one.
    refused = [_refused(lambda: layer(np.ones((2, 3, 4), dtype="float32"))),
               _refused(lambda: PairwiseSum()(np.ones((2, 3, 4), dtype="float32")))]
    observe.aspect("wrong_rank", holds=None not in refused, seen=refused)
    # Odd feature count, at call time and at build time.
    refused = [_refused(lambda: PairwiseSum()(_inputs(features=5))), _refused(lambda: PairwiseSum().build((None, 7)))]
    observe.aspect("odd_features", holds=None not in refused, seen=refused)

    # The layer still works on the size it was built for.
    x2 = _inputs(rows=3, features=4, seed=1)
    np.testing.assert_allclose(np.asarray(layer(x2)), _numpy_pairwise_sum(x2), rtol=1e-6)


class CallCounting(PairwiseSum):
    calls = 0

    def call(self, inputs):
        type(self).calls += 1
        return super().call(inputs)


def test_output_shape_without_running_call(claim):
    observe = claim("compute-output-shape-without-call")

    class Direct(CallCounting):
        pass

    shape = tuple(Direct().compute_output_shape((None, 6)))
    assert shape == (None, 3)
    observe.aspect("direct_call", holds=Direct.calls == 0, seen=f"{Direct.calls} call(s), shape {shape}")

    class Functional(CallCounting):
        pass

    outputs = Functional()(keras.Input(shape=(6,)))
    assert tuple(outputs.shape) == (None, 3)
    observe.aspect("functional_build", holds=Functional.calls == 0, seen=f"{Functional.calls} call(s)")


def test_rank_is_checked_before_build():
    # The InputSpec set in __init__ rejects a rank-3 input before build() runs,
    # so the layer is not left built for a bad shape and stays usable.
    layer = PairwiseSum()
    with pytest.raises(ValueError, match="ndim"):
        layer(np.ones((2, 3, 4), dtype="float32"))
    assert not layer.built
    x = _inputs(features=6)
    np.testing.assert_allclose(np.asarray(layer(x)), _numpy_pairwise_sum(x), rtol=1e-6)


@pytest.mark.parametrize("features", [2, 6, 10])
def test_values_are_neighbouring_sums(features):
    x = _inputs(rows=4, features=features, seed=features)
    np.testing.assert_allclose(np.asarray(PairwiseSum()(x)), _numpy_pairwise_sum(x), rtol=1e-6, atol=1e-6)


def test_unknown_feature_size_is_rejected():
    with pytest.raises(ValueError):
        PairwiseSum()(keras.Input(shape=(None,)))


def test_symbolic_output_shape_and_no_weights():
    inputs = keras.Input(shape=(8,))
    layer = PairwiseSum()
    outputs = layer(inputs)
    assert tuple(outputs.shape) == (None, 4)
    assert layer.compute_output_shape((None, 8)) == (None, 4)
    assert layer.weights == []

    model = keras.Model(inputs, outputs)
    x = _inputs(rows=3, features=8)
    np.testing.assert_allclose(model.predict(x, verbose=0), _numpy_pairwise_sum(x), rtol=1e-6)


def test_keras_file_round_trip_keeps_validation(tmp_path):
    inputs = keras.Input(shape=(4,))
    model = keras.Model(inputs, PairwiseSum()(inputs))
    path = tmp_path / "pairwise.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)  # registered: no custom_objects
    x = _inputs(features=4)
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(ValueError):
        reloaded.layers[-1](_inputs(features=6))


def test_keras_layer_contract():
    # Rank 3 is refused by design (InputSpec(ndim=2)): see test_rank_is_checked_before_build.
    check_layer_contract(PairwiseSum, {}, (2, 4), (2, 2))


def test_demo_values_and_symbolic_shape(capsys):
    pairwise = shape_validation.demo()
    assert capsys.readouterr().out.splitlines() == [str(np.array([[3.0, 7.0]], dtype="float32")), "(None, 4)"]
    assert pairwise.input_spec.axes == {-1: 4}


def test_page_failing_forms_are_refused_by_the_input_spec():
    pairwise = shape_validation.demo()
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        shape_validation.wrong_rank(pairwise)
    with pytest.raises(ValueError, match="axis -1 of input shape to have value 4"):
        shape_validation.wrong_features(pairwise)
