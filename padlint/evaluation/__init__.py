"""Static evaluation of model-building code: a safe interpreter for a subset of Python."""
