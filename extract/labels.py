"""Matching published labels by meaning, not by one spelling.

Publishers relabel, renumber and annotate their tables release after release: `Negative reasonable
grounds [note 4]`, `Table 11 - Details of ...`, `Labour\\n & Criminal`. Every reader compares labels
through `match_key`, and every dimension keeps its synonyms in one `Vocabulary`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_NOTE_MARKER = re.compile(r"\[\s*notes?\s*[\d,\s&and-]*\]", re.IGNORECASE)
_TABLE_PREFIX = re.compile(r"^\s*table\s*_?\s*\d+[a-z]?\s*[:.\-\u2013\u2014]?\s*", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w\s]")


def display_label(value: object) -> str:
    """A label as a reader would write it: note markers gone, whitespace and line breaks collapsed.

    'Labour\\n & Criminal' -> 'Labour & Criminal'; 'All minors [note 6]' -> 'All minors'."""
    text = unicodedata.normalize("NFKC", str(value)).replace("\u00a0", " ")
    text = _NOTE_MARKER.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def match_key(value: object, *, strip_table_prefix: bool = False) -> str:
    """The form two labels are compared in: case, whitespace, line breaks, punctuation and note
    markers ignored; '&' read as 'and'. 'Adult (18 or over) [note 4]' -> 'adult 18 or over'."""
    text = display_label(value)
    if strip_table_prefix:
        text = _TABLE_PREFIX.sub("", text)
    text = text.casefold().replace("&", " and ")
    return re.sub(r"\s+", " ", _PUNCTUATION.sub(" ", text)).strip()


@dataclass(frozen=True)
class Vocabulary:
    """The labels one dimension has been published with: canonical label -> synonyms.

    A closed dimension (age group, location, outcome) has a fixed list: a label that matches none of
    it is an error. In an open one (nationality, gender, first responder...) a new label is data and
    comes back as itself, tidied."""

    name: str
    labels: Mapping[str, Iterable[str]]
    closed: bool
    seen: Iterable[str] = ()  # labels already published (an open dimension's history): known, never renamed
    _index: dict[str, str] = field(init=False, repr=False, compare=False)
    _seen: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, str] = {}
        for canonical, synonyms in self.labels.items():
            for spelling in (canonical, *synonyms):
                key = match_key(spelling)
                if index.setdefault(key, canonical) != canonical:
                    raise ValueError(f"{self.name}: {spelling!r} means both {index[key]!r} and {canonical!r}")
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_seen", frozenset(match_key(label) for label in self.seen))

    def known(self) -> list[str]:
        return list(self.labels)

    def canonical(self, value: object) -> str | None:
        """The canonical label `value` means; for an open dimension an unknown label is itself."""
        found = self._index.get(match_key(value))
        if found is None and not self.closed:
            return display_label(value) or None
        return found

    def is_known(self, value: object) -> bool:
        key = match_key(value)
        return key in self._index or key in self._seen
