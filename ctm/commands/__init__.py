"""The `ctm` commands, one module each (as frictionless's console/commands/). Each module defines a
`COMMAND`: what `ctm COMMAND --help` says (summary, examples, exit codes), the arguments it takes
and the function that runs it; `ctm.cli` assembles the parser from them."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.settings import Settings


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """A command that takes only the common --home."""


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    examples: list[str]
    exit_codes: dict[int, str]
    # runs the command on the parsed arguments; returns its exit code
    run: Callable[[Settings, argparse.Namespace], int]
    add_arguments: Callable[[argparse.ArgumentParser], None] = _no_arguments
