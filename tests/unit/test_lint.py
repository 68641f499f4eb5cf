"""`make lint` stays clean: ruff's lint rules (with its Airflow rules) and formatting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.settings import REPO_ROOT

RUFF = Path(sys.executable).with_name("ruff")


def test_ruff_lint_and_format_are_clean():
    lint = subprocess.run([str(RUFF), "check", "."], cwd=REPO_ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    formatting = subprocess.run(
        [str(RUFF), "format", "--check", "."], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert formatting.returncode == 0, formatting.stdout
