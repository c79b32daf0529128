"""The lesson's final model: the same network, built from our own Dense and MyReLU.

On the page, `Dense` and `MyReLU` are the classes the page has just shown (in
either tab), and the training reuses step 1's `train_and_evaluate`; here they
come from their own modules.
"""

import keras

from snippets.lesson_dense_layer import Dense
from snippets.lesson_relu_layer import MyReLU
from snippets.lesson_subclassed_model import train_and_evaluate


# --8<-- [start:model]
@keras.saving.register_keras_serializable(package="lesson")
class MyModel(keras.Model):
    def __init__(self, num_classes=10, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = num_classes
        self.dense1 = Dense(64)
        self.dense2 = Dense(num_classes)
        self.relu = MyReLU()

    def call(self, input_tensor):
        x = self.relu(self.dense1(input_tensor))
        return self.dense2(x)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}

# --8<-- [end:model]


def train_briefly(x_train, y_train, x_test, y_test):
    """The page's run of the final model: as step 1's, 3 epochs, seed 42."""
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
