"""Step 1 of the lesson: a subclassed model built from Keras's own layers."""

# --8<-- [start:imports]
import keras
import tensorflow as tf
from keras import layers

# --8<-- [end:imports]


# --8<-- [start:model]
class MyModel(keras.Model):
    def __init__(self, num_classes=10):
        super().__init__()
        self.dense1 = layers.Dense(64)
        self.dense2 = layers.Dense(num_classes)

    def call(self, input_tensor):
        x = tf.nn.relu(self.dense1(input_tensor))
        return self.dense2(x)

# --8<-- [end:model]


# --8<-- [start:train_function]
def train_and_evaluate(model, x_train, y_train, x_test, y_test, epochs=5, verbose=2):
    """Returns the fit history and the [loss, accuracy] on the test digits."""
    model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=keras.optimizers.Adam(),
        metrics=["accuracy"],
    )
    history = model.fit(x_train, y_train, batch_size=32, epochs=epochs, verbose=verbose)
    test_scores = model.evaluate(x_test, y_test, batch_size=32, verbose=verbose)
    return history, test_scores

# --8<-- [end:train_function]


def train_briefly(x_train, y_train, x_test, y_test):
    """The page's run of step 1: 3 epochs, seed 42; prints the size and the test accuracy."""
    # --8<-- [start:train]
    keras.utils.set_random_seed(42)
    model = MyModel()
    history, (loss, accuracy) = train_and_evaluate(
        model, x_train, y_train, x_test, y_test, epochs=3, verbose=0
    )
    print(model.count_params())
    print(f"{accuracy:.3f}")
    # --8<-- [end:train]
    return model, history, (loss, accuracy)
