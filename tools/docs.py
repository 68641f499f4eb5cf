"""Documents generated from their one source, so they cannot drift from it:

- docs/data_dictionary.md from dbt's artifacts for a built warehouse (tools/data_dictionary.py):
  every table in the schema it is built in, every column with its type as the warehouse holds it
  (catalog.json) and its description and tests from the dbt YAML (manifest.json);
- docs/indicators.md from the indicator catalogue (dbt_project/seeds/indicator_catalogue.csv, its
  sources worded as seeds/source_publications.csv words them, as marts.dim_indicator does).

To regenerate, after a change to the dbt project, build a data home with every model (any data:
the tables, columns and types do not depend on it), e.g. `ctm run` on the samples, then

    python -m tools.docs --home DIR     # DIR the data home (default: CTM_HOME, else var/)

It runs `dbt parse` and `dbt docs generate --no-compile` (transform.build's dbt invocation) on a
copy of the home's snapshot, so the home is left as it is. tests/unit/test_docs.py does the same on
the warehouse the tests build and fails when a committed copy is stale.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pipeline.settings import REPO_ROOT, Settings, get_settings
from tools.data_dictionary import GENERATED, data_dictionary

DBT_DIR = REPO_ROOT / "dbt_project"
DICTIONARY_PATH = REPO_ROOT / "docs" / "data_dictionary.md"
INDICATORS_PATH = REPO_ROOT / "docs" / "indicators.md"


def dbt_artifacts(settings: Settings) -> tuple[dict, dict]:
    """dbt's manifest and catalog for the warehouse of a built data home, made on a scratch copy of
    its snapshot (dbt opens the warehouse to write: the home itself is never touched)."""
    from transform.build import run_dbt

    built = settings.snapshot_path if settings.snapshot_path.is_file() else settings.warehouse_path
    if not built.is_file():
        raise FileNotFoundError(f"no built warehouse in {settings.home}: build it first (e.g. ctm run)")
    with tempfile.TemporaryDirectory(prefix="ctm-docs-") as scratch:
        copy = settings.model_copy(update={"home": Path(scratch)})
        shutil.copyfile(built, copy.warehouse_path)
        run_dbt(copy, "parse")  # writes manifest.json (docs generate without compiling writes none)
        run_dbt(copy, "docs", "generate", "--no-compile")
        return tuple(
            json.loads((copy.dbt_target_dir / name).read_text(encoding="utf-8"))
            for name in ("manifest.json", "catalog.json")
        )


def _read_seed(name: str) -> list[dict]:
    with (DBT_DIR / "seeds" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def indicators_page() -> str:
    catalogue = _read_seed("indicator_catalogue.csv")
    published_as = {
        row["source_publication"]: row["published_as"] for row in _read_seed("source_publications.csv")
    }
    lines = [
        "# Indicators",
        "",
        f"<!-- {GENERATED} From dbt_project/seeds/indicator_catalogue.csv (`marts.dim_indicator`). -->",
        "",
        "Each indicator means one thing and is computed one way: per quarter as a numerator over a",
        "denominator, both kept in `marts.mart_prevention_indicators` so anyone can recompute; a calendar",
        "year only when all four quarters are in (no yearly per-10k rates of quarterly counts). Ids never",
        "change meaning. `value` is a fraction for `ratio` (0.45 = 45%), per 100,000 or 10,000 children",
        "for the rates. `is_provisional` marks the latest quarter (the next release may revise it);",
        "`null_reason` says why a value is missing; `value_year_earlier` and `change_on_year_earlier`",
        "compare with the same period a year before. Methodology: [methodology.md](methodology.md).",
        "",
        "| id | name | unit | first comparable period |",
        "|---|---|---|---|",
        *(
            f"| [`{i['indicator_id']}`](#{i['indicator_id']}) | {i['name']} | {i['unit']} | {i['first_comparable_period']} |"
            for i in catalogue
        ),
        "",
    ]
    for i in catalogue:
        lines += [
            f"## {i['indicator_id']}",
            "",
            f"**{i['name']}.** {i['definition']}.".replace("..", "."),
            "",
            f"- Numerator: {i['numerator'] or '-'}",
            f"- Denominator: {i['denominator'] or '- (a count)'}",
            f"- Unit: `{i['unit']}`",
            f"- Source: {published_as[i['source_publication']]}",
            f"- Comparable from: {i['first_comparable_period']}",
            f"- Caveats: {i['caveats'] or 'none recorded'}",
            "",
        ]
    return "\n".join(lines)


def generated_documents(manifest: dict, catalog: dict) -> dict[Path, str]:
    """Each generated document and its text, from dbt's artifacts for a built warehouse."""
    return {DICTIONARY_PATH: data_dictionary(manifest, catalog), INDICATORS_PATH: indicators_page()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a data home whose warehouse is built (default: CTM_HOME)")
    settings = get_settings(parser.parse_args(argv).home)
    for path, text in generated_documents(*dbt_artifacts(settings)).items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
