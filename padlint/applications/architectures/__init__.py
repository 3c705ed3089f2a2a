"""keras.applications' architectures as Keras model-building code, for padlint's evaluator.

Each module builds the same layer graph as the Keras 3 application of the same name
(the same layers, names, order and arguments that change shapes or weights), written
anew for padlint. padlint never imports these modules: :mod:`padlint.applications`
parses them once per process and its own evaluator runs them with the arguments of the
user's call, so the interpreter, the layer specs and Keras' naming apply unchanged.
They are ordinary Keras code all the same, and Keras runs them to the same models.
"""
