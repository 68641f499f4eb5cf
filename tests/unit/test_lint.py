"""`make lint` stays clean: ruff's lint rules (with its Airflow rules) and formatting, and the layers
contract of .importlinter (applications > stages > core; an import that points up fails)."""

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


def test_imports_point_down_the_layers():
    layers = subprocess.run(
        [str(RUFF.with_name("lint-imports"))], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert layers.returncode == 0, layers.stdout + layers.stderr
    assert "1 kept, 0 broken" in layers.stdout
