"""Every label the NRM tables have been published with, one vocabulary per dimension.

The Home Office relabels between releases (`Negative` / `Negative reasonable grounds`,
`Exploitation type` / `Claimed exploitation type`), adds `[note N]` markers and line breaks, and
adds categories as the data brings them. The parser compares labels only through these
vocabularies (see `extract.labels.match_key`), so a new spelling seen in a real release is one line
here. Closed dimensions reject a label they do not know; open ones load it as itself.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from extract.labels import Vocabulary, match_key

TOTAL = "Total"


def _published_labels() -> dict[str, list[str]]:
    """Labels of the open dimensions seen in real releases (known_labels.csv, from the extracts in
    data/nrm): `ctm inspect` calls a label new when it is not among them."""
    seen: dict[str, list[str]] = defaultdict(list)
    with (Path(__file__).with_name("known_labels.csv")).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            seen[row["dimension"]].append(row["label"])
    return seen


PUBLISHED = _published_labels()

# --- column headers of the period tables (Table_2, decisions, Duty to Notify) ---------------------
PERIOD_COLUMNS = Vocabulary(
    "period column",
    {
        "Year": ["Calendar year", "Year of referral", "Year of decision"],
        "Quarter": ["Calendar quarter", "Quarter of referral", "Quarter of decision"],
    },
    closed=True,
)
QUARTERS = Vocabulary(
    "quarter",
    {
        "Q1": ["Quarter 1", "Jan to Mar", "January to March", "Jan-Mar", "Q1 Jan to Mar"],
        "Q2": ["Quarter 2", "Apr to Jun", "April to June", "Apr-Jun", "Q2 Apr to Jun"],
        "Q3": ["Quarter 3", "Jul to Sep", "July to September", "Jul-Sep", "Q3 Jul to Sep"],
        "Q4": ["Quarter 4", "Oct to Dec", "October to December", "Oct-Dec", "Q4 Oct to Dec"],
        TOTAL: ["Year total", "Annual total", "All quarters", "Total for year", "Full year"],
    },
    closed=True,
)
AGE_GROUPS = Vocabulary(
    "age group",
    {
        "Adult (18 or over)": ["Adult", "Adults", "Aged 18 or over", "18 or over", "Adult 18+", "Over 18"],
        "Child (17 or under)": [
            "Child",
            "Children",
            "Minor",
            "Minors",
            "All minors",
            "Aged 17 or under",
            "17 or under",
            "Under 18",
            "Child (under 18)",
        ],
        "Age not specified or unknown": [
            "Not specified or unknown",
            "Age not specified",
            "Age unknown",
            "Age not known",
            "Unknown",
            "Not specified",
            "Unknown age",
        ],
    },
    closed=True,
)
# The upper header of a decision table (and Table_2's last column) also has the all-ages total.
AGE_GROUPS_AND_TOTAL = Vocabulary(
    "age group", {**AGE_GROUPS.labels, TOTAL: ["All ages", "Grand total", "All"]}, closed=True
)
LOCATIONS = Vocabulary(
    "location of exploitation",
    {
        "Overseas": ["Overseas only", "Outside the UK", "Abroad"],
        "UK": ["UK only", "United Kingdom", "In the UK"],
        "UK and Overseas": ["Both UK and overseas", "UK & Overseas", "UK and abroad"],
        "Not specified or unknown": [
            "Location not specified or unknown",
            "Location unknown",
            "Unknown",
            "Not specified",
            "Not known",
        ],
        TOTAL: ["All locations", "Total referrals"],
    },
    closed=True,
)
OUTCOMES = Vocabulary(
    "decision outcome",
    {
        "Negative": [
            "Negative reasonable grounds",
            "Negative conclusive grounds",
            "Negative decision",
            "Negative decisions",
            "Negative RG",
            "Negative CG",
        ],
        "Positive": [
            "Positive reasonable grounds",
            "Positive conclusive grounds",
            "Positive decision",
            "Positive decisions",
            "Positive RG",
            "Positive CG",
        ],
        TOTAL: [
            "Total reasonable grounds",
            "Total conclusive grounds",
            "Total decisions",
            "All decisions",
            "Total RG",
            "Total CG",
        ],
    },
    closed=True,
)
DTN_COLUMNS = Vocabulary(
    "Duty to Notify column", {TOTAL: ["DtN reports", "Reports", "Number of reports"]}, closed=True
)

# --- first-responder tables ------------------------------------------------------------------------
RESPONDER = "First responder"
EXPLOITATION = "Exploitation type"
AGE = "Age at exploitation"
GENDER = "Gender"
RESPONDER_ROW_HEADERS = Vocabulary(
    "first-responder table row header",
    {
        RESPONDER: [
            "Government agency first responder",
            "NGO and third sector first responder",
            "NGO and third sector organisation first responder",
            "Police first responder",
            "Local authority first responder",
            "First responder (government agencies)",
            "First responder (government agency)",
            "First Responder (NGO and Third Sector)",
            "First responder (NGO)",
            "First responder (Police)",
            "First responder (local authority)",
            "First responder (local authorities)",
            "First responder organisation",
            "Police force",
        ],
        EXPLOITATION: ["Claimed exploitation type", "Type of exploitation", "Exploitation"],
        AGE: ["Age group at exploitation", "Age group", "Age"],
        GENDER: ["Sex", "Gender of potential victim"],
    },
    closed=True,
)
# Labels of the outline rows. Age is closed; the others grow with the data.
RESPONDER_AGES = Vocabulary(
    "age at exploitation", {**AGE_GROUPS.labels, TOTAL: ["All ages", "All"]}, closed=True
)
EXPLOITATION_TYPES = Vocabulary(
    "exploitation type",
    {
        "Sexual": ["Sexual exploitation"],
        "Labour": ["Labour exploitation"],
        "Domestic": ["Domestic servitude"],
        "Criminal": ["Criminal exploitation"],
        "Organ Harvesting": ["Organ harvesting", "Organ removal"],
        "Not specified or unknown": ["Unknown", "Not specified", "Not known"],
        TOTAL: ["All exploitation types", "All types"],
    },
    closed=False,
    seen=PUBLISHED["exploitation type"],
)
GENDERS = Vocabulary(
    "gender",
    {
        "Female": ["Women", "Girls", "F"],
        "Male": ["Men", "Boys", "M"],
        "Other": ["Other gender"],
        "Not Recorded": ["Not recorded"],
        "Unknown": ["Not known", "Not specified"],
        TOTAL: ["All genders", "All"],
    },
    closed=False,
    seen=PUBLISHED["gender"],
)
FIRST_RESPONDERS = Vocabulary("first responder", {}, closed=False, seen=PUBLISHED["first responder"])
NATIONALITIES = Vocabulary(
    "nationality", {TOTAL: ["All nationalities", "Grand total"]}, closed=False, seen=PUBLISHED["nationality"]
)

# --- one-column category tables (DtN by nationality, referrals by UK county) -----------------------
COUNTY = "UK County"
NATIONALITY = "Nationality"
CATEGORY_HEADERS = Vocabulary(
    "category table header",
    {
        NATIONALITY: ["Nationality of potential victim", "Nationality group"],
        COUNTY: ["County", "UK county of referral", "County of referral", "County of exploitation"],
        TOTAL: ["DtN reports", "Reports", "Referrals", "NRM referrals", "Number of referrals"],
    },
    closed=True,
)
COUNTIES = Vocabulary("UK county", {}, closed=False, seen=PUBLISHED["UK county"])


@dataclass(frozen=True)
class TitleRule:
    """A table recognised by its title's meaning: every group of words must appear (any one of each
    group, as the start of a word), none of `unless`. 'Table 10 - Details of NRM referrals by
    governmental first responder' and 'Table 11: NRM referrals by government agency first responder,
    ...' are the same table."""

    all_of: tuple[tuple[str, ...], ...]
    unless: tuple[str, ...] = ()

    def matches(self, title: object) -> bool:
        key = match_key(title, strip_table_prefix=True)

        def has(phrase: str) -> bool:
            return re.search(rf"\b{re.escape(match_key(phrase))}", key) is not None

        return all(any(has(p) for p in group) for group in self.all_of) and not any(
            has(p) for p in self.unless
        )


_RESPONDER_WORDS = (("referral",), ("first responder", "by governmental", "by local authorit"))
TITLES = {
    "nrm_referrals_age_location": TitleRule((("referral",), ("age",), ("location",))),
    "nrm_reasonable_grounds": TitleRule((("reasonable grounds",), ("decision",), ("age",))),
    "nrm_conclusive_grounds": TitleRule((("conclusive grounds",), ("decision",), ("age",))),
    "nrm_duty_to_notify": TitleRule((("duty to notify", "dtn"), ("report",), ("quarter",)), ("nationality",)),
    "nrm_duty_to_notify_by_nationality": TitleRule((("duty to notify", "dtn"), ("nationality",))),
    "nrm_referrals_government": TitleRule((*_RESPONDER_WORDS, ("government agenc", "governmental"))),
    "nrm_referrals_ngo": TitleRule((*_RESPONDER_WORDS, ("ngo", "third sector"))),
    "nrm_referrals_police": TitleRule((*_RESPONDER_WORDS, ("police",)), ("force area",)),
    "nrm_referrals_local_authority": TitleRule((("referral",), ("local authorit",))),
    "nrm_referrals_by_county": TitleRule((("referral",), ("county", "counties"))),
}
