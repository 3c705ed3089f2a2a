"""The rule catalogue: one rule per module, installed as padlint.rules.

A new rule is a new file here: a subclass of padlint.rule.Rule with a code, a
kebab-case name, a severity, a docstring in ruff's sections, INVALID/VALID
examples and a ``check`` that reads the analysis. The catalogue finds it.
"""
