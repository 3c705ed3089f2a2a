"""The ``padlint`` command line: argument parsing only; the commands live in padlint.commands.

``padlint PATH...`` is ``padlint check PATH...``, as in ruff. Exit codes: 0 no
findings, 1 findings, 2 a usage or configuration error (one line on stderr) or
an internal error in some file (reported with the file's name; the run goes on).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import NoReturn

from padlint import __version__
from padlint.config import ConfigError
from padlint.reporters import FINDINGS_FORMATS

COMMANDS = ("check", "summary", "diff", "rule", "rules", "clean", "server")

#: Kept for callers of the first CLI: a bad option, exit code 2.
UsageError = ConfigError


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit code 2), as ruff reports it."""

    def error(self, message: str) -> NoReturn:
        raise ConfigError(f"{message} (see `{self.prog} --help`)")


def _add_path_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("files and configuration")
    group.add_argument("--config", action="append", default=[], metavar="CONFIG_OPTION",
                       help="a configuration file (pyproject.toml or padlint.toml) to use for every file, "
                            "or a TOML KEY = VALUE override such as \"rules.PAD201.max-shrinkage = 0.3\" (repeatable)")
    group.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    group.add_argument("--exclude", metavar="PATTERNS", help="comma-separated patterns to skip (gitignore syntax), replacing the configured ones")
    group.add_argument("--extend-exclude", metavar="PATTERNS", help="comma-separated patterns to skip as well")
    group.add_argument("--force-exclude", action=argparse.BooleanOptionalAction, default=None,
                       help="apply excludes even to files named on the command line (for pre-commit)")
    group.add_argument("--respect-gitignore", action=argparse.BooleanOptionalAction, default=None,
                       help="skip what .gitignore files say (default: yes)")
    group.add_argument("--input-shape", metavar="SHAPE", help="input shape for models whose input padlint cannot determine, e.g. 224,224,3")
    group.add_argument("--stdin-filename", metavar="PATH", help="the name of the file read from stdin (with PATH `-`)")
    parser.add_argument("-v", "--verbose", action="store_true", help="say which configuration and files are used, and how long it took")
    speed = parser.add_argument_group("speed")
    speed.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                       help="processes analysing files in parallel (default: every core; 1: this process only)")
    speed.add_argument("--no-cache", action="store_true", help="neither read nor write the cache (also PADLINT_NO_CACHE=1)")
    _add_cache_dir(speed)


def _add_cache_dir(group) -> None:
    group.add_argument("--cache-dir", metavar="DIR",
                       help="where results are cached (default: .padlint_cache at the project root, the nearest folder "
                            "above with pyproject.toml, padlint.toml or .git; also PADLINT_CACHE_DIR)")


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of processes (0: every core), got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="padlint", description="Static analysis of Keras model code: shapes, parameters and padding mistakes.",
                    epilog="`padlint PATH...` is short for `padlint check PATH...`.")
    parser.add_argument("--version", action="version", version=f"padlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    check = commands.add_parser("check", help="report findings (the default command)", description="Report findings in Python files and notebooks.")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the current folder); `-` reads stdin")
    rules = check.add_argument_group("rule selection")
    rules.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes to enable (ALL, PAD2, PAD201), replacing the configured selection")
    rules.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to disable")
    rules.add_argument("--extend-select", metavar="CODES", help="comma-separated codes or prefixes to enable on top of the selection")
    rules.add_argument("--per-file-ignores", action="append", default=[], metavar="PATTERN:CODES",
                       help="codes to ignore in files matching a pattern, e.g. 'tests/*:PAD301' (repeatable, or comma-separated pairs)")
    output = check.add_argument_group("output")
    output.add_argument("--output-format", choices=tuple(FINDINGS_FORMATS), help="how findings are printed (default: full)")
    output.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    output.add_argument("--statistics", action="store_true", help="count findings per rule instead of listing them")
    output.add_argument("--exit-zero", action="store_true", help="exit with 0 even when there are findings")
    output.add_argument("--show-settings", action="store_true", help="print the settings that apply to the first file, then exit")
    output.add_argument("--show-files", action="store_true", help="print the files that would be checked, then exit")
    output.add_argument("-q", "--quiet", action="store_true", help="print findings only, without the closing summary")
    output.add_argument("-s", "--silent", action="store_true", help="print nothing; the exit code tells")
    fixing = check.add_argument_group("fixes")
    fixing.add_argument("--fix", action="store_true", help="apply safe fixes (files are rewritten in place)")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="also apply (or offer) fixes that may change behaviour")
    fixing.add_argument("--diff", action="store_true", help="print the fixes as a diff instead of writing them")
    _add_path_options(check)
    check.set_defaults(handler="check")

    summary = commands.add_parser("summary", help="print each model's layers, shapes and parameter counts",
                                  description="Print what model.summary() would print for every model found, computed statically.")
    summary.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the current folder)")
    summary.add_argument("--explain", action="store_true", help="show the arithmetic behind each row")
    summary.add_argument("--output-format", choices=("text", "json"), default="text")
    summary.add_argument("-o", "--output-file", metavar="FILE", help="write the summary to FILE instead of stdout")
    _add_path_options(summary)
    summary.set_defaults(handler="summary")

    diff = commands.add_parser("diff", help="show how the models changed since a git revision",
                               description="Compare the models of the working tree with those of a git revision (default HEAD): "
                                           "models added and removed, layers whose output shape or parameter count changed, "
                                           "and the parameter totals.")
    diff.add_argument("arguments", nargs="*", metavar="[REV] [PATH...]",
                      help="a revision (default HEAD), then files or folders (default: the whole repository)")
    diff.add_argument("--output-format", choices=("text", "markdown", "json"), default="text")
    diff.add_argument("-o", "--output-file", metavar="FILE", help="write the diff to FILE instead of stdout")
    _add_path_options(diff)
    diff.set_defaults(handler="diff")

    rule = commands.add_parser("rule", help="explain a rule", description="Print a rule's documentation.")
    rule.add_argument("code", nargs="?", metavar="CODE", help="a rule code (PAD201) or name (valid-padding-shrinkage)")
    rule.add_argument("--all", action="store_true", help="explain every rule")
    rule.add_argument("--output-format", choices=("text", "json"), default="text")
    rule.set_defaults(handler="rule")

    catalogue = commands.add_parser("rules", help="list the rules", description="List every rule: code, name, severity, summary.")
    catalogue.add_argument("--output-format", choices=("text", "json"), default="text")
    catalogue.set_defaults(handler="rules")

    clean = commands.add_parser("clean", help="remove the cache", description="Remove padlint's cache folder (.padlint_cache, or --cache-dir).")
    _add_cache_dir(clean)
    clean.set_defaults(handler="clean")

    server = commands.add_parser("server", help="run the language server (LSP over stdio) for editors",
                                 description="Serve the Language Server Protocol on stdin and stdout: live diagnostics, "
                                             "shapes on hover and as inlay hints, fixes. Needs the server extra: "
                                             "pip install 'padlint[server]'.")
    server.add_argument("--stdio", action="store_true", help="use stdin and stdout (the only transport; accepted because LSP clients pass it)")
    server.set_defaults(handler="server")
    return parser


def with_default_command(argv: list[str]) -> list[str]:
    """``padlint [OPTIONS] PATH...`` -> ``padlint check [OPTIONS] PATH...``."""
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        return argv
    return ["check", *argv]


def main(argv: list[str] | None = None) -> int:
    # Start-up allocates long-lived objects only: the collector waits until the engine
    # is loaded (padlint.run.load_engine), and is restored as it was on the way out.
    collecting = gc.isenabled()
    thresholds = gc.get_threshold()
    gc.disable()
    try:
        return _main(argv, collecting)
    finally:
        gc.set_threshold(*thresholds)
        if collecting:
            gc.unfreeze()
            gc.enable()


def run() -> NoReturn:
    """The console script: :func:`main`, then a hard exit once the output is flushed.

    What padlint built (parsed trees, the engine's tables) would otherwise be torn
    down object by object as the interpreter exits: about 20 ms of a one-file run,
    for nothing. mypy exits the same way (``util.hard_exit``).
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1  # a closed pipe: what was written may be lost
    os._exit(code)


def _main(argv: list[str] | None, collecting: bool) -> int:
    arguments_list = with_default_command(list(sys.argv[1:] if argv is None else argv))
    from padlint.reporters.escape import printable, stream_errors

    for stream in (sys.stdout, sys.stderr):
        stream_errors(stream)  # a character the terminal's encoding lacks is escaped, not a traceback
    try:
        arguments = build_parser().parse_args(arguments_list)
        if arguments.handler in ("check", "summary"):
            import padlint.run

            padlint.run.startup_gc_paused = collecting
        if arguments.handler == "server":
            from padlint.server import main as serve  # imports pygls only now

            return serve()
        from padlint import commands

        return getattr(commands, f"command_{arguments.handler}")(arguments)
    except ConfigError as error:
        print(printable(f"padlint: error: {error}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (padlint ... | head): nothing more to say
        return 1
