"""A release is built as a list of steps, one per output, run in order by `run_steps`.

Each step names what it reads and what it writes: products of the steps before it (the marts read,
the controlled tables, the release id...) or the inputs the driver starts with. A step is a plain
function taking what it reads as keyword arguments and returning what it writes, so each can be
called, and tested, alone. The driver checks both declarations as it goes, so they cannot drift
from what the functions do.

A step may run in the background (the .xlsx, in a forked process on the other core): it returns
work that is finished, and its products stored, before the first step that reads one of them, and
at the latest when the list ends. Whatever fails (a step, or background work), the driver waits
for the background work before the error goes on, so nothing is left running or writing.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class Unfinished(Protocol):
    """Work a background step started: `finish()` waits for it and returns what the step writes,
    or raises why it failed; `abandon()` waits for it and discards it."""

    def finish(self) -> dict[str, Any]: ...

    def abandon(self) -> None: ...


@dataclass(frozen=True)
class Step:
    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    run: Callable[..., Mapping[str, Any] | Unfinished]
    in_background: bool = False

    @classmethod
    def of(cls, run: Callable[..., Any], writes: tuple[str, ...], *, in_background: bool = False) -> Step:
        """The step a function is: named after it, reading what its parameters name."""
        return cls(run.__name__, tuple(inspect.signature(run).parameters), writes, run, in_background)


class StepError(RuntimeError):
    """A step list that does not fit together: a step reads what nothing before it wrote, or does
    not write what it says it writes."""


def run_steps(steps: list[Step], products: dict[str, Any]) -> dict[str, Any]:
    """Run `steps` in order over `products` (the inputs; each step's products are added). Returns
    every product."""
    unfinished: dict[str, tuple[Step, Unfinished]] = {}  # product -> the background work writing it
    try:
        for step in steps:
            for name in step.reads:
                if name in unfinished:
                    _finish(*unfinished[name], products, unfinished)
            missing = [name for name in step.reads if name not in products]
            if missing:
                raise StepError(f"step {step.name!r} reads {missing}, which no step before it writes")
            result = step.run(**{name: products[name] for name in step.reads})
            if step.in_background:
                unfinished.update({name: (step, result) for name in step.writes})
            else:
                _store(step, result, products)
        while unfinished:
            _finish(*next(iter(unfinished.values())), products, unfinished)
    finally:
        for work in {id(work): work for _, work in unfinished.values()}.values():
            work.abandon()  # a step failed: wait for the background work, then let the error go on
    return products


def _finish(step: Step, work: Unfinished, products: dict[str, Any], unfinished: dict) -> None:
    for name in step.writes:
        unfinished.pop(name, None)
    try:
        result = work.finish()
    except BaseException:
        work.abandon()
        raise
    _store(step, result, products)


def _store(step: Step, result: Mapping[str, Any], products: dict[str, Any]) -> None:
    if set(result) != set(step.writes):
        raise StepError(f"step {step.name!r} wrote {sorted(result)}, not {sorted(step.writes)} as it says")
    products.update(result)
