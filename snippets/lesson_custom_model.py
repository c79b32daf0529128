"""The lesson's final model: the same network, built from our own layers."""

# --8<-- [start:imports]
import keras

from snippets.lesson_dense_layer import Dense
from snippets.lesson_relu_layer import MyReLU

# --8<-- [end:imports]


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
