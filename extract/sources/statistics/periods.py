"""Periods as the publishers write them -> the monitor's labels: financial years '2024-25' (April
to March: the DfE's "year ending 31 March 2025" is 2024-25) and calendar quarters '2023-Q2'."""

from __future__ import annotations

import re

_YEAR_ENDING = re.compile(r"(\d{4})")  # 2025: the year ending 31 March 2025
_EES_FINANCIAL = re.compile(r"(\d{4})(\d{2})")  # 202425: explore-education-statistics' financial year
_FINANCIAL = re.compile(r"(\d{4})\s*(?:/|-|to)\s*(\d{2}|\d{4})")  # 2024-25, 2024-25, 2024 to 2025
_QUARTER = re.compile(r"q?\s*([1-4])", re.IGNORECASE)


def financial_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def year_ending_march(text: str) -> str:
    """'2025' or '202425' or '2024/25' -> '2024-25'. Raises ValueError."""
    cleaned = text.strip()
    if match := _YEAR_ENDING.fullmatch(cleaned):
        return financial_year_label(int(match.group(1)) - 1)
    return financial_year(cleaned)


def financial_year(text: str) -> str:
    """'2015/16', '2015-16', '201516', '2015 to 2016' -> '2015-16'. Raises ValueError."""
    cleaned = text.strip()
    match = _FINANCIAL.fullmatch(cleaned) or _EES_FINANCIAL.fullmatch(cleaned)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        if end % 100 == (start + 1) % 100 and (end < 100 or end == start + 1):
            return financial_year_label(start)
    raise ValueError(f"{text!r} is not a financial year (write it as e.g. 2023-24)")


def financial_quarter(year: str, quarter: str) -> str:
    """Financial year and quarter -> the calendar quarter: ('2023/24', '1') -> '2023-Q2' (April to
    June 2023); quarter 4 is January to March of the next calendar year. Raises ValueError."""
    label = financial_year(year)
    match = _QUARTER.fullmatch(quarter.strip())
    if not match:
        raise ValueError(f"{quarter!r} is not a financial quarter (1 to 4)")
    start = int(label[:4])
    number = int(match.group(1))
    return f"{start + 1}-Q1" if number == 4 else f"{start}-Q{number + 1}"
