"""Static shapes of ``keras.ops``, TensorFlow's tensor functions and the Keras 2 backend.

One module per keras/src/ops file (numpy, nn, core, math, image, linalg), each a
set of shape functions mirroring ``compute_output_spec``; tensorflow and
legacy_backend for ``tf.*`` and ``K.*``; registry for the name tables; runtime
for applying them to the evaluator's values (graph nodes named as Keras names
them); base for the contract and shared helpers.
"""
