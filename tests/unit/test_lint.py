"""`make lint` stays clean: ruff's lint rules (with its Airflow rules) and formatting, and the layers
contract of .importlinter (applications > stages > core; an import that points up fails), and
sqlfluff on the dbt SQL (.sqlfluff: the house style)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.settings import REPO_ROOT

RUFF = Path(sys.executable).with_name("ruff")


@pytest.mark.slow
def test_ruff_lint_and_format_are_clean():
    lint = subprocess.run([str(RUFF), "check", "."], cwd=REPO_ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    formatting = subprocess.run(
        [str(RUFF), "format", "--check", "."], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert formatting.returncode == 0, formatting.stdout


@pytest.mark.slow
def test_imports_point_down_the_layers():
    layers = subprocess.run(
        [str(RUFF.with_name("lint-imports"))], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert layers.returncode == 0, layers.stdout + layers.stderr
    assert "1 kept, 0 broken" in layers.stdout


SQL_DIRS = ["dbt_project/models", "dbt_project/tests", "dbt_project/macros"]


@pytest.mark.slow
def test_the_dbt_sql_follows_the_house_style(tmp_path):
    sqlfluff = str(RUFF.with_name("sqlfluff"))
    clean = subprocess.run([sqlfluff, "lint", *SQL_DIRS], cwd=REPO_ROOT, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # and it can fail: upper-case keywords and a leading comma break the house style
    bad = tmp_path / "probe.sql"
    bad.write_text("SELECT indicator_id\n    , area_code\nfrom {{ ref('dim_area') }}\n")
    probe = subprocess.run(
        [sqlfluff, "lint", "--config", str(REPO_ROOT / ".sqlfluff"), str(bad)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0 and "CP01" in probe.stdout and "LT04" in probe.stdout, probe.stdout
