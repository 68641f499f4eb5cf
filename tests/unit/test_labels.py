"""Labels are matched by meaning: one normalisation, one vocabulary per dimension."""

from __future__ import annotations

import pytest

from extract.labels import Vocabulary, display_label, match_key
from extract.sources.nrm.vocabulary import (
    AGE_GROUPS_AND_TOTAL,
    EXPLOITATION_TYPES,
    LOCATIONS,
    NATIONALITIES,
    OUTCOMES,
    PERIOD_COLUMNS,
    QUARTERS,
    RESPONDER_ROW_HEADERS,
    TITLES,
)


@pytest.mark.parametrize(
    ("published", "key"),
    [
        ("Adult (18 or over) [note 4]", "adult 18 or over"),
        ("Labour\n & Criminal", "labour and criminal"),
        ("  Child\u00a0(17 or  under)", "child 17 or under"),
        ("UK & Overseas", "uk and overseas"),
        ("Negative reasonable grounds [note 12] [note 13]", "negative reasonable grounds"),
        ("NEGATIVE", "negative"),
    ],
)
def test_match_key_ignores_case_space_breaks_punctuation_and_note_markers(published, key):
    assert match_key(published) == key


def test_table_prefixes_are_stripped_from_titles_only_when_asked():
    assert (
        match_key("Table 10 - Details of NRM referrals", strip_table_prefix=True)
        == "details of nrm referrals"
    )
    assert match_key("Table_11: NRM referrals", strip_table_prefix=True) == "nrm referrals"
    assert match_key("Table 11: NRM referrals") == "table 11 nrm referrals"


def test_display_label_keeps_the_words_and_drops_the_markers():
    assert display_label("All minors [note 6]") == "All minors"
    assert display_label("Labour\n & Criminal") == "Labour & Criminal"


@pytest.mark.parametrize(
    ("vocabulary", "published", "canonical"),
    [
        (OUTCOMES, "Negative reasonable grounds", "Negative"),
        (OUTCOMES, "Positive conclusive grounds [note 7]", "Positive"),
        (OUTCOMES, "Negative", "Negative"),
        (AGE_GROUPS_AND_TOTAL, "Adult (18 or over) [note 4]", "Adult (18 or over)"),
        (AGE_GROUPS_AND_TOTAL, "All minors", "Child (17 or under)"),
        (AGE_GROUPS_AND_TOTAL, "Total", "Total"),
        (LOCATIONS, "UK & Overseas", "UK and Overseas"),
        (RESPONDER_ROW_HEADERS, "First responder (government agencies)", "First responder"),
        (RESPONDER_ROW_HEADERS, "Claimed exploitation type", "Exploitation type"),
        (RESPONDER_ROW_HEADERS, "Age group at exploitation", "Age at exploitation"),
        (RESPONDER_ROW_HEADERS, "Police first responder", "First responder"),
        (PERIOD_COLUMNS, "YEAR", "Year"),
        (QUARTERS, "Jan to Mar", "Q1"),
        (QUARTERS, "Q4", "Q4"),
    ],
)
def test_the_publishers_synonyms_mean_the_same_label(vocabulary, published, canonical):
    assert vocabulary.canonical(published) == canonical


def test_a_closed_dimension_knows_no_new_label():
    assert LOCATIONS.canonical("Britain") is None
    assert not LOCATIONS.is_known("Britain")


def test_an_open_dimension_loads_a_new_label_as_itself_tidied():
    assert (
        EXPLOITATION_TYPES.canonical("Sexual, Organ Harvesting\n & Criminal")
        == "Sexual, Organ Harvesting & Criminal"
    )
    assert not EXPLOITATION_TYPES.is_known("Sexual, Organ Harvesting & Criminal")
    assert NATIONALITIES.canonical("Martian [note 9]") == "Martian"
    assert NATIONALITIES.is_known("Albanian UK")  # seen in a real release
    assert NATIONALITIES.canonical("Albanian  UK") == "Albanian UK"  # never renamed to another spelling


def test_one_spelling_cannot_mean_two_labels():
    with pytest.raises(ValueError, match="means both 'A' and 'B'"):
        Vocabulary("test", {"A": ["x"], "B": ["X"]}, closed=True)


@pytest.mark.parametrize(
    ("table", "title"),
    [
        ("nrm_referrals_government", "Table 10 - Details of NRM referrals by governmental first responder"),
        (
            "nrm_referrals_government",
            "Table 11: NRM referrals by government agency first responder, exploitation type, age at exploitation, gender and nationality",
        ),
        ("nrm_referrals_ngo", "Table 11 - Details of NRM referrals by NGO first responders"),
        (
            "nrm_referrals_ngo",
            "Table 12: NRM referrals by NGO and third sector organisation first responder, exploitation type",
        ),
        ("nrm_referrals_police", "Table 12 - Details of NRM referrals by police first responders"),
        ("nrm_referrals_police", "Table 13: NRM referrals by police first responder, exploitation type"),
        ("nrm_referrals_local_authority", "Table 13 - Details of NRM referrals by local authorities"),
        (
            "nrm_referrals_local_authority",
            "Table 14: NRM referrals from local authority first responder by exploitation type",
        ),
        (
            "nrm_reasonable_grounds",
            "Table 16: NRM reasonable grounds decisions made by both competent authorities by quarter, outcome and age at exploitation",
        ),
        ("nrm_referrals_by_county", "Table 12: NRM referrals by UK county [note 20]"),
    ],
)
def test_tables_are_recognised_by_the_meaning_of_their_titles_in_every_era(table, title):
    assert [key for key, rule in TITLES.items() if rule.matches(title)] == [table]
