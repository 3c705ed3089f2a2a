"""What users do without padlint: import TensorFlow, build the file's models, call ``model.summary()``.

``python tf_summary.py model.py`` runs the model file (its ``if __name__ ==
"__main__"`` training block does not run) and prints the summary of every
Keras model it built, in the order they were bound.
"""

import os
import runpy
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf

namespace = runpy.run_path(sys.argv[1], run_name="model_file")
for value in list(namespace.values()):
    if isinstance(value, tf.keras.Model):
        value.summary()
