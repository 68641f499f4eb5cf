"""Quarantine: a rejected file, kept with a report a person and a program can both act on."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from pipeline.problems import Problem, markdown_code, markdown_text


def quarantine_file(
    quarantine_dir: Path,
    file_id: str,
    path: Path,
    *,
    sha256: str,
    source: str,
    problems: list[Problem],
    move_entry: bool = False,
) -> Path:
    """Copy the file into quarantine/<file_id>/ beside rejection.json and rejection.md.
    `move_entry`: what landed is not a file (a link, a directory): it is moved there as it is,
    never followed or read."""
    target = quarantine_dir / file_id
    partial = quarantine_dir / f".{file_id}.part"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    if move_entry:
        os.rename(path, partial / path.name)
    else:
        shutil.copyfile(path, partial / path.name)
    report = {
        "file_id": file_id,
        "original_name": path.name,
        "sha256": sha256,
        "source": source,
        "status": "quarantined",
        "problem_count": len(problems),
        "problems": [p.to_dict() for p in problems],
    }
    (partial / "rejection.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (partial / "rejection.md").write_text(_markdown(report, problems), encoding="utf-8")
    partial.replace(target)
    return target


def _markdown(report: dict[str, object], problems: list[Problem]) -> str:
    """The report for the sender. Everything that comes from the file (its name, values, sheet
    names, and the messages that quote them) is escaped: the report cannot be made to say more."""
    lines = [
        f"# Rejected: {markdown_text(report['original_name'])}",
        "",
        f"This {report['source']} file was not loaded: {len(problems)} problem(s) were found. Nothing in it",
        "was loaded; fix every problem below and send the whole file again.",
        "",
        f"- file id: `{report['file_id']}`",
        f"- sha256: `{report['sha256']}`",
        "",
        "| # | where | value found | rule | problem | how to fix |",
        "|---|---|---|---|---|---|",
    ]
    for number, problem in enumerate(problems, start=1):
        value = "" if problem.value is None else markdown_code(problem.value) if problem.value else "(empty)"
        cells = [markdown_text(c) for c in (problem.location(), problem.rule, problem.message, problem.fix)]
        lines.append(f"| {number} | " + " | ".join([cells[0], value, *cells[1:]]) + " |")
    return "\n".join(lines) + "\n"
