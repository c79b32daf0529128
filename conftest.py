"""Set-up shared by every test, README code blocks included.

Under the legacy generation (TF_USE_LEGACY_KERAS=1, tf-keras 2.x), the name
`keras` in snippets and tests means tf-keras, as `tf.keras` does: readers on
Keras 2 write `import tf_keras as keras` or `from tensorflow import keras`.
"""

import os
import sys

if os.environ.get("TF_USE_LEGACY_KERAS") == "1":
    import tf_keras

    sys.modules["keras"] = tf_keras
