"""``argparse`` as a plain run of the script sees it: every option takes its default.

Training scripts take their hyper-parameters from the command line
(``parser.add_argument("--filters", type=int, default=32)``, then
``args = parser.parse_args()`` and ``build(args.filters)``). padlint analyses
the model a run without arguments builds, which is what a user of the CLI
expects to see: ``parse_args()`` returns a namespace holding each option's
default, converted by its ``type`` when the default is a string (as argparse
does). An option without a usable default (a positional argument, a
``required`` option, a sub-command) is unknown. The interpreter records that
it assumed the defaults, which ``-v`` says.

Mirrors Lib/argparse.py: ``dest`` from the first long option string (dashes
become underscores) or the first short one, ``store_true``/``store_false``/
``store_const``/``count``/``append`` defaults, ``set_defaults``, argument groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from padlint.evaluation.values import ModuleRef, Unknown

if TYPE_CHECKING:
    from padlint.evaluation.interpreter import Interpreter

#: What the value of an option without a known default is.
NO_DEFAULT = "an option padlint takes from the command line has no default"


@dataclass(eq=False)
class ParserValue:
    """An ``argparse.ArgumentParser`` (or one of its argument groups): its options, in order."""

    #: (dest, option strings, add_argument's keywords) of each option, as argparse's ``_actions``.
    actions: list[tuple[str, list, dict]] = field(default_factory=list)
    #: ``set_defaults(...)`` (argparse's ``_defaults``).
    defaults: dict[str, Any] = field(default_factory=dict)
    #: ``ArgumentParser(argument_default=...)``.
    argument_default: Any = None
    #: The parser an argument group adds to (None for the parser itself).
    owner: ParserValue | None = None

    @property
    def root(self) -> ParserValue:
        return self.owner.root if self.owner is not None else self


@dataclass(eq=False)
class NamespaceValue:
    """What ``parse_args()`` returns on a run without arguments."""

    attributes: dict[str, Any] = field(default_factory=dict)


def parser_attribute(parser: ParserValue, name: str) -> Any:
    from padlint.evaluation.builtins import BuiltinFunction

    method = PARSER_METHODS.get(name)
    if method is None:
        return Unknown(f"ArgumentParser.{name}")
    return BuiltinFunction(f"ArgumentParser.{name}", lambda interp, args, kwargs: method(interp, parser, args, kwargs))


def namespace_attribute(namespace: NamespaceValue, name: str) -> Any:
    return namespace.attributes.get(name, Unknown(f"args.{name} is not an option padlint saw"))


def _dest(names: list, kwargs: dict) -> str | None:
    if isinstance(kwargs.get("dest"), str):
        return kwargs["dest"]
    strings = [name for name in names if isinstance(name, str)]
    if len(strings) != len(names) or not strings:
        return None
    if not strings[0].startswith("-"):
        return strings[0]  # a positional argument: its name
    long = [name for name in strings if name.startswith("--")]
    chosen = long[0] if long else strings[0]
    return chosen.lstrip("-").replace("-", "_")


def _default(names: list, kwargs: dict) -> Any:
    """The value a run without this option gives it (argparse's ``_parse_known_args``:
    the action's default, a string default converted by ``type``)."""
    action = kwargs.get("action", "store")
    positional = all(isinstance(name, str) and not name.startswith("-") for name in names)
    if positional and kwargs.get("nargs") == "*":
        # _get_values: a positional '*' given nothing is its default unless None, else [] (unconverted).
        return [] if kwargs.get("default") is None else kwargs["default"]
    if positional and kwargs.get("nargs") != "?":
        return Unknown(f"{NO_DEFAULT} (a positional argument)")
    if kwargs.get("required") is True:
        return Unknown(f"{NO_DEFAULT} (a required option)")
    if action == "store_true":
        return kwargs.get("default", False)
    if action == "store_false":
        return kwargs.get("default", True)
    if action not in ("store", "store_const", "append", "count", "extend", "append_const"):
        return Unknown(f"an option with action {action!r}")
    default = kwargs.get("default")
    kind = kwargs.get("type")
    if isinstance(default, str) and kind is not None:
        return _converted(default, kind)
    return default


def _converted(text: str, kind: Any) -> Any:
    """``type=int`` applied to a string default (argparse converts those, and only those)."""
    from padlint.evaluation.builtins import BuiltinFunction

    if isinstance(kind, BuiltinFunction) and kind.name in ("int", "float", "str"):
        try:
            return {"int": int, "float": float, "str": str}[kind.name](text) if len(text) < 100 else Unknown("a long default")
        except ValueError:
            return Unknown("a default its type rejects")
    return Unknown("a default converted by a function padlint does not model")


def _add_argument(interp: Interpreter, parser: ParserValue, args: list, kwargs: dict) -> Any:
    dest = _dest(args, kwargs)
    if dest is None:
        return None
    root = parser.root
    if "default" not in kwargs:
        # argparse fills a missing default from set_defaults(), else from argument_default.
        if dest in root.defaults:
            kwargs = {**kwargs, "default": root.defaults[dest]}
        elif root.argument_default is not None:
            kwargs = {**kwargs, "default": root.argument_default}
    root.actions.append((dest, list(args), dict(kwargs)))
    return None


def _set_defaults(interp: Interpreter, parser: ParserValue, args: list, kwargs: dict) -> Any:
    """argparse's ``set_defaults``: remembered, and the default of every option of that dest."""
    root = parser.root
    root.defaults.update(kwargs)
    root.actions[:] = [(dest, names, {**options, "default": kwargs[dest]} if dest in kwargs else options) for dest, names, options in root.actions]
    return None


def _group(interp: Interpreter, parser: ParserValue, args: list, kwargs: dict) -> Any:
    return ParserValue(owner=parser)


def _subparsers(interp: Interpreter, parser: ParserValue, args: list, kwargs: dict) -> Any:
    return Unknown("sub-commands: which one runs is the command line's")


def _suppressed(default: Any) -> bool:
    """Whether a default is ``argparse.SUPPRESS`` (the option is then absent from the namespace)."""
    return default == "==SUPPRESS==" or (isinstance(default, ModuleRef) and default.qualname == "argparse.SUPPRESS")


def _parse_args(interp: Interpreter, parser: ParserValue, args: list, kwargs: dict) -> Any:
    given = args[0] if args else kwargs.get("args")
    if given not in (None, []):
        return Unknown("parse_args() of a given argument list")  # not modelled
    interp.assumed_defaults = True
    root = parser.root
    values: dict[str, Any] = {}
    for dest, names, options in root.actions:
        if options.get("action") in ("help", "version") or _suppressed(options.get("default")):
            continue  # a default of argparse.SUPPRESS: no attribute
        if dest not in values:  # the first option of a dest sets it
            values[dest] = _default(names, options)
    for dest, value in root.defaults.items():
        values.setdefault(dest, value)
    return NamespaceValue(values)


def _parse_known_args(interp: Interpreter, parser: ParserValue, args: list, kwargs: dict) -> Any:
    namespace = _parse_args(interp, parser, args, kwargs)
    return (namespace, []) if isinstance(namespace, NamespaceValue) else namespace


def _inert(interp: Interpreter, parser: ParserValue, args: list, kwargs: dict) -> Any:
    return None


PARSER_METHODS = {
    "add_argument": _add_argument,
    "set_defaults": _set_defaults,
    "add_argument_group": _group,
    "add_mutually_exclusive_group": _group,
    "add_subparsers": _subparsers,
    "parse_args": _parse_args,
    "parse_known_args": _parse_known_args,
    "print_help": _inert,
    "print_usage": _inert,
}


def argument_parser(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``argparse.ArgumentParser(...)``."""
    return ParserValue(argument_default=kwargs.get("argument_default"))


#: Library functions by qualified name (merged into builtins.LIBRARY).
FUNCTIONS = {"argparse.ArgumentParser": argument_parser}
