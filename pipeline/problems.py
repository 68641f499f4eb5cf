"""Problems found in a received file, precise enough for the sender to fix them.

Every rejection names where the problem is (sheet, row, column, field), what was found, which
rule it breaks and how to fix it. Parsers collect all problems they can before giving up, so a
sender sees them at once rather than one per resubmission.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str
    fix: str
    sheet: str | None = None
    row: int | None = None  # 1-based, as a spreadsheet shows it
    column: str | None = None  # spreadsheet letter, e.g. "E"
    field: str | None = None  # the header label of that column
    value: str | None = None

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}" + (f" ({self.field!r})" if self.field else ""))
        elif self.field:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts) or "whole file"

    def describe(self) -> str:
        return f"{self.location()}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class RejectedFile(ValueError):
    """A file that cannot be loaded, with every problem found in it."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("a rejection needs at least one problem")
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(problems[0].describe() + more)


def reject(rule: str, message: str, fix: str, **where: object) -> RejectedFile:
    """A rejection with one problem: `where` is any of sheet, row, column, field, value."""
    return RejectedFile([Problem(rule=rule, message=message, fix=fix, **where)])


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def visible(text: object) -> str:
    """Text from a sender, safe to print on one line: control characters (a newline in a file name,
    an escape sequence) shown as escapes, never acted on."""
    return "".join(
        ch if not unicodedata.category(ch).startswith("C") else ch.encode("unicode_escape").decode("ascii")
        for ch in str(text)
    )


# What could make a sender's text into markup inside a line: code spans, links and images, raw
# HTML and entities, table cells. (Emphasis is left alone: at worst cosmetic.)
_MARKDOWN_TABLE = str.maketrans(
    {"\\": "\\\\", "`": "\\`", "[": "\\[", "]": "\\]", "|": "\\|", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
)


def markdown_text(text: object) -> str:
    """Text from a sender as literal Markdown on one line: it cannot open a code span, a link, an
    image or a tag, end a table cell, or start a line of its own."""
    return visible(text).translate(_MARKDOWN_TABLE)


def markdown_code(text: object) -> str:
    """Text from a sender as an inline code span (shown as typed), fenced with more backticks than
    it holds so it cannot close the span early; '|' escaped so it cannot end a table cell."""
    shown = visible(text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"
