"""What the NRM tables the pipeline reads look like: titles, header labels, and their codes.

Shared by the parser (to recognise a table) and the sample generator (to write one), so the two
cannot drift apart.
"""

from __future__ import annotations

import re

# Table_2 is found by its title, never by its sheet number (which moves between releases).
REFERRALS_AGE_LOCATION_TITLE = re.compile(
    r"referrals\b.*\bage at exploitation\b.*\blocation of exploitation", re.IGNORECASE
)
REFERRALS_AGE_LOCATION_NAME = "NRM referrals by quarter, age at exploitation and location of exploitation"

# Published header label -> code used in the warehouse. Matching is on normalised text.
AGE_GROUPS = {
    "Adult (18 or over)": "adult",
    "Child (17 or under)": "child",
    "Age not specified or unknown": "unknown",
}
LOCATIONS = {
    "Overseas": "overseas",
    "UK": "uk",
    "UK and Overseas": "uk_and_overseas",
    "Not specified or unknown": "unknown",
    "Total": "total",
}

SHORTHAND = re.compile(r"^(\[(?:c|x|z|low|u|p|r|e|w|d)\])+$", re.IGNORECASE)
_QUARTER_MONTHS = {"january": 1, "april": 2, "july": 3, "october": 4}


def normalise_label(value: object) -> str:
    """Collapse line breaks, non-breaking and repeated spaces: 'Labour\\n & Criminal' -> 'Labour & Criminal'."""
    return re.sub(r"\s+", " ", str(value).replace("\u00a0", " ")).strip()


def release_id_for(year: int, quarter: int) -> str:
    return f"nrm-{year}-q{quarter}"


def release_id_from_title(text: str) -> str | None:
    """'... October to December 2023' -> 'nrm-2023-q4' (the period a release covers, as in its title)."""
    match = re.search(
        r"(January|April|July|October)\s+to\s+(?:March|June|September|December)\s+(\d{4})", text, re.I
    )
    if not match:
        return None
    return release_id_for(int(match.group(2)), _QUARTER_MONTHS[match.group(1).lower()])
