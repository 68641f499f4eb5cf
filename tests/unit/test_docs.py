"""Generated documents match their one source: the data dictionary the warehouse the tests build
(every table in the schema it is built in, every column with its type), the indicators page the
indicator catalogue."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.conftest import catalogue_indicator_ids
from tools.data_dictionary import DictionaryError, data_dictionary
from tools.docs import DBT_DIR, DICTIONARY_PATH, dbt_artifacts, generated_documents, indicators_page

TABLE_HEADING = re.compile(r"^### `(?P<schema>\w+)\.(?P<table>\w+)`$")
COLUMN_ROW = re.compile(
    r"^\| `(?P<column>\w+)` \| (?P<type>[^|]+) \| (?P<description>.*?) \| (?P<tests>.*) \|$"
)


@pytest.fixture(scope="module")
def artifacts(built_home):
    """dbt's manifest and catalog for the built warehouse (made on a copy: built_home stays as it is)."""
    return dbt_artifacts(built_home)


def _listed(text: str) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """(schema, table) -> [(column, type, description)] as the dictionary lists them."""
    tables: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    current = None
    for line in text.splitlines():
        if heading := TABLE_HEADING.match(line):
            current = tables.setdefault((heading["schema"], heading["table"]), [])
        elif (row := COLUMN_ROW.match(line)) and current is not None:
            current.append((row["column"], row["type"].strip(), row["description"].strip()))
    return tables


def test_generated_documents_are_up_to_date(artifacts):
    stale = [
        str(path)
        for path, text in generated_documents(*artifacts).items()
        if path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run: python -m tools.docs --home DIR (a built data home)"


def test_the_dictionary_lists_every_table_and_column_of_the_built_warehouse(built_home):
    with duckdb.connect(str(built_home.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns "
            "order by table_schema, table_name, ordinal_position"
        ).fetchall()
    warehouse: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, data_type in rows:
        warehouse.setdefault((schema, table), []).append((column, data_type))
    listed = _listed(DICTIONARY_PATH.read_text(encoding="utf-8"))
    assert {schema for schema, _ in listed} == {schema for schema, _ in warehouse}
    assert sorted(listed) == sorted(warehouse)
    assert {key: [(c, t) for c, t, _ in columns] for key, columns in listed.items()} == warehouse
    # the indicator families and year rollups are intermediate, not marts (where no such table exists)
    assert ("intermediate", "indicator_quarters") in listed and ("marts", "indicator_quarters") not in listed


def test_every_column_of_every_mart_is_described():
    listed = _listed(DICTIONARY_PATH.read_text(encoding="utf-8"))
    marts = {table: columns for (schema, table), columns in listed.items() if schema == "marts"}
    assert marts
    undescribed = [
        f"{table}.{column}" for table, columns in marts.items() for column, _, text in columns if not text
    ]
    assert undescribed == []


def test_every_model_is_listed_in_the_schema_its_folder_names():
    text = DICTIONARY_PATH.read_text(encoding="utf-8")
    models = sorted(DBT_DIR.glob("models/*/**/*.sql"))
    assert {model.relative_to(DBT_DIR / "models").parts[0] for model in models} >= {"intermediate", "marts"}
    for model in models:
        layer = model.relative_to(DBT_DIR / "models").parts[0]
        assert f"### `{layer}.{model.stem}`" in text, model


def test_a_documented_column_the_warehouse_lacks_is_an_error(artifacts):
    manifest, catalog = artifacts
    node = manifest["nodes"]["model.child_trafficking_monitor.mart_returns_completeness"]
    stale = {
        **manifest,
        "nodes": {
            **manifest["nodes"],
            node["unique_id"]: {**node, "columns": {**node["columns"], "period_year": {}}},
        },
    }
    with pytest.raises(DictionaryError, match="mart_returns_completeness has no column 'period_year'"):
        data_dictionary(stale, catalog)


def test_the_indicators_page_covers_every_indicator_of_the_catalogue():
    ids = catalogue_indicator_ids()
    assert ids and len(set(ids)) == len(ids)
    page = indicators_page()
    for indicator in ids:
        assert f"## {indicator}\n" in page
