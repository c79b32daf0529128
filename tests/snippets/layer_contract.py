"""Keras 3's own layer conformance harness, plus two checks it lacks.

``keras.src.testing.TestCase.run_layer_test`` builds the layer, calls it
eagerly and on symbolic inputs, round-trips its config, runs a training step
and, unless told otherwise, repeats the call under the ``mixed_float16``
policy. It does not feed inputs of a higher rank, nor use the layer inside a
model built on ``keras.Input``: ``check_layer_contract`` adds both.
"""

import keras
import numpy as np
import pytest

KERAS_2 = keras.__version__.startswith("2")


def keras_harness():
    if KERAS_2:
        pytest.skip("keras.src.testing.TestCase is Keras 3's harness; tf-keras (Keras 2) ships none")
    from keras.src.testing import TestCase

    class Harness(TestCase):
        def runTest(self):  # unittest wants one; the harness methods are what we call
            pass

    return Harness()


def check_layer_contract(layer_cls, init_kwargs, input_shape, expected_output_shape, *,
                         higher_rank_shape=None, mixed_precision=True, **harness_options):
    harness = keras_harness()
    harness.run_layer_test(
        layer_cls,
        init_kwargs=init_kwargs,
        input_shape=input_shape,
        expected_output_shape=expected_output_shape,
        run_mixed_precision_check=mixed_precision,
        **harness_options,
    )

    # Inside a model built on a symbolic keras.Input, then fed real data.
    inputs = keras.Input(shape=input_shape[1:])
    model = keras.Model(inputs, layer_cls(**init_kwargs)(inputs))
    x = np.random.default_rng(0).normal(size=input_shape).astype("float32")
    assert tuple(model.predict(x, verbose=0).shape) == tuple(expected_output_shape)

    if higher_rank_shape is not None:
        # A Dense-like layer applies to the last axis: rank 3 is rows of rank 2.
        layer = layer_cls(**init_kwargs)
        x3 = np.random.default_rng(1).normal(size=higher_rank_shape).astype("float32")
        out3 = np.asarray(layer(x3))
        rows = np.asarray(layer(x3.reshape(-1, higher_rank_shape[-1])))
        assert out3.shape[:-1] == higher_rank_shape[:-1]
        np.testing.assert_allclose(out3.reshape(rows.shape), rows, rtol=1e-5, atol=1e-6)
