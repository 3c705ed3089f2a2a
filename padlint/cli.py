"""The ``padlint`` command line."""

from __future__ import annotations

import argparse
import json
import re
import sys

from padlint import __version__
from padlint.analysis import AnalysisOptions, FileAnalysis, analyse_source
from padlint.files import discover
from padlint.source import SourceError, SourceFile, read_source


class UsageError(Exception):
    """A bad option or configuration: exit code 2 with a one-line reason."""


def parse_shape(text: str) -> tuple:
    """``224,224,3`` or ``(224, 224, 3)`` -> ``(224, 224, 3)``; ``None`` for an unknown axis."""
    items = [item for item in re.split(r"[\s,()\[\]x]+", text.strip()) if item]
    try:
        return tuple(None if item == "None" else int(item) for item in items)
    except ValueError:
        raise UsageError(f"--input-shape: cannot read {text!r} as a shape such as 224,224,3") from None


def analyse_paths(paths: list[str], options: AnalysisOptions) -> tuple[list[FileAnalysis], list[str]]:
    analyses, errors = [], []
    for path in discover(paths):
        try:
            source = read_source(path)
        except SourceError as error:
            errors.append(f"{path}: {error}")
            continue
        try:
            analyses.append(analyse_source(source, options))
        except Exception as bug:  # noqa: BLE001 - one file's internal error must not stop the run
            errors.append(f"{path}: internal error in padlint {__version__}: {type(bug).__name__}: {bug}")
            analyses.append(FileAnalysis(source=SourceFile(path=path, text="")))
    return analyses, errors


def command_summary(arguments: argparse.Namespace) -> int:
    from padlint.reporters.summary_json import summary_document
    from padlint.reporters.summary_text import render_file

    options = AnalysisOptions(default_input_shape=parse_shape(arguments.input_shape) if arguments.input_shape else None)
    analyses, errors = analyse_paths(arguments.paths, options)
    if arguments.output_format == "json":
        print(json.dumps(summary_document(analyses), indent=2))
    else:
        blocks = [render_file(analysis, explain=arguments.explain) for analysis in analyses if analysis.models]
        if blocks:
            print("\n\n".join(blocks))
    for error in errors:
        print(f"padlint: {error}", file=sys.stderr)
    return 2 if errors or any(analysis.internal_errors for analysis in analyses) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="padlint", description="Static analysis of Keras model code.")
    parser.add_argument("--version", action="version", version=f"padlint {__version__}")
    commands = parser.add_subparsers(dest="command")
    summary = commands.add_parser("summary", help="print each model's layers, shapes and parameter counts")
    summary.add_argument("paths", nargs="+", metavar="PATH")
    summary.add_argument("--explain", action="store_true", help="show the arithmetic behind each row")
    summary.add_argument("--output-format", choices=("text", "json"), default="text")
    summary.add_argument("--input-shape", help="input shape for models whose input padlint cannot determine, e.g. 224,224,3")
    summary.set_defaults(handler=command_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        arguments = parser.parse_args(argv)
        if not getattr(arguments, "handler", None):
            parser.print_usage(sys.stderr)
            return 2
        return arguments.handler(arguments)
    except UsageError as error:
        print(f"padlint: error: {error}", file=sys.stderr)
        return 2
