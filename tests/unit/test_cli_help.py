"""`ctm` explains itself: every command's help has examples and exit codes, and `ctm status` prints
every reason in full, wrapped to the terminal, with the columns aligned."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from ctm.cli import HELP, build_parser
from ctm.commands.status import _print_file_log
from pipeline import audit
from pipeline.audit import FileRecord


@pytest.mark.parametrize("command", sorted(HELP))
def test_every_command_has_help_with_examples_and_exit_codes(command, capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    _, examples, exit_codes = HELP[command]
    assert "examples:" in text and all(example in text for example in examples)
    assert "exit codes:" in text and all(f"  {code}  " in text for code in exit_codes)
    assert examples and all(e.startswith(("ctm ", "CTM_HOME=")) for e in examples)


def test_status_prints_every_reason_in_full_wrapped_and_aligned(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    con = duckdb.connect()
    audit.ensure_file_log(con)
    reason = "row 4, column A ('agency_code'): " + "a long explanation of what is wrong " * 8 + "THE END"
    for n, (source, status, why) in enumerate(
        [
            ("nrm", "loaded", None),
            ("children_in_need", "quarantined", reason),
            ("la_return", "duplicate", "same"),
        ]
    ):
        audit.record_file(
            con,
            FileRecord(
                f"f{n}",
                f"{n}" * 64,
                source,
                f"file-{n}.csv",
                datetime(2026, 1, 1, 0, n),
                status,
                why,
                None,
                "x",
            ),
        )
    _print_file_log(con)
    lines = capsys.readouterr().out.splitlines()
    files = [line for line in lines if line.startswith("  2026")]
    assert len(files) == 3
    # the status column starts at the same place on every line
    assert (
        len(
            {
                line.index(status)
                for line, status in zip(files, ("loaded", "quarantined", "duplicate"), strict=True)
            }
        )
        == 1
    )
    wrapped = [line for line in lines if line.startswith("      ")]
    assert " ".join(part.strip() for part in wrapped[:-1]).endswith("THE END")  # nothing cut
    assert all(len(line) <= 80 for line in wrapped)
