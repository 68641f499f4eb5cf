"""Property-based: real-layout workbooks, perturbed the ways publishers and office suites perturb
them, give the same figures; a changed figure or a missing required column never goes unnoticed.

The workbooks are written from the real extracts (Table_2 2021-2023, the decision and Duty to Notify
tables, the first blocks of the four first-responder tables, DtN by nationality), in the 2022 and
2023 layouts, then perturbed: rows between title and header, renumbered sheets, [note N] markers,
label synonyms, header-less spacer columns, notes under a table, trailing empty rows, and the
office-suite form (merged header cells, text:s, line breaks, thousands separators).
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.sources.nrm.parse import parse_workbook
from extract.sources.nrm.vocabulary import (
    AGE_GROUPS_AND_TOTAL,
    DTN_COLUMNS,
    LOCATIONS,
    OUTCOMES,
    PERIOD_COLUMNS,
    RESPONDER_ROW_HEADERS,
)
from pipeline.ods import Merged, write_ods
from pipeline.problems import RejectedFile
from tools.generate_nrm_sample import (
    Layout,
    _release_workbook,
    load_referrals,
    longitudinal_tables,
    quarter_tables,
)

RESPONDER_ROWS_KEPT = 40  # the first blocks of each first-responder table: real rows, quick to write


def _sheets(era: str, rows_above_header: int) -> list:
    layout = Layout(rows_above_header=rows_above_header, era=era)
    referrals = {k: v for k, v in load_referrals().items() if k >= (2021, 1)}
    tables = longitudinal_tables(referrals, layout=layout, until=(2023, 4))
    for name, rows in quarter_tables(2023, 4, layout=layout):
        header = _header_index(rows)
        tables.append((name, [list(r) for r in rows[: header + 1 + RESPONDER_ROWS_KEPT]]))
    return _release_workbook(2023, 4, tables, layout)


def _figures(path: Path) -> dict:
    workbook = parse_workbook(path)
    figures = {}
    for key, cells in workbook.tables.items():
        for c in cells:
            figures[(key, c.year, c.quarter, c.group, c.label)] = (c.value, c.value_flag)
    for key, cells in workbook.responder_tables.items():
        for c in cells:
            figures[
                (key, c.first_responder, c.exploitation_type, c.age_at_exploitation, c.gender, c.nationality)
            ] = (
                c.value,
                c.value_flag,
            )
    return figures


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("baseline") / "baseline.ods"
    write_ods(path, _sheets("2023", 5))
    return _figures(path)


def _header_index(rows: list) -> int:
    """The (lower) header row of a table as the generator writes it, before any perturbation."""
    return next(i for i, row in enumerate(rows) if any(v in ("Year", "Gender", "Nationality") for v in row))


def _synonym(rng: random.Random, vocabulary, label: str) -> str:
    canonical = vocabulary.canonical(label)
    if canonical is None or canonical not in vocabulary.labels:
        return label
    return rng.choice([canonical, *vocabulary.labels[canonical]])


def _perturb(sheets: list, rng: random.Random, *, office: bool) -> list:
    tables = {name: [list(r) for r in rows] for name, rows in sheets if name.startswith("Table_")}
    others = [(name, rows) for name, rows in sheets if not name.startswith("Table_")]
    numbers = rng.sample(range(1, 99), len(tables))
    perturbed = []
    for rows, number in zip(tables.values(), numbers, strict=True):
        header = _header_index(rows)
        label_row, top_row = rows[header], rows[header - 1] if header > 0 else []
        is_period = "Year" in label_row
        labels = LOCATIONS if "referrals by year" in str(rows[0][0]) else OUTCOMES
        for col, value in enumerate(label_row):
            if not isinstance(value, str) or not value:
                continue
            if PERIOD_COLUMNS.is_known(value):
                label_row[col] = _synonym(rng, PERIOD_COLUMNS, value)
            elif is_period:
                vocab = DTN_COLUMNS if len(label_row) <= 3 else labels
                label_row[col] = _synonym(rng, vocab, value)
            elif RESPONDER_ROW_HEADERS.is_known(value):
                label_row[col] = _synonym(rng, RESPONDER_ROW_HEADERS, value)
            if rng.random() < 0.2:
                label_row[col] = f"{label_row[col]} [note {rng.randint(1, 30)}]"
        if is_period and top_row is not label_row:
            for col, value in enumerate(top_row):
                if isinstance(value, str) and value and AGE_GROUPS_AND_TOTAL.is_known(value):
                    top_row[col] = _synonym(rng, AGE_GROUPS_AND_TOTAL, value)
        # a header-less, figure-less spacer column somewhere
        if rng.random() < 0.5:
            at = rng.randint(0, len(label_row))
            rows = [r[:at] + [""] + r[at:] if len(r) > 1 else r for r in rows]
        # notes under the table, then trailing empty rows
        if rng.random() < 0.5:
            rows += [
                [""],
                ["Source: Home Office, NRM statistics."],
                ["Note: figures are revised every quarter."],
            ]
        rows += [[""]] * rng.randint(0, 5)
        if office:
            rows = [_merge_group_row(r) if i == header - 1 and is_period else r for i, r in enumerate(rows)]
        perturbed.append((f"Table_{number}", rows))
    return others + perturbed


def _merge_group_row(row: list) -> list:
    """An office suite's merged group labels: each label spans the blanks after it."""
    merged: list = []
    index = 0
    while index < len(row):
        span = 1
        while index + span < len(row) and row[index + span] in ("", None):
            span += 1
        if row[index] not in ("", None) and span > 1:
            merged.append(Merged(row[index], span))
        else:
            merged += row[index : index + span]
        index += span
    return merged


def _write(sheets: list, office: bool) -> Path:
    path = Path(tempfile.mkdtemp()) / "perturbed.ods"
    write_ods(path, sheets, office_suite=office)
    return path


PROPERTY_SETTINGS = settings(
    max_examples=min(25, settings.default.max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@PROPERTY_SETTINGS
@given(
    era=st.sampled_from(["2022", "2023"]),
    rows_above=st.integers(min_value=0, max_value=8),
    office=st.booleans(),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_perturbed_real_layouts_give_the_same_figures(baseline, era, rows_above, office, seed):
    rng = random.Random(seed)
    sheets = _perturb(_sheets(era, rows_above), rng, office=office)
    assert _figures(_write(sheets, office)) == baseline


def _data_cells(rows: list) -> list[tuple[int, int]]:
    header = _header_index(rows)
    return [
        (i, c)
        for i in range(header + 1, len(rows))
        for c, v in enumerate(rows[i])
        if type(v) is int and not (c == 0 and 1990 < v < 2100)
    ]


@PROPERTY_SETTINGS
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), delta=st.integers(min_value=1, max_value=500))
def test_a_changed_figure_comes_out_changed(baseline, seed, delta):
    rng = random.Random(seed)
    sheets = [(name, [list(r) for r in rows]) for name, rows in _sheets("2023", 5)]
    index = rng.choice([i for i, (name, _) in enumerate(sheets) if name.startswith("Table_")])
    name, rows = sheets[index]
    row, col = rng.choice(_data_cells(rows))
    rows[row][col] += delta
    changed = {k: v for k, v in _figures(_write(sheets, False)).items() if baseline.get(k) != v}
    assert len(changed) == 1
    ((key, (value, _)),) = changed.items()
    assert value == baseline[key][0] + delta


@PROPERTY_SETTINGS
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_a_missing_required_column_is_caught(seed):
    rng = random.Random(seed)
    sheets = [(name, [list(r) for r in rows]) for name, rows in _sheets("2023", 5)]
    index = rng.choice([i for i, (name, _) in enumerate(sheets) if name.startswith("Table_")])
    name, rows = sheets[index]
    header = _header_index(rows)
    width = len(rows[header])
    # a required column: any figure column of a period table, the row labels or 'Total' of the others.
    # Not the grand Total of Table_2 (its last column, under an upper 'Total'): a published total,
    # reconciled when present, which not every release has.
    is_period = "Year" in rows[header]
    upper = rows[header - 1] if header else []
    grand_total = {width - 1} if len(upper) == width and upper[-1] == "Total" else set()
    candidates = (
        [c for c in range(2, width) if c not in grand_total]
        if is_period
        else [
            c
            for c in range(width)
            if rows[header][c]
            in ("Total", "Gender", "Exploitation type", "Age at exploitation", "Nationality")
        ]
    )
    col = rng.choice(candidates)
    sheets[index] = (
        name,
        [r[:col] + r[col + 1 :] if len(r) > col and i >= header - 1 else r for i, r in enumerate(rows)],
    )
    with pytest.raises(RejectedFile) as caught:
        parse_workbook(_write(sheets, False))
    rules = {p.rule for p in caught.value.problems}
    assert rules & {"required_column", "column_header", "required_table", "known_label"}, rules
    assert any(p.sheet == name or name in p.message or "no table" in p.message for p in caught.value.problems)


def test_the_baseline_is_the_real_figures(baseline):
    """The property tests compare against figures that are themselves right."""
    child_2023 = sum(
        value
        for (key, year, quarter, group, label), (value, _) in (
            (k, v) for k, v in baseline.items() if k[0] == "nrm_referrals_age_location"
        )
        if year == 2023 and quarter and group == "Child (17 or under)" and label == "Total"
    )
    assert child_2023 == 7432
    assert baseline[("nrm_referrals_age_location", 2023, None, "Child (17 or under)", "Total")] == (
        7432,
        None,
    )
