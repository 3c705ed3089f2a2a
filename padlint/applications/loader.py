"""The architecture modules, parsed once per process and evaluated once per file.

Parsing is the expensive part (libcst), and a parsed module is immutable: it is kept
for the life of the process. Evaluating a module's top level (its imports, constants
and ``def`` statements) is cheap but binds closures to one evaluation's interpreter,
so each analysed file evaluates the modules it uses, on first use: a file that uses no
application costs nothing.

The modules import each other with relative imports (``from ._common import
obtain_input_shape``); padlint's evaluator binds such a name to a reference, which
the loader replaces with the value the other module defines. Their functions are
marked as library code: a ``raise`` in a helper (a check Keras makes) fails the whole
application, as in Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import libcst as cst

from padlint.evaluation.values import Closure, ModuleRef

if TYPE_CHECKING:
    from padlint.evaluation.interpreter import Interpreter, Scope

#: The folder of the architecture modules (a package of padlint's, never imported).
ARCHITECTURES = Path(__file__).resolve().parent / "architectures"

_PARSED: dict[str, cst.Module] = {}


def parsed(module: str) -> cst.Module:
    """The libcst module of ``architectures/<module>.py``, parsed on first use."""
    found = _PARSED.get(module)
    if found is None:
        found = cst.parse_module((ARCHITECTURES / f"{module}.py").read_text(encoding="utf-8"))
        _PARSED[module] = found
    return found


class ArchitectureModules:
    """The architecture modules one interpreter has evaluated, by name."""

    def __init__(self, interpreter: Interpreter) -> None:
        self.interpreter = interpreter
        self._scopes: dict[str, Scope] = {}

    def scope(self, module: str) -> Scope:
        """The module's top-level scope, evaluated on first use (with the modules it imports)."""
        from padlint.evaluation.interpreter import Scope

        scope = self._scopes.get(module)
        if scope is None:
            # "library", not "module": its functions are not the user's builders (which padlint
            # also runs uncalled), and what it binds is not the user's model variables.
            scope = Scope(None, "library")
            self._scopes[module] = scope
            self.interpreter.exec_block(parsed(module).body, scope)
            for name, value in list(scope.variables.items()):
                if isinstance(value, ModuleRef) and value.qualname.startswith("."):
                    other, _, member = value.qualname[1:].rpartition(".")
                    scope.variables[name] = self.scope(other).variables.get(member)
                elif isinstance(value, Closure):
                    value.library = True
        return scope

    def function(self, module: str, name: str) -> Any:
        return self.scope(module).variables.get(name)


def modules_of(interpreter: Interpreter) -> ArchitectureModules:
    """The architecture modules of this interpreter's evaluation (made on first use)."""
    runtime = interpreter.keras
    if runtime.applications is None:
        runtime.applications = ArchitectureModules(interpreter)
    return runtime.applications
