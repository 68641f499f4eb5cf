"""Readers never block the pipeline, and `ctm sql` is a real sandbox.

Each probe is what an outsider tried against the warehouse: every one must fail with a message,
write nothing and read nothing outside the snapshot.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

import duckdb
import pytest

from extract.landing import land_file
from pipeline.settings import get_settings
from tests.conftest import SAMPLE_RETURNS, SAMPLE_WORKBOOK, catalogue_indicator_ids, copy_home
from tests.fixtures.cli import ctm


@pytest.fixture
def reader_home(published_release, tmp_path) -> Path:
    """A copy of a released data home (warehouse, snapshot, release) a test may attack."""
    return copy_home(published_release.path.parents[1], tmp_path / "home").home


def _probes(home: Path) -> list[tuple[str, str, Path | None]]:
    published = next((home / "published").glob("20*")) / "indicators.csv"
    return [
        (
            f"COPY (select '=HYPERLINK(\"x\")' as a) TO '{published}'",
            "file system operations are disabled",
            published,
        ),
        (
            f"COPY (select 1) TO '{home}/landing/returns/x.csv'",
            "file system operations are disabled",
            home / "landing/returns/x.csv",
        ),
        (f"EXPORT DATABASE '{home}/exported'", "file system operations are disabled", home / "exported"),
        (
            f"ATTACH '{home}/warehouse.duckdb' AS w (READ_ONLY false)",
            "file system operations are disabled",
            None,
        ),
        ("select * from read_csv('/etc/passwd')", "file system operations are disabled", None),
        ("select * from read_text('/etc/shadow')", "file system operations are disabled", None),
        (
            f"SET log_query_path = '{home}/queries.log'",
            "the configuration has been locked",
            home / "queries.log",
        ),
        ("SET enable_external_access = true", "the configuration has been locked", None),
        ("INSTALL httpfs", "Permission Error", None),
        ("LOAD httpfs", "Loading external extensions is disabled", None),
        ("delete from marts.dim_indicator", "read-only", None),
    ]


def test_every_attempt_to_write_or_reach_outside_the_snapshot_fails_and_leaves_no_trace(reader_home):
    published = next((reader_home / "published").glob("20*")) / "indicators.csv"
    before = published.read_bytes()
    for query, message, trace in _probes(reader_home):
        result = ctm(reader_home, "sql", query)
        assert result.returncode == 1, (query, result.stdout)
        assert message in result.stderr, (query, result.stderr)
        if trace is not None and trace != published:
            assert not trace.exists(), query
    assert published.read_bytes() == before
    count = ctm(reader_home, "sql", "--csv", "select count(*) as n from marts.dim_indicator")
    assert count.stdout.splitlines() == ["n", str(len(catalogue_indicator_ids()))]


def test_several_statements_print_every_result(reader_home):
    result = ctm(reader_home, "sql", "--csv", "select 1 as a; select 2 as b;")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["a", "1", "b", "2"]
    failing = ctm(reader_home, "sql", "--csv", "select 1 as a; select * from nowhere; select 3 as c;")
    assert failing.returncode == 1 and "nowhere" in failing.stderr
    assert failing.stdout.splitlines() == ["a", "1"]  # stops at the first error, says which


def test_the_prompt_quits_on_dot_quit_and_ctrl_c_clears_the_line(reader_home):
    prompt = subprocess.run(
        [sys.executable, "-m", "ctm.cli", "sql", "--csv", "--home", str(reader_home)],
        input="select 41 +\n1 as answer;\n.quit\nselect 'never' as x;\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert prompt.returncode == 0, prompt.stderr
    assert "answer\n42" in prompt.stdout and "never" not in prompt.stdout
    assert "Traceback" not in prompt.stderr


def test_ctrl_c_at_the_prompt_clears_the_line_on_a_real_terminal(reader_home):
    """Through a pseudo-terminal, as a person types: Ctrl-C is the terminal's SIGINT, not text."""
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "ctm.cli", "sql", "--csv", "--home", str(reader_home)],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        start_new_session=True,
        # the pseudo-terminal becomes its controlling terminal, so Ctrl-C raises SIGINT in it
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )
    os.close(secondary)
    shown = [b""]  # what the terminal showed, one entry per wait

    def read_until(text: bytes, seconds: float = 60) -> None:
        """Read until the terminal shows `text` again, after what the last wait saw."""
        seen = b""
        deadline = time.monotonic() + seconds
        while text not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(primary, 4096)
                except OSError:
                    break
        shown.append(seen)
        assert text in seen, b"".join(shown).decode(errors="replace")

    try:
        read_until(b"ctm> ")
        os.write(primary, b"select 1 +\n")
        read_until(b"...> ")
        # as a person would, a moment after the prompt: readline prints it before it waits for a key,
        # and a SIGINT in between is only noticed at the next key (CPython's readline), which a
        # loaded machine once turned into a 60-second wait here
        time.sleep(0.5)
        os.write(primary, b"\x03")  # Ctrl-C: the half-typed query is dropped
        read_until(b"ctm> ")  # a fresh prompt
        os.write(primary, b"select 6 + 1 as seven;\n")
        read_until(b"seven\r\n7")
        os.write(primary, b".quit\n")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(primary)
    output = b"".join(shown)
    assert b"Traceback" not in output and b"Error" not in output


def test_a_reader_held_open_across_a_whole_run_does_not_block_it(reader_home):
    """An analyst leaves a DuckDB client open on the snapshot while a return lands and is published."""
    settings = get_settings(reader_home)
    reader = duckdb.connect(str(settings.snapshot_path), read_only=True)
    before = reader.execute("select count(*) from audit.file_log").fetchone()[0]
    latest = (reader_home / "published" / "latest").resolve()
    corrected = SAMPLE_RETURNS[0].with_name("synthetic-E08000025-2024-Q3-corrected.csv")
    again = reader_home / "synthetic-E08000025-2024-Q3-corrected-again.csv"
    again.write_text(
        corrected.read_text().replace(
            "children_assessed_trafficking_concern;3", "children_assessed_trafficking_concern;4"
        )
    )
    land_file(settings, "returns", again)  # a second correction: new content, so a new build
    try:
        run = ctm(reader_home, "run")
        assert run.returncode == 0, run.stdout + run.stderr
        # the open reader still sees its snapshot, whole; a new reader sees the new build
        assert reader.execute("select count(*) from audit.file_log").fetchone()[0] == before
    finally:
        reader.close()
    after = ctm(reader_home, "sql", "--csv", "select count(*) as n from audit.file_log")
    assert after.stdout.splitlines()[1] == str(before + 1)
    assert (reader_home / "published" / "latest").resolve() != latest  # and it was published


def test_a_reader_on_the_warehouse_file_itself_is_named_when_it_blocks(reader_home):
    """Who holds the lock is named, not a raw IOException traceback."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], read_only=True); print('ready', flush=True); time.sleep(60)",
            str(reader_home / "warehouse.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        land_file(get_settings(reader_home), "nrm", SAMPLE_WORKBOOK)
        run = ctm(reader_home, "run")
        assert run.returncode != 0
        assert f"(PID {holder.pid})" in run.stderr + run.stdout
        assert "Traceback" not in run.stderr
    finally:
        holder.kill()
        holder.wait()


def test_a_second_ctm_run_on_the_same_home_is_told_who_is_running(reader_home):
    from ctm.runner import run_lock

    with run_lock(get_settings(reader_home)):  # this test is the run in progress
        second = ctm(reader_home, "run")
    assert second.returncode == 1
    assert f"another `ctm run` (PID {os.getpid()}) is working on" in second.stderr
    assert "Traceback" not in second.stderr
    assert ctm(reader_home, "run").returncode == 0  # the lock goes with the run
