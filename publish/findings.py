"""Key findings: the few sentences a bulletin opens with, each built from the published rows (so a
suppressed figure is never stated) and each carrying the figures it states, so a test can check
that the figures in the words are the figures in the tables.

A finding is written only when every figure it needs is published; otherwise it is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from publish.formats import published_number

Row = Mapping[str, str]


@dataclass(frozen=True)
class Stated:
    """A figure a sentence states: where it is in indicators.csv, and how the sentence shows it."""

    indicator_id: str
    period_label: str
    area_code: str
    breakdown: str
    field: str  # numerator | value
    shown: str  # as it appears in the sentence


@dataclass(frozen=True)
class Finding:
    sentence: str
    figures: tuple[Stated, ...]


class _Rows:
    def __init__(self, rows: Iterable[Row]):
        self._index = {
            (r["indicator_id"], r["period_label"], r["area_code"], r["breakdown"]): r for r in rows
        }

    def get(self, indicator: str, period: str, area: str, breakdown: str = "all") -> Row | None:
        return self._index.get((indicator, period, area, breakdown))

    def latest(self, indicator: str, period_type: str, area: str) -> str | None:
        periods = [
            period
            for (ind, period, a, b), row in self._index.items()
            if ind == indicator and a == area and b == "all" and row["period_type"] == period_type
            and published_number(row["value"]) is not None
        ]  # fmt: skip
        return (
            max(periods, key=lambda p: self._index[(indicator, p, area, "all")]["period_start_date"])
            if periods
            else None
        )


def _stated(row: Row, field: str, shown: str) -> Stated:
    return Stated(row["indicator_id"], row["period_label"], row["area_code"], row["breakdown"], field, shown)


def _count(row: Row) -> str:
    return f"{int(float(row['numerator'])):,}"


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _change(now: float, before: float) -> str:
    change = (now - before) / before * 100
    if abs(change) < 0.05:
        return "the same as"
    return f"{'up' if change > 0 else 'down'} {abs(change):.1f}% on"


UK, ENGLAND_AND_WALES, ENGLAND = "K02000001", "K04000001", "E92000001"


def key_findings(rows: Iterable[Row]) -> list[Finding]:
    """Up to six sentences: child referrals in the latest complete year and the change on the year
    before, the criminal share, the child share, the newest quarter, police recorded offences, and
    the Children in Need CCE factor; each only when its figures are published."""
    index = _Rows(rows)
    findings = []
    year = index.latest("child_referrals", "year", UK)
    if year:
        now = index.get("child_referrals", year, UK)
        before = index.get("child_referrals", str(int(year) - 1), UK)
        figures = [_stated(now, "numerator", _count(now))]
        sentence = f"{_count(now)} children were referred to the NRM in {year}"
        if before and published_number(before["numerator"]):
            sentence += f", {_change(float(now['numerator']), float(before['numerator']))} {int(year) - 1} ({_count(before)})"
            figures.append(_stated(before, "numerator", _count(before)))
        criminal = index.get("criminal_exploitation_share_of_child_referrals", year, UK)
        if criminal and published_number(criminal["value"]) is not None:
            shown = _percent(float(criminal["value"]))
            sentence += f"; {shown} of them for criminal exploitation"
            figures.append(_stated(criminal, "value", shown))
        findings.append(Finding(sentence + ".", tuple(figures)))
        share = index.get("child_share_of_referrals", year, UK)
        if share and published_number(share["value"]) is not None:
            shown = _percent(float(share["value"]))
            findings.append(
                Finding(
                    f"Children were {shown} of all NRM referrals whose age was known in {year}.",
                    (_stated(share, "value", shown),),
                )
            )
    quarter = index.latest("child_referrals", "quarter", UK)
    if quarter:
        row = index.get("child_referrals", quarter, UK)
        provisional = (
            " (provisional: the next release may revise it)" if row["is_provisional"] == "true" else ""
        )
        findings.append(
            Finding(
                f"In {quarter}, the newest quarter of the referrals table, {_count(row)} children were "
                f"referred{provisional}.",
                (_stated(row, "numerator", _count(row)),),
            )
        )
    # a count and its rate for the newest financial year: offences, then the CCE factor
    for indicator, area, words in (
        (
            "modern_slavery_offence_rate_per_100k",
            ENGLAND_AND_WALES,
            "The police in England and Wales recorded {count} modern slavery offences in {year} "
            "(April to March), {rate} per 100,000 people, against victims of all ages.",
        ),
        (
            "cin_child_criminal_exploitation_rate_per_10k",
            ENGLAND,
            "Councils in England identified child criminal exploitation in {count} children-in-need "
            "assessments in {year}, {rate} per 10,000 children (assessments, not children).",
        ),
    ):
        year = index.latest(indicator, "financial_year", area)
        if year:
            row = index.get(indicator, year, area)
            rate = f"{float(row['value']):.1f}"
            findings.append(
                Finding(
                    words.format(count=_count(row), year=year, rate=rate),
                    (_stated(row, "numerator", _count(row)), _stated(row, "value", rate)),
                )
            )
    return findings[:6]
