"""padlint: static analysis of Keras model code.

padlint reads Python source that builds Keras models, without importing TensorFlow
or running the code, and computes what ``model.summary()`` would print: every
layer's output shape and parameter count. Rules then read that analysis and report
the mistakes Keras only raises at run time, or never.
"""

__version__ = "0.1.0"


def _source_checkout_rules() -> None:
    """Make ``padlint.rules`` importable when padlint is imported from a source checkout.

    pyproject.toml installs the top-level rules/ folder as ``padlint.rules``. An
    installed padlint has it; but ``python -m pytest`` (or ``python -m padlint``)
    run in the checkout imports this folder's ``padlint`` first (the current
    folder leads ``sys.path``), where rules/ is a sibling. Only then, and only
    when no installed mapping (an editable install of this same checkout)
    provides that very folder, the sibling is registered under its installed
    name: an editable install of another checkout must not lend this padlint
    its rules.
    """
    import importlib.util
    import os
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    init = os.path.join(root, "rules", "__init__.py")
    if not (os.path.isfile(init) and os.path.isfile(os.path.join(root, "pyproject.toml"))):
        return
    found = importlib.util.find_spec(f"{__name__}.rules")
    if found is not None and found.origin and os.path.realpath(found.origin) == os.path.realpath(init):
        return
    spec = importlib.util.spec_from_file_location(f"{__name__}.rules", init, submodule_search_locations=[os.path.dirname(init)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    globals()["rules"] = module


_source_checkout_rules()
