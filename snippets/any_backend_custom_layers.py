"""The custom layers of "Custom versus Lambda", for Keras 3 on any backend.

Shown in the "Keras 3, any backend" tabs of that page. The same layers as
snippets/stateful_layer.py, training_flag.py, shape_validation.py and
layer_losses.py, written with ``keras.ops`` and ``keras.random`` only: they
run on TensorFlow, JAX and PyTorch, mixed precision included. Nothing here
imports TensorFlow.
"""

# --8<-- [start:imports]
import keras
from keras import ops

# --8<-- [end:imports]


# --8<-- [start:stateful]
@keras.saving.register_keras_serializable(package="any_backend")
class StatefulLayer(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            name="w", shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True
        )

    def call(self, inputs):
        return ops.matmul(inputs, self.w)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units}

# --8<-- [end:stateful]


# --8<-- [start:training_noise]
@keras.saving.register_keras_serializable(package="any_backend")
class TrainingNoise(keras.layers.Layer):
    """Adds standard Gaussian noise during training; identity at inference."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        # JAX has no global random state: the layer owns its seed, which
        # keras.random advances at every call, on every backend.
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    # --8<-- [start:training_noise_call]
    def call(self, inputs, training=None):
        if training:
            # Training only: perturb the inputs.
            noise = keras.random.normal(ops.shape(inputs), dtype=inputs.dtype, seed=self.seed_generator)
            return inputs + noise
        # Inference: pass the inputs through unchanged.
        return inputs
    # --8<-- [end:training_noise_call]

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}

# --8<-- [end:training_noise]


# --8<-- [start:pairwise_sum]
@keras.saving.register_keras_serializable(package="any_backend")
class PairwiseSum(keras.layers.Layer):
    """Sums neighbouring features: (batch, 2n) -> (batch, n)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = keras.layers.InputSpec(ndim=2)

    def build(self, input_shape):
        if input_shape[-1] is None or input_shape[-1] % 2:
            raise ValueError(f"PairwiseSum needs an even, known number of features; got {input_shape[-1]}.")
        self.input_spec = keras.layers.InputSpec(ndim=2, axes={-1: input_shape[-1]})

    def call(self, inputs):
        pairs = ops.reshape(inputs, (-1, inputs.shape[-1] // 2, 2))
        return ops.sum(pairs, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1] // 2)

# --8<-- [end:pairwise_sum]


# --8<-- [start:activity_penalty]
@keras.saving.register_keras_serializable(package="any_backend")
class ActivityPenalty(keras.layers.Layer):
    """Identity layer that adds ``rate * mean(x**2)`` to the model's loss."""

    def __init__(self, rate=1e-2, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(ops.square(inputs)))
        return inputs

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}

# --8<-- [end:activity_penalty]
