"""padlint: static analysis of Keras model code.

padlint reads Python source that builds Keras models, without importing TensorFlow
or running the code, and computes what ``model.summary()`` would print: every
layer's output shape and parameter count. Rules then read that analysis and report
the mistakes Keras only raises at run time, or never.
"""

__version__ = "0.1.0"
