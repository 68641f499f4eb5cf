"""Generated documents match their one source (the dbt YAML, the indicator catalogue)."""

from __future__ import annotations

import csv

from tools.docs import DBT_DIR, generated_documents


def test_generated_documents_are_up_to_date():
    stale = [
        str(path) for path, text in generated_documents().items() if path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run: python -m tools.docs"


def test_the_data_dictionary_covers_every_mart_and_the_indicators_page_every_indicator():
    documents = {path.name: text for path, text in generated_documents().items()}
    for model in sorted(DBT_DIR.glob("models/marts/**/*.sql")):
        assert f"### `marts.{model.stem}`" in documents["data_dictionary.md"], model.stem
    with (DBT_DIR / "seeds" / "indicator_catalogue.csv").open(encoding="utf-8") as handle:
        ids = [row["indicator_id"] for row in csv.DictReader(handle)]
    assert len(ids) == 19
    for indicator in ids:
        assert f"## {indicator}\n" in documents["indicators.md"]
