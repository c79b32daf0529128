"""The check both lesson models share: Keras's layers (step 1), then our own (final model)."""

import numpy as np


def assert_computes_dense_relu_dense(model, x):
    """With weights and biases of both signs, `model(x)` is relu(x @ w1 + b1) @ w2 + b2.

    The weights are the model's own, read from `dense1` and `dense2` in numpy.
    Some hidden units must be negative before the ReLU, so that dropping a
    bias or the ReLU would change the outputs.
    """
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(0.0, 0.1, w.shape).astype("float32") for w in model.get_weights()])
    w1, b1 = (np.asarray(v) for v in model.dense1.weights)
    w2, b2 = (np.asarray(v) for v in model.dense2.weights)
    assert (x @ w1 + b1 < 0).mean() > 0.2
    assert (x @ w1 + b1 > 0).mean() > 0.2
    by_hand = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    np.testing.assert_allclose(np.asarray(model(x)), by_hand, rtol=1e-4, atol=1e-5)
