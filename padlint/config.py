"""Configuration: ``[tool.padlint]`` in pyproject.toml, or a padlint.toml, found as ruff finds its own.

Precedence, from strongest to weakest:

1. command-line flags (``--select``, ``--ignore``, ``--per-file-ignores``, ``--input-shape``, ...);
2. ``--config KEY=VALUE`` overrides (TOML, e.g. ``--config "rules.PAD201.max-shrinkage = 0.3"``);
3. the configuration file: with ``--config PATH`` that file for every checked file;
   otherwise, for each file, the nearest of ``.padlint.toml``, ``padlint.toml`` or a
   ``pyproject.toml`` with a ``[tool.padlint]`` table, walking up from the file's
   folder (in one folder, in that order); ``--isolated`` ignores every file;
4. the defaults (every rule but the opt-in ones, default thresholds).

Rule selection works in layers as in ruff: the configuration file, then the
command line. A layer with ``select`` starts afresh; within a layer, the more
specific selector wins (``PAD2`` over ``ALL``, ``PAD201`` over ``PAD2``), and
``ignore`` wins over ``select`` at equal specificity.

Patterns in ``exclude``, ``extend-exclude`` and ``per-file-ignores`` follow
``.gitignore`` syntax, relative to the folder of the configuration file (or to
the current folder for patterns given on the command line): ``build`` matches
that name at any depth, ``/build`` or ``src/build`` only there, ``**/`` any depth.

Any error is a :class:`ConfigError` whose message is one line naming the key.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from padlint.files import DEFAULT_EXCLUDE
from padlint.ignore import IgnoreSpec
from padlint.reporters import FINDINGS_FORMATS

if TYPE_CHECKING:
    from padlint.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_FILES = (".padlint.toml", "padlint.toml", "pyproject.toml")
OUTPUT_FORMATS = tuple(FINDINGS_FORMATS)
SELECTOR = re.compile(r"^(ALL|PAD\d{0,3})$")


class ConfigError(Exception):
    """A bad configuration or option: exit code 2 with this one-line message."""


# ----------------------------------------------------------------- values


def parse_shape(text: str, where: str = "--input-shape") -> tuple:
    """``224,224,3`` or ``(224, 224, 3)`` -> ``(224, 224, 3)``; ``None`` for an unknown axis."""
    items = [item for item in re.split(r"[\s,()\[\]x]+", text.strip()) if item]
    try:
        shape = tuple(None if item == "None" else int(item) for item in items)
    except ValueError:
        shape = ()
    if not shape or any(dim is not None and dim <= 0 for dim in shape):
        raise ConfigError(f"{where}: cannot read {text!r} as a shape such as 224,224,3")
    return shape


def check_selectors(values: list[str], where: str) -> tuple[str, ...]:
    result = []
    for value in values:
        selector = value.strip().upper()
        if not SELECTOR.match(selector):
            raise ConfigError(f"{where}: unknown rule selector {value!r} (expected ALL, PAD, or a code or prefix such as PAD2 or PAD201)")
        result.append(selector)
    return tuple(result)


def split_codes(text: str) -> list[str]:
    return [item for item in re.split(r"[\s,]+", text) if item]


def parse_per_file_ignores(entries: list[str], where: str = "--per-file-ignores") -> dict[str, tuple[str, ...]]:
    """``PATTERN:CODES`` items (codes separated by commas), as flake8 and ruff take them."""
    result: dict[str, tuple[str, ...]] = {}
    for entry in entries:
        pattern, colon, codes = entry.rpartition(":")
        if not colon or not pattern.strip():
            raise ConfigError(f"{where}: expected PATTERN:CODES such as 'tests/*:PAD301', got {entry!r}")
        result[pattern.strip()] = result.get(pattern.strip(), ()) + check_selectors(split_codes(codes), where)
    return result


# ------------------------------------------------------------- the file


@dataclass
class Layer:
    """One layer of rule selection (a configuration file, or the command line)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()


@dataclass
class Config:
    """One configuration file's values (validated), with the folder its patterns are relative to."""

    path: Path | None
    root: Path
    layer: Layer = field(default_factory=Layer)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool | None = None
    respect_gitignore: bool | None = None
    input_shape: tuple | None = None
    output_format: str | None = None
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)


def _string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: expected a list of strings, got {_show(value)}")
    return value


def _boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {_show(value)}")
    return value


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, bool) else str(value).lower()
    return text if len(text) <= 60 else text[:57] + "..."


def _per_file_table(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of pattern = [codes], got {_show(value)}")
    return {pattern: check_selectors(_string_list(codes, f"{where}.{_key(pattern)}"), f"{where}.{_key(pattern)}") for pattern, codes in value.items()}


def _key(name: str) -> str:
    return name if re.match(r"^[A-Za-z0-9_-]+$", name) else f'"{name}"'


def _rule_options(value: Any, where: str) -> dict[str, dict[str, Any]]:
    from padlint.catalogue import all_rules, rule_by_code

    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of rule codes, got {_show(value)}")
    result: dict[str, dict[str, Any]] = {}
    for code, options in value.items():
        rule = rule_by_code(code)
        if rule is None or rule.code != code.upper():
            known = [rule.code for rule in all_rules()]
            raise ConfigError(f"{where}.{_key(code)}: unknown rule code{_suggest(code.upper(), known)}")
        if not isinstance(options, dict):
            raise ConfigError(f"{where}.{code}: expected a table of options, got {_show(options)}")
        for key, option_value in options.items():
            place = f"{where}.{rule.code}.{_key(key)}"
            if key not in rule.options:
                available = ", ".join(rule.options) or "none"
                raise ConfigError(f"{place}: unknown option for {rule.code} {rule.name}{_suggest(key, list(rule.options))} (options: {available})")
            result.setdefault(rule.code, {})[key] = _option_value(option_value, rule.options[key].default, place)
    return result


def _option_value(value: Any, default: Any, where: str) -> Any:
    """A rule option must have the type of its default (an int is accepted for a float)."""
    if isinstance(default, bool):
        return _boolean(value, where)
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"{where}: expected an integer, got {_show(value)}")
    if isinstance(default, float):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"{where}: expected a number, got {_show(value)}")
    if isinstance(default, str):
        if isinstance(value, str):
            return value
        raise ConfigError(f"{where}: expected a string, got {_show(value)}")
    if isinstance(default, (list, tuple)):
        if isinstance(value, list):
            return type(default)(value)
        raise ConfigError(f"{where}: expected a list, got {_show(value)}")
    return value


def _suggest(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _input_shape(value: Any, where: str) -> tuple:
    if isinstance(value, str):
        return parse_shape(value, where)
    if isinstance(value, list) and value and all((isinstance(item, int) and not isinstance(item, bool) and item > 0) or item == "None" for item in value):
        return tuple(None if item == "None" else item for item in value)
    raise ConfigError(f"{where}: expected a shape such as [224, 224, 3] or \"224,224,3\", got {_show(value)}")


def _output_format(value: Any, where: str) -> str:
    if value not in OUTPUT_FORMATS:
        raise ConfigError(f"{where}: expected one of {', '.join(OUTPUT_FORMATS)}, got {_show(value)}")
    return value


#: Key -> (field of Config, reader).
_KEYS = {
    "select": ("select", lambda value, where: check_selectors(_string_list(value, where), where)),
    "ignore": ("ignore", lambda value, where: check_selectors(_string_list(value, where), where)),
    "extend-select": ("extend_select", lambda value, where: check_selectors(_string_list(value, where), where)),
    "per-file-ignores": ("per_file_ignores", _per_file_table),
    "extend-per-file-ignores": ("extend_per_file_ignores", _per_file_table),
    "exclude": ("exclude", lambda value, where: tuple(_string_list(value, where))),
    "extend-exclude": ("extend_exclude", lambda value, where: tuple(_string_list(value, where))),
    "force-exclude": ("force_exclude", _boolean),
    "respect-gitignore": ("respect_gitignore", _boolean),
    "input-shape": ("input_shape", _input_shape),
    "output-format": ("output_format", _output_format),
    "rules": ("rules", _rule_options),
}


def config_from_table(table: Any, path: Path | None, root: Path, section: str) -> Config:
    """Validate a ``[tool.padlint]`` table (or a padlint.toml document)."""
    if not isinstance(table, dict):
        raise ConfigError(f"{_where(path, section)}: expected a table, got {_show(table)}")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(f"{_where(path, section)}: unknown key {key!r}{_suggest(key, list(_KEYS))}")
        name, reader = _KEYS[key]
        values[name] = reader(value, f"{_where(path, section)} {key}" if section else f"{_where(path, '')}: {key}")
    config = Config(path=path, root=root)
    config.layer = Layer(select=values.get("select"), ignore=values.get("ignore", ()), extend_select=values.get("extend_select", ()))
    config.per_file_ignores = {**values.get("per_file_ignores", {}), **values.get("extend_per_file_ignores", {})}
    for name in ("exclude", "force_exclude", "respect_gitignore", "input_shape", "output_format"):
        setattr(config, name, values.get(name))
    config.extend_exclude = values.get("extend_exclude", ())
    config.rules = values.get("rules", {})
    return config


def _where(path: Path | None, section: str) -> str:
    name = _display(path) if path is not None else "--config"
    return f"{name}: [{section}]" if section else name


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


#: Largest configuration file read (a pyproject.toml is some kilobytes).
MAX_CONFIG_BYTES = 16 * 1024 * 1024


class _BeyondParser(ConfigError):
    """Valid-looking TOML that Python's parser cannot take: nested too deeply, or an integer of
    thousands of digits (beyond TOML's 64 bits, and Python's limit on converting digits)."""


def _parse_toml(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{where}: invalid TOML: {error}") from None
    except RecursionError:
        raise _BeyondParser(f"{where}: cannot read: nested too deeply for Python's TOML parser") from None
    except (ValueError, OverflowError, MemoryError) as error:  # int("9" * 5000) refuses past 4,300 digits
        raise _BeyondParser(f"{where}: cannot read: {str(error).split(';')[0]}") from None


def _read_text(path: Path) -> str:
    from padlint.safefs import read_regular

    try:
        data = read_regular(path, MAX_CONFIG_BYTES)
    except OSError as error:
        raise ConfigError(f"{_display(path)}: cannot read: {error.strerror or error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{_display(path)}: invalid TOML: not UTF-8 ({error.reason})") from None


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file (regular, at most MAX_CONFIG_BYTES); every failure is a one-line ConfigError."""
    return _parse_toml(_read_text(path), _display(path))


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def padlint_table(path: Path) -> dict[str, Any] | None:
    """The padlint part of a configuration file (None: a pyproject.toml without ``[tool.padlint]``).

    A pyproject.toml belongs to the whole project: one that Python's parser cannot
    take (a table nested thousands deep, a 5,000-digit number) but never names padlint
    is somebody else's business, and is passed over as one without ``[tool.padlint]``.
    """
    if path.name == "pyproject.toml":
        text = _read_text(path)
        try:
            document = _parse_toml(text, _display(path))
        except _BeyondParser:
            if "padlint" not in text:
                return None
            raise
    else:
        document = read_toml(path)
    if path.name == "pyproject.toml":
        tool = document.get("tool")
        if not isinstance(tool, dict) or "padlint" not in tool:
            return None
        return tool["padlint"]
    return document


def load_config(path: Path, overrides: dict[str, Any] | None = None, required: bool = False) -> Config | None:
    """A configuration file's values, with ``--config KEY=VALUE`` overrides merged in."""
    path = path.resolve()
    table = padlint_table(path)
    if table is None:
        if not required:
            return None
        table = {}
    section = "tool.padlint" if path.name == "pyproject.toml" else ""
    if isinstance(table, dict) and overrides:
        table = _merge(table, overrides)
    return config_from_table(table, path, path.parent, section)


def parse_override(text: str) -> dict[str, Any]:
    """``--config "KEY = VALUE"`` as TOML."""
    try:
        return _parse_toml(text, "--config")
    except _BeyondParser:
        raise
    except ConfigError as error:
        raise ConfigError(f"--config: {text!r} is neither a configuration file nor a TOML KEY = VALUE ({str(error).removeprefix('--config: invalid TOML: ')})") from None


# ------------------------------------------------------------ resolution


@dataclass
class Overrides:
    """What the command line says; None where it says nothing."""

    layer: Layer = field(default_factory=Layer)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool | None = None
    respect_gitignore: bool | None = None
    input_shape: tuple | None = None
    #: ``--config KEY=VALUE``, merged into every configuration file.
    values: dict[str, Any] = field(default_factory=dict)
    #: ``--config PATH``.
    config_file: Path | None = None
    isolated: bool = False


def resolve_selection(layers: list[Layer], codes: list[str], opt_in: frozenset[str] = frozenset()) -> frozenset[str]:
    """The enabled codes after applying the layers in order (ruff's semantics).

    The codes in ``opt_in`` (rules not selected by default) are selected only by a
    selector naming them exactly, never by ``ALL`` or a prefix; any matching ignore
    removes them.
    """
    enabled = set(codes) - opt_in  # the default: every rule but the opt-in ones
    for layer in layers:
        if layer.select is not None:
            enabled = set()
        selectors = [(_specificity(selector), 0, selector) for selector in (layer.select or ()) + layer.extend_select]
        selectors += [(_specificity(selector), 1, selector) for selector in layer.ignore]
        for _, is_ignore, selector in sorted(selectors):
            matched = {code for code in codes if _selects(selector, code) and (is_ignore or code not in opt_in or code == selector)}
            enabled = enabled - matched if is_ignore else enabled | matched
    return frozenset(enabled)


def _specificity(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector)


def _selects(selector: str, code: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


@lru_cache(maxsize=4096)
def _pattern_spec(patterns: tuple[str, ...]) -> IgnoreSpec:
    """Patterns compiled once (a configuration with 2,000 per-file-ignores asks for each of them per file)."""
    return IgnoreSpec.from_lines(patterns)


def _relative(path: str | Path, root: Path, is_directory: bool) -> str | None:
    """The path as patterns relative to ``root`` see it (None: the root itself)."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, root).replace(os.sep, "/")
    if relative == ".":
        return None
    if relative.startswith("../"):
        relative = os.path.basename(absolute)  # outside the root: only name patterns can match
    return relative + "/" if is_directory else relative


def matches(path: str | Path, patterns: tuple[str, ...], root: Path, is_directory: bool = False) -> bool:
    """Whether a path (or a folder above it) matches gitignore-style patterns relative to ``root``."""
    if not patterns:
        return False
    relative = _relative(path, root, is_directory)
    return relative is not None and _pattern_spec(tuple(patterns)).match(relative)


def matching_ignores(path: str | Path, table: dict[str, tuple[str, ...]], root: Path) -> list[tuple[str, tuple[str, ...]]]:
    """The ``per-file-ignores`` entries whose pattern matches a file, each pattern compiled once."""
    if not table:
        return []
    relative = _relative(path, root, False)
    if relative is None:
        return []
    return [(pattern, selectors) for pattern, selectors in table.items() if _pattern_spec((pattern,)).match(relative)]


class Resolver:
    """The configuration and settings that apply to each path."""

    def __init__(self, overrides: Overrides | None = None, cwd: str | Path | None = None) -> None:
        self.overrides = overrides or Overrides()
        self.cwd = Path(cwd or os.getcwd()).resolve()
        self._by_folder: dict[Path, Config] = {}
        self._selection: dict[int, frozenset[str]] = {}
        self._keys: dict[tuple[int, bool], str] = {}
        self._ignores: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._fixed: Config | None = None
        #: The rule codes and the opt-in ones among them, when known without importing the rules
        #: (a run answered from the cache reads them there: :meth:`padlint.cache.Cache.catalogue`).
        self.catalogue: tuple[tuple[str, ...], frozenset[str]] | None = None
        if self.overrides.config_file is not None:
            self._fixed = load_config(self.overrides.config_file, self.overrides.values, required=True)
        elif self.overrides.isolated:
            self._fixed = config_from_table(self.overrides.values, None, self.cwd, "")

    def config_for(self, path: str | Path, is_directory: bool = False) -> Config:
        """The configuration governing a path (for a folder, the one governing its contents)."""
        if self._fixed is not None:
            return self._fixed
        absolute = Path(os.path.abspath(path))
        folder = absolute if is_directory else absolute.parent
        return self._for_folder(folder)

    def _for_folder(self, folder: Path) -> Config:
        found = self._by_folder.get(folder)
        if found is not None:
            return found
        config = None
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                config = load_config(candidate, self.overrides.values)
                if config is not None:
                    break
        if config is None:
            if folder.parent != folder:
                config = self._for_folder(folder.parent)
            else:
                config = config_from_table(self.overrides.values, None, self.cwd, "")
        self._by_folder[folder] = config
        return config

    # What one file gets.

    def enabled_codes(self, config: Config) -> frozenset[str]:
        key = id(config)
        if key not in self._selection:
            codes, opt_in = self.rule_catalogue()
            self._selection[key] = resolve_selection([config.layer, self.overrides.layer], list(codes), opt_in)
        return self._selection[key]

    def rule_catalogue(self) -> tuple[tuple[str, ...], frozenset[str]]:
        """Every rule code, and the opt-in ones (:attr:`catalogue`, else from the rules themselves)."""
        if self.catalogue is None:
            from padlint.catalogue import all_rules

            rules = all_rules()
            self.catalogue = (tuple(rule.code for rule in rules), frozenset(rule.code for rule in rules if not rule.default))
        return self.catalogue

    def _per_file_ignores(self, path: str | Path, config: Config) -> list[tuple[str, tuple[str, ...]]]:
        """The per-file-ignores entries matching a file (the configuration's, then the command line's)."""
        key = os.path.abspath(path)
        found = self._ignores.get(key)
        if found is None:
            found = matching_ignores(path, config.per_file_ignores, config.root) + matching_ignores(path, self.overrides.per_file_ignores, self.cwd)
            self._ignores[key] = found
        return found

    def settings_for(self, path: str | Path) -> Settings:
        from padlint.settings import Settings

        config = self.config_for(path)
        enabled = set(self.enabled_codes(config))
        ignored: set[str] = set()
        for _, selectors in self._per_file_ignores(path, config):
            ignored.update(code for code in enabled if any(_selects(selector, code) for selector in selectors))
        rule_options = config.rules
        return Settings(
            select=tuple(sorted(enabled - ignored)),
            rule_options=rule_options,
            input_shape=self.overrides.input_shape or config.input_shape,
        )

    def input_shape_for(self, path: str | Path) -> tuple | None:
        """The input shape of :meth:`settings_for`, without resolving the rule selection (``summary`` needs only this)."""
        return self.overrides.input_shape or self.config_for(path).input_shape

    def analysis_key(self, path: str | Path, rules: bool = True) -> str:
        """What a file's analysis depends on besides its text, as a string (for the cache): the input
        shape and, with ``rules``, the rules' options; not the selection, which applies after the cache."""
        config = self.config_for(path)
        key = (id(config), rules)
        found = self._keys.get(key)
        if found is None:
            shape = self.overrides.input_shape or config.input_shape
            found = json.dumps([config.rules if rules else None, list(shape) if shape else None], sort_keys=True, default=repr)
            self._keys[key] = found
        return found

    def excluded(self, path: str | Path, is_directory: bool) -> bool:
        config = self.config_for(path, is_directory=False)
        if self.overrides.exclude is not None:
            exclude, exclude_root = self.overrides.exclude, self.cwd
        elif config.exclude is not None:
            exclude, exclude_root = config.exclude, config.root
        else:
            exclude, exclude_root = DEFAULT_EXCLUDE, config.root
        return (
            matches(path, exclude, exclude_root, is_directory)
            or matches(path, config.extend_exclude, config.root, is_directory)
            or matches(path, self.overrides.extend_exclude, self.cwd, is_directory)
        )

    def respect_gitignore(self, folder: str | Path) -> bool:
        if self.overrides.respect_gitignore is not None:
            return self.overrides.respect_gitignore
        value = self.config_for(folder, is_directory=True).respect_gitignore
        return True if value is None else value

    def force_exclude(self) -> bool:
        if self.overrides.force_exclude is not None:
            return self.overrides.force_exclude
        return bool(self.config_for(self.cwd, is_directory=True).force_exclude)

    def output_format(self) -> str:
        return self.config_for(self.cwd, is_directory=True).output_format or "full"
