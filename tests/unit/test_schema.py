"""The published tables' fields come from the dbt YAML, each column described once."""

from __future__ import annotations

import pytest

from publish.schema import INDICATOR_FIELDS, REVISION_FIELDS, published_fields


def test_fields_are_the_published_columns_of_the_model_in_order(tmp_path):
    (tmp_path / "marts").mkdir()
    (tmp_path / "marts" / "_models.yml").write_text(
        """
version: 2
models:
  - name: mart_example
    columns:
      - name: table_key
        description: In the warehouse.
        config: {meta: {published: {name: table, type: string, description: "The table"}}}
      - name: internal_only
        description: Not published.
      - name: figure
        config: {meta: {published: {type: integer, description: "The figure"}}}
"""
    )
    assert published_fields("mart_example", tmp_path) == [
        ("table", "string", "The table"),
        ("figure", "integer", "The figure"),
    ]
    with pytest.raises(LookupError, match="no dbt model 'mart_missing'"):
        published_fields("mart_missing", tmp_path)


def test_the_release_tables_publish_what_the_marts_declare():
    assert [name for name, _, _ in INDICATOR_FIELDS][:3] == ["indicator_id", "period_type", "period_label"]
    assert "value_year_earlier" not in {name for name, _, _ in INDICATOR_FIELDS}  # in the mart, not published
    assert [name for name, _, _ in INDICATOR_FIELDS][-1] == "null_reason"  # why a value is not shown
    assert [name for name, _, _ in REVISION_FIELDS][0] == "table"  # published name of table_key
