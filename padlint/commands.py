"""What each ``padlint`` command does, given its parsed arguments; each returns the exit code."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from padlint.config import (
    OUTPUT_FORMATS,
    ConfigError,
    Overrides,
    Resolver,
    check_selectors,
    config_from_table,
    parse_override,
    parse_per_file_ignores,
    parse_shape,
    split_codes,
)
from padlint.files import discover
from padlint.reporters.escape import ERRORS, can_encode, printable

# ------------------------------------------------------------ shared


def overrides_from(arguments: argparse.Namespace) -> Overrides:
    overrides = Overrides()
    for option in ("select", "ignore", "extend_select"):
        value = getattr(arguments, option, None)
        if value is not None:
            codes = check_selectors(split_codes(value), "--" + option.replace("_", "-"))
            setattr(overrides.layer, option, codes)
    if getattr(arguments, "per_file_ignores", None):
        entries = [entry for value in arguments.per_file_ignores for entry in _pairs(value)]
        overrides.per_file_ignores = parse_per_file_ignores(entries)
    if arguments.exclude is not None:
        overrides.exclude = tuple(split_codes(arguments.exclude))
    if arguments.extend_exclude is not None:
        overrides.extend_exclude = tuple(split_codes(arguments.extend_exclude))
    overrides.force_exclude = arguments.force_exclude
    overrides.respect_gitignore = arguments.respect_gitignore
    if arguments.input_shape:
        overrides.input_shape = parse_shape(arguments.input_shape)
    overrides.isolated = arguments.isolated
    for value in arguments.config:
        if os.path.isfile(value):
            if overrides.config_file is not None:
                raise ConfigError("--config: only one configuration file can be given")
            overrides.config_file = Path(value)
        elif "=" in value:
            overrides.values = _deep_merge(overrides.values, parse_override(value))
        else:
            raise ConfigError(f"--config: {value!r} is neither a file nor a TOML KEY = VALUE")
    if overrides.values:
        config_from_table(overrides.values, None, Path.cwd(), "")  # names a bad key as --config's
    return overrides


def _pairs(value: str) -> list[str]:
    """``a.py:PAD1,b/*:PAD2,PAD3`` -> ``['a.py:PAD1', 'b/*:PAD2,PAD3']`` (a code never holds a colon)."""
    pieces = value.split(",")
    pairs: list[str] = []
    for piece in pieces:
        if ":" in piece or not pairs:
            pairs.append(piece)
        else:
            pairs[-1] += "," + piece
    return pairs


def _deep_merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _deep_merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def _files(paths: list[str], resolver: Resolver) -> Iterator[str]:
    return discover(
        paths or ["."],
        resolver.excluded,
        respect_gitignore=resolver.respect_gitignore,
        force_exclude=resolver.force_exclude(),
        on_error=_unlistable_folder,
    )


def _unlistable_folder(folder: str, error: OSError) -> None:
    """A folder the walk cannot enter: said on stderr, as ruff warns; the run goes on."""
    from padlint.run import display_path

    reason = error.strerror or type(error).__name__
    _say(f"padlint: warning: {display_path(folder)}: cannot read the folder: {reason}")


def _use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def _open_output(path: str | None) -> TextIO:
    if path is None:
        return sys.stdout
    try:
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        return open(path, "w", encoding="utf-8", errors=ERRORS)
    except OSError as error:
        raise ConfigError(f"--output-file: cannot write {path}: {error.strerror or error}") from None


def _say(text: str) -> None:
    """One line on stderr; what it quotes from the user's files (paths, names) escaped."""
    print(printable(text), file=sys.stderr)


# ------------------------------------------------------------- check


def _cache_refused(arguments: argparse.Namespace) -> bool:
    """``--no-cache`` or ``PADLINT_NO_CACHE``."""
    return bool(getattr(arguments, "no_cache", False)) or os.environ.get("PADLINT_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no")


def _cache(arguments: argparse.Namespace):
    """The cache this run uses, or None (``--no-cache``, ``PADLINT_NO_CACHE``, or checked paths in no
    project: :func:`padlint.cache.default_directory`)."""
    if _cache_refused(arguments):
        return None
    from padlint.cache import Cache, default_directory

    directory = default_directory(getattr(arguments, "cache_dir", None), getattr(arguments, "paths", None) or ["."])
    return Cache(directory) if directory is not None else None


def _jobs(arguments: argparse.Namespace) -> int:
    from padlint.parallel import resolve_jobs

    return resolve_jobs(getattr(arguments, "jobs", None))


def _say_notes(notes_by_file: Iterable[tuple[str, list[str]]]) -> None:
    """Why a file's analysis stopped short: a file too large or too deeply nested, a budget spent.
    ``summary`` always says it (the table the user asked for is missing or partial); ``check`` says it
    under ``-v`` (no finding is the right answer for an unknown model, and CI logs stay quiet)."""
    for path, notes in notes_by_file:
        for note in notes:
            _say(f"padlint: note: {path}: {note}")


#: Why a file that uses Keras gave no model, and what padlint does check.
NO_MODEL = (
    "uses Keras, but padlint found no model built here: it follows the models a file builds "
    "(Sequential, Model, subclasses, builder functions), not those loaded from disk or built by "
    "functions imported from other files, which are checked in the file that defines them"
)


def _say_coverage(results: Iterable) -> None:
    """``-v``: the incomplete models (why, and how to state what padlint could not infer), and the
    files that use Keras where no model was found; the closing line counts them."""
    for result in results:
        path = result.source.path
        for text in result.incomplete:
            _say(f"padlint: note: {path}:{text}")
        if result.keras and not result.models and not result.notes:
            _say(f"padlint: note: {path}: {NO_MODEL}")


#: Why no cache was used although none was refused (``-v``).
NO_PROJECT = "cache off: no project root (pyproject.toml, padlint.toml, .padlint.toml or .git) above the checked paths"


def _say_stats(stats, cache, started: float, verb: str, arguments: argparse.Namespace) -> None:
    files = f"{stats.files} file{'s' if stats.files != 1 else ''}"
    cached = f", {stats.cached} from the cache ({cache.directory})" if cache is not None else ", cache off" if _cache_refused(arguments) or arguments.paths == ["-"] else f", {NO_PROJECT}"
    _say(f"padlint: {verb} {files} in {time.perf_counter() - started:.2f}s ({stats.analysed} analysed on {stats.jobs} process{'es' if stats.jobs != 1 else ''}{cached})")


def command_check(arguments: argparse.Namespace) -> int:
    from padlint.run import (
        FixMode,
        RunStats,
        check_files,
        check_stdin,
        internal_error_line,
        repository_root,
        stdin_bytes,
        write_fixed,
    )

    started = time.perf_counter()
    overrides = overrides_from(arguments)
    resolver = Resolver(overrides)
    output_format = arguments.output_format or os.environ.get("PADLINT_OUTPUT_FORMAT") or resolver.output_format()
    if output_format not in OUTPUT_FORMATS:
        raise ConfigError(f"PADLINT_OUTPUT_FORMAT: expected one of {', '.join(OUTPUT_FORMATS)}, got {output_format!r}")
    mode = FixMode(fix=arguments.fix, unsafe=arguments.unsafe_fixes, diff=arguments.diff)
    reading_stdin = arguments.paths == ["-"]
    if "-" in arguments.paths and not reading_stdin:
        raise ConfigError("`-` (stdin) cannot be combined with other paths")
    if arguments.stdin_filename and not reading_stdin and not arguments.paths:
        reading_stdin = True  # ruff reads stdin when only --stdin-filename is given
    if reading_stdin:
        shown = arguments.stdin_filename or "-"
        files = [] if resolver.force_exclude() and arguments.stdin_filename and resolver.excluded(shown, False) else [shown]
    else:
        files = list(_files(arguments.paths, resolver))

    if arguments.show_files:
        for path in files:
            print(printable(path))
        return 0
    if arguments.show_settings:
        print(show_settings(resolver, files[0] if files else ".", output_format))
        return 0

    data = stdin_bytes() if reading_stdin else None
    stats = RunStats(files=len(files), analysed=len(files), progress=not arguments.silent)
    cache = None
    if reading_stdin:
        results = [check_stdin(path, data, resolver, mode) for path in files]
    else:
        cache = _cache(arguments)
        results = check_files(files, resolver, mode, jobs=_jobs(arguments), cache=cache, stats=stats)
    results.sort(key=lambda result: result.source.path)

    problems = [internal_error_line(result.source.path, message) for result in results for message in result.internal_errors]
    fixed_total = sum(result.fixed for result in results)

    if mode.diff:
        from padlint.fixes import unified_diff

        if not arguments.silent:
            for result in results:
                if result.changed:
                    before, after = result.original, result.source
                    old, new = (before.raw, after.raw) if before.is_notebook else (before.text, after.text)
                    sys.stdout.write(unified_diff(result.source.path, old or "", new or ""))
                    sys.stdout.write("\n")
            if not arguments.quiet:
                _say(f"Would fix {fixed_total} finding{'s' if fixed_total != 1 else ''}." if fixed_total else "No fixes available.")
        for line in problems:
            _say(line)
        return 2 if problems else (1 if fixed_total and not arguments.exit_zero else 0)

    report_stream: TextIO = sys.stdout
    if mode.fix and reading_stdin:
        # stdout carries the source, fixed or as it came (an editor replaces its buffer with it).
        changed = [result for result in results if result.changed]
        if changed:
            source = changed[0].source
            sys.stdout.write(source.raw if source.is_notebook else source.text)
        elif data is not None:
            sys.stdout.buffer.write(data)
        sys.stdout.flush()
        report_stream = sys.stderr
    elif mode.fix:
        from padlint.fixes import checked_roots

        roots = checked_roots(arguments.paths)
        for result in results:
            failure = write_fixed(result, roots) if result.changed else None
            if failure is not None:
                severity, message = failure
                if severity == "error":
                    problems.append(f"padlint: error: {message}")
                else:
                    _say(f"padlint: warning: {message}")

    from padlint.reporters.common import Report

    stream = _open_output(arguments.output_file) if arguments.output_file else report_stream
    report = Report(
        results=results,
        colour=arguments.output_file is None and _use_colour(stream),
        unsafe_fixes=arguments.unsafe_fixes,
        fixing=mode.fix,
        quiet=arguments.quiet,
        verbose=bool(arguments.verbose),
        root=repository_root(),
        internal_errors=problems,
        rules=_rules_run(resolver, files) if output_format == "sarif" else None,
    )
    if not arguments.silent:
        if arguments.statistics:
            from padlint.reporters.statistics import render

            text = render(report, as_json=output_format in ("json", "json-lines"))
        else:
            from padlint.reporters import findings_renderer

            text = findings_renderer(output_format)(report)
        stream.write(text)
        stream.flush()
    if stream is not sys.stdout and stream is not sys.stderr:
        stream.close()
    for line in problems:
        _say(line)
    if arguments.verbose:
        _say_notes((result.source.path, result.notes + result.assumptions) for result in results)
        _say_coverage(results)
        _say_stats(stats, cache, started, "checked", arguments)
    if problems:
        return 2
    return 0 if arguments.exit_zero or not report.count else 1


def _rules_run(resolver: Resolver, files: list[str]) -> tuple[str, ...]:
    """The codes of the rules selected for some checked file (for an empty run: for the current folder)."""
    codes: set[str] = set()
    for path in files or [os.path.join(os.getcwd(), "-")]:
        codes.update(resolver.settings_for(path).select)
    return tuple(sorted(codes))


def show_settings(resolver: Resolver, path: str, output_format: str) -> str:
    """The settings one file gets, TOML-like, as ``ruff check --show-settings`` shows them."""
    from padlint.catalogue import all_rules

    config = resolver.config_for(path)
    settings = resolver.settings_for(path)
    overrides = resolver.overrides
    exclude = overrides.exclude if overrides.exclude is not None else config.exclude
    from padlint.files import DEFAULT_EXCLUDE

    lines = [
        printable(f"Resolved settings for: {path}"),
        printable(f"Settings path: {os.path.relpath(config.path) if config.path else '(none: defaults)'}"),
        "",
        f"enabled-rules = {_toml_list(settings.select)}",
        f"per-file-ignores = {_toml_table({**config.per_file_ignores, **overrides.per_file_ignores})}",
        f"exclude = {_toml_list(exclude if exclude is not None else DEFAULT_EXCLUDE)}",
        f"extend-exclude = {_toml_list(config.extend_exclude + overrides.extend_exclude)}",
        f"force-exclude = {str(resolver.force_exclude()).lower()}",
        f"respect-gitignore = {str(resolver.respect_gitignore(os.path.dirname(os.path.abspath(path)))).lower()}",
        f"input-shape = {_toml_list(settings.input_shape) if settings.input_shape else '(none)'}",
        f"output-format = \"{output_format}\"",
    ]
    for rule in all_rules():
        if rule.options:
            lines += ["", f"[rules.{rule.code}]  # {rule.name}"]
            lines += [f"{key} = {json.dumps(value)}" for key, value in settings.options_for(rule).items()]
    return "\n".join(lines)


def _toml_list(values) -> str:
    return "[" + ", ".join(json.dumps(value if value is not None else "None") for value in values) + "]"


def _toml_table(table: dict) -> str:
    return "{" + ", ".join(f"{json.dumps(key)} = {_toml_list(value)}" for key, value in table.items()) + "}"


# ----------------------------------------------------------- summary


def command_summary(arguments: argparse.Namespace) -> int:
    from padlint.run import (
        RunStats,
        internal_error_line,
        summarise_files,
        summarise_stdin,
    )

    started = time.perf_counter()
    resolver = Resolver(overrides_from(arguments))
    reading_stdin = arguments.paths == ["-"]
    stats = RunStats()
    cache = None
    if reading_stdin:
        results = [summarise_stdin(arguments.stdin_filename or "-", sys.stdin.buffer.read(), resolver, arguments.explain)]
    else:
        cache = _cache(arguments)
        files = list(_files(arguments.paths, resolver))
        results = summarise_files(files, resolver, arguments.explain, jobs=_jobs(arguments), cache=cache, stats=stats)
    errors = [error for result in results for error in result.errors]
    errors += [internal_error_line(result.path, message) for result in results for message in result.internal_errors]
    stream = _open_output(arguments.output_file)
    if arguments.output_format == "json":
        from padlint import __version__

        document = {"padlint_version": __version__, "files": [{"path": result.path, "models": result.models} for result in results if result.listed]}
        stream.write(json.dumps(document, indent=2) + "\n")
    else:
        blocks = [result.text for result in results if result.text]
        if blocks:
            text = "\n\n".join(blocks) + "\n"
            if not can_encode(stream, "┏━┃│"):
                from padlint.reporters.summary_text import ascii_boxes

                text = ascii_boxes(text)
            stream.write(text)
    if stream is not sys.stdout:
        stream.close()
    for error in errors:
        _say(error)
    _say_notes((result.path, result.notes + (result.assumptions if arguments.verbose else [])) for result in results)
    if arguments.verbose and not reading_stdin:
        _say_stats(stats, cache, started, "summarised", arguments)
    return 2 if errors else 0


def command_diff(arguments: argparse.Namespace) -> int:
    """``padlint diff [REV] [PATH...]``: the architecture change since a git revision (:mod:`padlint.diff`)."""
    from padlint.diff import architecture_diff
    from padlint.reporters.diff_report import RENDERERS

    resolver = Resolver(overrides_from(arguments))
    diff = architecture_diff(arguments.arguments, resolver, _cache(arguments))
    stream = _open_output(arguments.output_file)
    stream.write(RENDERERS[arguments.output_format](diff))
    if stream is not sys.stdout:
        stream.close()
    for error in diff.not_compared + diff.errors:
        _say(error)
    return 2 if diff.errors else 0


def command_clean(arguments: argparse.Namespace) -> int:
    """Remove the cache folder (``padlint clean``)."""
    from padlint.cache import clean, default_directory

    directory = default_directory(arguments.cache_dir)
    if directory is None:
        _say("padlint: no cache here: no project root (a folder with pyproject.toml, padlint.toml, .padlint.toml or .git) above the current folder")
        return 0
    try:
        removed = clean(directory)
    except (ValueError, OSError) as error:
        raise ConfigError(f"cannot remove the cache: {error}") from None
    if removed is None:
        _say(f"padlint: no cache at {directory}")
    else:
        _say(f"padlint: removed the cache at {removed}")
    return 0


# ------------------------------------------------------------- rules


def _rule_json(rule) -> dict:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity,
        "default": rule.default,
        "summary": rule.summary(),
        "explanation": rule.documentation(),
        "options": {key: {"default": option.default, "description": option.description} for key, option in rule.options.items()},
    }


def command_rule(arguments: argparse.Namespace) -> int:
    from padlint.catalogue import all_rules, rule_by_code

    if arguments.all:
        rules = list(all_rules())
    elif arguments.code:
        rule = rule_by_code(arguments.code)
        if rule is None:
            raise ConfigError(f"unknown rule {arguments.code!r} (`padlint rules` lists them)")
        rules = [rule]
    else:
        raise ConfigError("give a rule code such as PAD201, or --all")
    if arguments.output_format == "json":
        document = [_rule_json(rule) for rule in rules] if arguments.all else _rule_json(rules[0])
        print(json.dumps(document, indent=2))
    else:
        print("\n".join(rule.documentation() for rule in rules), end="")
    return 0


def command_rules(arguments: argparse.Namespace) -> int:
    from padlint.catalogue import all_rules

    rules = list(all_rules())
    if arguments.output_format == "json":
        print(json.dumps([_rule_json(rule) for rule in rules], indent=2))
        return 0
    name_width = max((len(rule.name) for rule in rules), default=4)
    for rule in rules:
        print(f"{rule.code}  {rule.name.ljust(name_width)}  {rule.severity.ljust(7)}  {rule.summary()}{'' if rule.default else ' (opt-in)'}")
    return 0
