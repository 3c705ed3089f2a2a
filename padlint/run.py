"""One ``padlint check`` or ``padlint summary`` run: find the files, analyse and check each, fix, collect.

Every per-file failure stays with its file: a file that cannot be read, decoded
or parsed becomes a PAD001 finding; an internal error (a bug in padlint) is
recorded with the file's name and padlint's version, and the run goes on.

What makes a run fast (README, "Performance"): files that cannot reach Keras
are not analysed (:mod:`padlint.prefilter`); results are cached by content
(:mod:`padlint.cache`); the files left are analysed on several processes
(:mod:`padlint.parallel`). The engine (libcst, networkx, the rules) is imported
only by the processes that analyse a file that may hold a model.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from padlint import __version__
from padlint.config import Resolver
from padlint.findings import Finding
from padlint.source import SourceError, SourceFile, read_source

if TYPE_CHECKING:
    from padlint.analysis import FileAnalysis
    from padlint.cache import Cache
    from padlint.incremental import StatementCache
    from padlint.settings import Settings

#: Rounds of fixing and analysing again before giving up on more fixes.
FIX_ROUNDS = 10


@dataclass
class FileResult:
    source: SourceFile
    findings: list[Finding]
    internal_errors: list[str] = field(default_factory=list)
    #: Findings fixed (``--fix``) or that would be (``--diff``).
    fixed: int = 0
    #: The text before fixing, when fixes changed it.
    original: SourceFile | None = None
    #: Why the analysis stopped short (:attr:`FileAnalysis.file_notes`); ``-v`` prints them.
    notes: list[str] = field(default_factory=list)
    #: What the analysis took for granted (:attr:`FileAnalysis.assumptions`); ``-v`` prints them.
    assumptions: list[str] = field(default_factory=list)
    #: Whether the result may be cached (not when a time budget cut the analysis short).
    cacheable: bool = True
    #: What was analysed (:func:`coverage`): the models found, the incomplete ones (a line each,
    #: with the reason and how to help padlint), and whether the file uses Keras at all.
    models: int = 0
    incomplete: list[str] = field(default_factory=list)
    keras: bool = False
    #: The findings before fixing, reported again when the fixed text is not written.
    unfixed: list[Finding] = field(default_factory=list)
    #: What every rule found and every internal error, before the selection (what the cache keeps:
    #: :func:`selected`); None when only the selected rules ran.
    analysed: tuple[list[Finding], list[str]] | None = None

    @property
    def changed(self) -> bool:
        return self.original is not None

    def revert(self) -> None:
        """The fixes were not written: the result is the file as it is (its findings, none fixed)."""
        if self.original is not None:
            self.source, self.findings, self.fixed, self.original = self.original, self.unfixed, 0, None


@dataclass(frozen=True)
class FixMode:
    fix: bool = False
    unsafe: bool = False
    diff: bool = False

    @property
    def active(self) -> bool:
        return self.fix or self.diff


def display_path(path: str) -> str:
    """Paths under the current folder are shown relative to it, as ruff does; others as given."""
    if not os.path.isabs(path):
        return os.path.normpath(path)
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


@dataclass
class Skipped:
    """The analysis of a file the pre-filter skipped: no model, nothing to report (a stand-in for FileAnalysis)."""

    source: SourceFile
    models: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    syntax_error: None = None
    positions: None = None
    module: None = None
    timed_out: bool = False

    @property
    def file_notes(self) -> list[str]:
        return self.notes


#: Set by the command line, which starts with the garbage collector paused (start-up
#: allocates mostly long-lived objects: modules, classes, the engine's tables).
startup_gc_paused = False
_loaded: set[str] = set()


def load_engine(rules: bool = True) -> None:
    """Import the analysis engine (libcst, the evaluator, the layers) and, with ``rules``, the rules, once.

    The collector is paused while they load: importing libcst alone creates some
    250 dataclasses, and generation-0 collections during that find nothing to free.
    On the command line the loaded objects are then frozen (:func:`gc.freeze`: later
    collections no longer traverse them) and the collector resumes, as it must
    while files are analysed, with a young generation of 200,000 objects rather
    than 700 (as mypy sets it): a parsed file is hundreds of thousands of
    long-lived nodes, and collecting every 700 allocations finds almost nothing.
    Measured: 15-20% of a one-file run.
    """
    wanted = ["padlint.analysis", *(["padlint.checker"] if rules else [])]
    missing = [module for module in wanted if module not in _loaded]
    if not missing:
        if startup_gc_paused and not gc.isenabled():
            gc.enable()  # a later run in the same process (tests call the command line in-process)
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        import importlib

        for module in missing:
            importlib.import_module(module)
        if rules:
            from padlint.catalogue import all_rules

            all_rules()
    finally:
        _loaded.update(missing)
        if startup_gc_paused:
            gc.freeze()
            gc.set_threshold(200_000, 30, 30)
            gc.enable()
        elif enabled:
            gc.enable()


def analyse(
    source: SourceFile, settings: Settings, prefilter: bool = True, every_rule: bool = False, statements: StatementCache | None = None
) -> tuple[FileAnalysis | Skipped, list[Finding]]:
    """Analyse and check one source; an exception in padlint becomes an internal error of the file.

    With ``prefilter``, a source that cannot define a model is not analysed (the
    result is the same: no model, no finding). With ``every_rule``, every rule runs
    (opt-in ones too) with the options ``settings`` give it, whatever it selects: the
    findings the cache keeps, selected afterwards (:func:`selected`). ``statements``: the
    parse of the source's last version, whose unchanged statements are reused (the server).
    """
    if prefilter:
        from padlint.prefilter import can_skip

        if can_skip(source.text) and source.not_analysed is None:
            return Skipped(source), []
    load_engine()
    from padlint.analysis import AnalysisOptions, FileAnalysis, analyse_source
    from padlint.checker import check_analysis

    analysis = FileAnalysis(source=source)
    if every_rule:
        from dataclasses import replace

        from padlint.catalogue import all_rules

        settings = replace(settings, select=tuple(rule.code for rule in all_rules()), ignore=(), extend_select=(), per_file_ignores={})
    try:
        analysis = analyse_source(source, AnalysisOptions(default_input_shape=settings.input_shape, statements=statements))
        return analysis, check_analysis(analysis, settings)
    except Exception as bug:  # noqa: BLE001 - one file's internal error must not stop the run
        analysis.internal_errors.append(f"{type(bug).__name__}: {bug}")
        return analysis, []


def unreadable(path: str, error: SourceError, settings: Settings | None) -> list[Finding]:
    """A file padlint cannot read, decode or take as a notebook: one PAD001 finding where the error is
    (if ``settings`` enable PAD001; None: whatever the selection, as the cache keeps it)."""
    from padlint.catalogue import rule_by_code

    rule = rule_by_code("PAD001")
    if rule is None or (settings is not None and not settings.enabled(rule, path)):
        return []
    line, column = max(error.line, 1), max(error.column, 1)
    return [Finding(path, line, column, line, column, rule.code, rule.name, rule.severity, str(error), error.hint or None)]


#: An import of Keras (or of TensorFlow, which holds ``tf.keras``) at the start of a line.
KERAS_IMPORT = re.compile(r"^[ \t]*(?:import|from)[ \t]+(?:keras|tensorflow|tf_keras)\b", re.MULTILINE)
#: The hint for a model whose input padlint cannot determine.
INPUT_HINT = "state it with `# padlint: input_shape=(...)` on the model's line (or the line above), or pass --input-shape"


def coverage(analysis: FileAnalysis | Skipped) -> tuple[int, list[str], bool]:
    """What ``check`` analysed in one file: the number of models, a line per incomplete model
    (``12: model 'm' is incomplete: why; how to tell padlint what it could not infer``), and
    whether the file uses Keras (imports it, or builds a model)."""
    uses_keras = analysis.syntax_error is None and not isinstance(analysis, Skipped) and bool(KERAS_IMPORT.search(analysis.source.text))
    incomplete = []
    for model in analysis.models:
        if model.complete:
            continue
        reason = model.notes[0]
        where = analysis.source.position(model.line or 1)
        text = f"{where}: model '{model.name}' is incomplete: {reason}"
        if "input_shape" not in reason and _input_unknown(model):
            text += f"; {INPUT_HINT}"
        elif "input_shape" not in reason:
            text += "; the layers before that are checked, the ones after it are not"
        incomplete.append(text)
    return len(analysis.models), incomplete, uses_keras or bool(analysis.models)


def _input_unknown(model: Any) -> bool:
    """A model input whose shape padlint could not determine (``Input(shape=x_train.shape[1:])``)."""
    return any(shape is None or any(dim is None for dim in shape[1:]) for shape in model.inputs) or not model.inputs


def enabled_codes(settings: Settings, path: str) -> frozenset[str]:
    """The codes of the rules ``settings`` enable in ``path`` (the rules are loaded)."""
    from padlint.catalogue import all_rules

    return frozenset(rule.code for rule in all_rules() if settings.enabled(rule, path))


def selected(findings: list[Finding], errors: list[str], enabled: frozenset[str]) -> tuple[list[Finding], list[str]]:
    """What every rule found, and the internal errors, reduced to the ``enabled`` rules."""
    from padlint.settings import select_errors, select_findings

    return select_findings(findings, enabled), select_errors(errors, enabled)


def check_source(source: SourceFile, settings: Settings, mode: FixMode = FixMode(), prefilter: bool = True, every_rule: bool = False) -> FileResult:
    """Check one source (and fix it, with ``mode``). With ``every_rule`` (not when fixing), every
    rule runs and the result keeps it all in :attr:`FileResult.analysed`, for the cache."""
    every_rule = every_rule and not mode.active
    analysis, findings = analyse(source, settings, prefilter, every_rule)
    analysed = None
    if every_rule:
        analysed = (findings, list(analysis.internal_errors))
        findings, errors = selected(findings, analysed[1], enabled_codes(settings, source.path))
        analysis.internal_errors[:] = errors
    models, incomplete, uses_keras = coverage(analysis)
    result = FileResult(
        source=source,
        findings=findings,
        internal_errors=list(analysis.internal_errors),
        notes=list(analysis.file_notes),
        assumptions=list(analysis.assumptions),
        cacheable=not analysis.timed_out,
        models=models,
        incomplete=incomplete,
        keras=uses_keras,
        analysed=analysed,
    )
    if not mode.active or analysis.internal_errors:
        return result
    from padlint.fixes import apply_fixes

    findings_before = findings
    current = source
    for _ in range(FIX_ROUNDS):
        fixed_source, count = apply_fixes(current, findings, mode.unsafe)
        if not count:
            break
        analysis, findings = analyse(fixed_source, settings)
        if analysis.internal_errors:
            break  # keep the last text padlint could check
        current = fixed_source
        result.fixed += count
        result.findings = findings
        result.notes = list(analysis.file_notes)
        result.models, result.incomplete, result.keras = coverage(analysis)
        result.assumptions = list(analysis.assumptions)
    if current is not source:
        result.original = source
        result.source = current
        result.unfixed = findings_before
    return result


def write_fixed(result: FileResult, roots: list[Path] | None = None) -> tuple[str, str] | None:
    """Write a fixed file back (:func:`padlint.fixes.write_fixed_file`); when it is not written, the
    result is reverted (nothing counts as fixed) and ``(severity, message)`` says why."""
    from padlint.fixes import NotWritten, write_fixed_file

    original = result.original or result.source
    try:
        write_fixed_file(original.path, original, result.source, roots)
    except NotWritten as reason:
        result.revert()
        return ("warning" if reason.warning else "error", str(reason))
    return None


def internal_error_line(path: str, message: str) -> str:
    return f"padlint: internal error in {path} (padlint {__version__}): {message}; please report it"


def repository_root(start: str | Path | None = None) -> Path:
    """The nearest folder above with a ``.git`` (the current folder when there is none)."""
    current = Path(start or os.getcwd()).resolve()
    for folder in (current, *current.parents):
        if (folder / ".git").exists():
            return folder
    return current


def stdin_bytes() -> bytes:
    return sys.stdin.buffer.read()


# ------------------------------------------------------------ many files


@dataclass
class Task:
    """One file to check or summarise: where to read it, how it is shown, its bytes (None: read it
    in the worker, which then reports why it cannot), the path its settings are resolved for, and
    its cache key (None: not cached)."""

    path: str
    shown: str
    data: bytes | None
    settings_path: str
    key: str | None = None


@dataclass
class RunStats:
    files: int = 0
    cached: int = 0
    analysed: int = 0
    jobs: int = 1
    #: Whether a long run may draw a progress line on stderr (:mod:`padlint.progress`; not with ``-s``).
    progress: bool = True


class FileJob:
    """One kind of per-file work (in this process or in a worker): read the task's file, skip
    it when the pre-filter allows, else analyse it, and cache what it gave."""

    #: Whether sources keep the bytes read (``--fix`` rewrites a file only while it holds them).
    keep_bytes = False

    def __init__(self, resolver: Resolver, cache: Cache | None) -> None:
        self.resolver = resolver
        self.cache = cache

    def __call__(self, task: Task) -> Any:
        try:
            source = read_source(task.path, display_path=task.shown, data=task.data, keep_bytes=self.keep_bytes)
        except SourceError as error:
            result = self.unreadable(task, error)
        else:
            from padlint.prefilter import can_skip

            result = self.skipped(task, source) if can_skip(source.text) and source.not_analysed is None else self.analyse(task, source)
        entry = self.entry(result)
        if self.cache is not None and task.key is not None and entry is not None:
            self.cache.store(task.key, entry)
        return result

    def unreadable(self, task: Task, error: SourceError) -> Any:
        raise NotImplementedError

    def skipped(self, task: Task, source: SourceFile) -> Any:
        raise NotImplementedError

    def analyse(self, task: Task, source: SourceFile) -> Any:
        raise NotImplementedError

    def entry(self, result: Any) -> dict[str, Any] | None:
        """What the cache keeps of a result (None: it is not cached)."""
        raise NotImplementedError


class CheckJob(FileJob):
    """``padlint check`` on one file."""

    def __init__(self, resolver: Resolver, mode: FixMode, cache: Cache | None) -> None:
        super().__init__(resolver, cache)
        self.mode = mode
        self.keep_bytes = mode.fix

    def unreadable(self, task: Task, error: SourceError) -> FileResult:
        settings = self.resolver.settings_for(task.settings_path)
        found = unreadable(task.shown, error, None)
        findings, _ = selected(found, [], frozenset(settings.select))
        return FileResult(source=SourceFile(path=task.shown, text=error.text), findings=findings, analysed=(found, []))

    def skipped(self, task: Task, source: SourceFile) -> FileResult:
        return FileResult(source=source, findings=[], analysed=([], []))

    def analyse(self, task: Task, source: SourceFile) -> FileResult:
        load_engine()
        return check_source(source, self.resolver.settings_for(task.settings_path), self.mode, prefilter=False, every_rule=self.cache is not None)

    def entry(self, result: FileResult) -> dict[str, Any] | None:
        if not result.cacheable or result.changed:
            return None
        from padlint.cache import findings_to_json

        if result.analysed is None:
            return None  # only the selected rules ran: not what the cache keeps
        findings, errors = result.analysed
        return {
            "findings": findings_to_json(findings),
            "internal_errors": errors,
            "notes": result.notes,
            "models": result.models,
            "incomplete": result.incomplete,
            "keras": result.keras,
            "assumptions": result.assumptions,
        }

    def failed(self, task: Task, error: BaseException) -> FileResult:
        return FileResult(source=SourceFile(path=task.shown, text=""), findings=[], internal_errors=[f"{type(error).__name__}: {error}"], cacheable=False)


def _cost(data: bytes | None) -> float:
    from padlint.parallel import estimate_ms

    if data is None:
        return estimate_ms(0, False)
    return estimate_ms(len(data), b"keras" in data or not data.isascii())


def _read(path: str) -> bytes | None:
    from padlint.source import read_bytes

    try:
        return read_bytes(path)
    except SourceError:
        return None  # the worker reads it again and reports why it cannot


def cached_result(cache: Cache, resolver: Resolver, kind: str, extra: str, path: str | Path, shown: str, data: bytes, hit) -> tuple[str, Any]:
    """A file's cache key for this kind of run, and the result ``hit(path, shown, data, entry)``
    makes of the entry the cache holds under it (None: a miss, or an entry ``hit`` refuses)."""
    from padlint.cache import entry_key

    key = entry_key(kind, shown, resolver.analysis_key(path, rules=kind == "check"), data, extra)
    entry = cache.load(key)
    return key, hit(path, shown, data, entry) if entry is not None else None


def cached_summary(cache: Cache, resolver: Resolver, path: str | Path, shown: str, data: bytes, explain: bool) -> tuple[str, SummaryResult | None]:
    """A file's ``padlint summary`` cache key and the result the cache holds under it (None: a miss)."""
    return cached_result(cache, resolver, "summary", f"explain={explain}", path, shown, data, _summary_hit)


def _plan(files: list[str], cache: Cache | None, lookup) -> tuple[list[Any], list[Task], list[int]]:
    """Read each file, answer what the cache holds (``lookup(path, shown, data)`` -> its key and
    the cached result or None), and list the rest as tasks; returns the results so far, the tasks
    and their positions."""
    results: list[Any] = [None] * len(files)
    tasks: list[Task] = []
    positions: list[int] = []
    for index, path in enumerate(files):
        shown = display_path(path)
        data = _read(path)
        key = None
        if cache is not None and data is not None:
            key, result = lookup(path, shown, data)
            if result is not None:
                results[index] = result
                continue
        tasks.append(Task(path=path, shown=shown, data=data, settings_path=path, key=key))
        positions.append(index)
    return results, tasks, positions


def _execute(results: list[Any], tasks: list[Task], positions: list[int], job: Any, jobs: int, cache: Cache | None, stats: RunStats) -> list[Any]:
    from padlint.parallel import execute
    from padlint.progress import Progress

    if cache is not None and any(task.key for task in tasks) and not cache.prepare():
        job.cache = None  # the cache folder cannot be written: run without it
    stats.files = len(results)
    stats.cached = len(results) - len(tasks)
    stats.analysed = len(tasks)
    with Progress(len(results), done=stats.cached, enabled=None if stats.progress else False) as progress:
        done, stats.jobs = execute(tasks, job, jobs, [_cost(task.data) for task in tasks], progress=progress.advance)
    for index, result in zip(positions, done):
        results[index] = result
    if job.cache is not None:
        job.cache.prune_daily()
    return results


def check_files(
    files: list[str],
    resolver: Resolver,
    mode: FixMode = FixMode(),
    *,
    jobs: int = 1,
    cache: Cache | None = None,
    stats: RunStats | None = None,
) -> list[FileResult]:
    """Check files (in the order given); cached results are reused, the rest run on ``jobs`` processes.

    Fixing (``--fix``, ``--diff``) bypasses the cache: it rewrites what the cache is keyed on.
    """
    stats = stats or RunStats()
    if mode.active:
        cache = None
    stored_catalogue = cache.catalogue() if cache is not None else None
    if stored_catalogue is not None and resolver.catalogue is None:
        resolver.catalogue = stored_catalogue  # the selection resolves without importing the rules

    def hit(path: str, shown: str, data: bytes, entry: dict) -> FileResult | None:
        from padlint.cache import findings_from_json, strings

        findings = findings_from_json(entry.get("findings"))
        errors, notes, incomplete = strings(entry.get("internal_errors")), strings(entry.get("notes")), strings(entry.get("incomplete"))
        assumptions = strings(entry.get("assumptions"))
        models, uses_keras = entry.get("models"), entry.get("keras")
        if findings is None or errors is None or notes is None or incomplete is None or assumptions is None or type(models) is not int or type(uses_keras) is not bool:
            return None
        try:
            source = read_source(path, display_path=shown, data=data)
        except SourceError as error:  # the same bytes fail the same way: the cached PAD001 stands
            source = SourceFile(path=shown, text=error.text)
        kept, kept_errors = selected(findings, errors, frozenset(resolver.settings_for(path).select))
        return FileResult(source=source, findings=kept, internal_errors=kept_errors, notes=notes, assumptions=assumptions, models=models, incomplete=incomplete, keras=uses_keras)

    results, tasks, positions = _plan(files, cache, lambda path, shown, data: cached_result(cache, resolver, "check", "", path, shown, data, hit))
    job = CheckJob(resolver, mode, cache)
    results = _execute(results, tasks, positions, job, jobs, cache, stats)
    if job.cache is not None and stored_catalogue is None:
        job.cache.store_catalogue(*resolver.rule_catalogue())
    return results


def check_stdin(shown: str, data: bytes, resolver: Resolver, mode: FixMode = FixMode()) -> FileResult:
    return CheckJob(resolver, mode, None)(Task(path=shown, shown=display_path(shown), data=data, settings_path=shown))


# ------------------------------------------------------------ summaries


@dataclass
class SummaryResult:
    """What ``padlint summary`` prints for one file: its tables (text, or None when it has no model),
    its models as JSON, and the problems to report. ``listed`` is False for a file that could not be read
    (it is left out of the JSON document)."""

    path: str
    text: str | None = None
    models: list = field(default_factory=list)
    #: Errors reading the file, or an internal error that stopped its analysis.
    errors: list[str] = field(default_factory=list)
    #: Internal errors the analysis recorded (reported after every file's errors).
    internal_errors: list[str] = field(default_factory=list)
    #: Why the analysis stopped short, where no model's table says it (:attr:`FileAnalysis.file_notes`).
    notes: list[str] = field(default_factory=list)
    #: What the analysis took for granted (:attr:`FileAnalysis.assumptions`), said under ``-v``.
    assumptions: list[str] = field(default_factory=list)
    listed: bool = True
    cacheable: bool = True


class SummaryJob(FileJob):
    """``padlint summary`` on one file."""

    def __init__(self, resolver: Resolver, explain: bool, cache: Cache | None) -> None:
        super().__init__(resolver, cache)
        self.explain = explain

    def unreadable(self, task: Task, error: SourceError) -> SummaryResult:
        return SummaryResult(path=task.shown, errors=[f"padlint: error: {task.shown}: {error}"], listed=False)

    def skipped(self, task: Task, source: SourceFile) -> SummaryResult:
        return SummaryResult(path=task.shown)

    def entry(self, result: SummaryResult) -> dict[str, Any] | None:
        if not result.cacheable:
            return None
        return {
            "text": result.text,
            "models": result.models,
            "errors": result.errors,
            "internal_errors": result.internal_errors,
            "notes": result.notes,
            "assumptions": result.assumptions,
            "listed": result.listed,
        }

    def analyse(self, task: Task, source: SourceFile) -> SummaryResult:
        load_engine(rules=False)
        from padlint.analysis import AnalysisOptions, analyse_source

        try:
            analysis = analyse_source(source, AnalysisOptions(default_input_shape=self.resolver.input_shape_for(task.settings_path)))
        except Exception as bug:  # noqa: BLE001 - one file's internal error must not stop the run
            return self.failed(task, bug)
        if analysis.syntax_error is not None:
            problem = analysis.syntax_error
            return SummaryResult(path=task.shown, errors=[f"padlint: error: {task.shown}:{problem.line}:{problem.column}: {problem.message}"])
        from padlint.reporters.summary_json import model_json
        from padlint.reporters.summary_text import render_file

        return SummaryResult(
            path=task.shown,
            text=render_file(analysis, explain=self.explain) if analysis.models else None,
            models=[model_json(summary, analysis) for summary in analysis.models],
            internal_errors=list(analysis.internal_errors),
            notes=list(analysis.file_notes),
            assumptions=list(analysis.assumptions),
            cacheable=not analysis.timed_out,
        )

    def failed(self, task: Task, error: BaseException) -> SummaryResult:
        return SummaryResult(path=task.shown, errors=[internal_error_line(task.shown, f"{type(error).__name__}: {error}")], cacheable=False)


def _summary_hit(path: str | Path, shown: str, data: bytes, entry: dict) -> SummaryResult | None:
    """The summary a cache entry holds, None when the entry is not one (as :meth:`SummaryJob.entry` writes it)."""
    from padlint.cache import strings

    text, models, listed = entry.get("text"), entry.get("models"), entry.get("listed")
    errors, internal, notes = strings(entry.get("errors")), strings(entry.get("internal_errors")), strings(entry.get("notes"))
    assumptions = strings(entry.get("assumptions"))
    if not (text is None or isinstance(text, str)) or not isinstance(models, list) or type(listed) is not bool or None in (errors, internal, notes, assumptions):
        return None
    return SummaryResult(path=shown, text=text, models=models, errors=errors, internal_errors=internal, notes=notes, assumptions=assumptions, listed=listed)


def summarise_files(
    files: list[str],
    resolver: Resolver,
    explain: bool = False,
    *,
    jobs: int = 1,
    cache: Cache | None = None,
    stats: RunStats | None = None,
) -> list[SummaryResult]:
    stats = stats or RunStats()
    results, tasks, positions = _plan(files, cache, lambda path, shown, data: cached_summary(cache, resolver, path, shown, data, explain))
    return _execute(results, tasks, positions, SummaryJob(resolver, explain, cache), jobs, cache, stats)


def summarise_stdin(shown: str, data: bytes, resolver: Resolver, explain: bool = False) -> SummaryResult:
    return SummaryJob(resolver, explain, None)(Task(path=shown, shown=display_path(shown), data=data, settings_path=shown))
