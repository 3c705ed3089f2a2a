"""Limits that keep the evaluator bounded on hostile or pathological code.

padlint interprets user code itself instead of running it, so a ``while True``,
a ``range(10**12)`` or a recursive helper must end in bounded time and memory.
Each limit, when hit, stops only what it guards and leaves a note: the models
affected are then marked incomplete.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


class BudgetExceeded(Exception):
    """The evaluation of this file has used up its budget and stops here."""


class AllowanceSpent(Exception):
    """A loop that cannot build a model used up the steps allowed to it (see :meth:`Budget.allowance`)."""


@dataclass
class Budget:
    #: Expression and statement evaluations per file.
    max_steps: int = 400_000
    #: Iterations of one loop or comprehension.
    max_iterations: int = 10_000
    #: Nested user-function calls.
    max_call_depth: int = 40
    #: Nesting of expressions evaluated recursively.
    max_expression_depth: int = 150
    #: Elements of a list, tuple, dict or string the evaluator builds.
    max_collection: int = 100_000
    #: Bits of an integer the evaluator computes (larger results become unknown).
    max_int_bits: int = 4_096
    #: Wall-clock seconds per evaluation, checked every 256 steps.
    max_seconds: float = 10.0

    #: Steps a loop that cannot build a model (a data-generation loop) may take before it is
    #: given up (its effects become unknown), and at most this share of the steps left, so
    #: such loops cannot spend the file's budget before the model code runs.
    inert_loop_steps: int = 100_000
    inert_loop_share: float = 0.25

    steps: int = 0
    #: The step at which the running allowance ends (None: no allowance is running).
    allowance_end: int | None = None
    call_depth: int = 0
    started: float = field(default_factory=time.monotonic)
    notes: list[str] = field(default_factory=list)
    #: Whether the wall clock stopped the evaluation (what it left unknown depends on the machine's speed).
    timed_out: bool = False

    def step(self) -> None:
        self.steps += 1
        if self.allowance_end is not None and self.steps > self.allowance_end:
            raise AllowanceSpent()
        if self.steps > self.max_steps:
            raise BudgetExceeded(f"evaluation stopped after {self.max_steps:,} steps")
        # Every 256 steps: one step may cost up to a few milliseconds (a comparison of two
        # lists of MAX_PLAIN_WORK items), and the clock is cheap next to that.
        if self.steps & 0xFF == 0 and time.monotonic() - self.started > self.max_seconds:
            self.timed_out = True
            raise BudgetExceeded(f"evaluation stopped after {self.max_seconds:g} seconds")

    def allowance(self) -> int:
        """The steps the next loop that builds nothing may take (see ``inert_loop_steps``)."""
        return min(self.inert_loop_steps, int(max(self.max_steps - self.steps, 0) * self.inert_loop_share))

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)
