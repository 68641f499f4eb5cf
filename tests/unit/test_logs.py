"""Structured logs: every line carries the file id and release id it is about, one event per line,
and nothing a sender controls (a file name) can break a line or forge another."""

from __future__ import annotations

import io
import json
import logging

import pytest

from extract.ingest import ingest_returns
from extract.landing import land_file
from pipeline import warehouse
from pipeline.logs import configure_logging, log_context
from tests.conftest import SAMPLE_RETURNS


@pytest.fixture
def captured():
    stream = io.StringIO()
    yield stream
    for package in ("ctm", "extract", "expectations", "pipeline", "publish", "transform"):
        logger = logging.getLogger(package)
        logger.handlers.clear()
        logger.propagate = True


def test_every_line_carries_the_context_it_was_logged_in(captured):
    configure_logging("logfmt", stream=captured)
    log = logging.getLogger("publish.example")
    log.info("outside")
    with log_context(file_id="F1", source="nrm"):
        with log_context(release_id="2023-q4-abc"):
            log.warning('a "quoted" name\nwith a forged line=1')
    first, second = captured.getvalue().splitlines()
    assert "file_id=- release_id=- source=-" in first and first.endswith("msg=outside")
    assert "level=warning logger=publish.example file_id=F1 release_id=2023-q4-abc source=nrm" in second
    assert second.endswith('msg="a \\"quoted\\" name\\nwith a forged line=1"')  # one line, quoted


def test_json_lines_parse_and_hold_the_fields(captured):
    configure_logging("json", stream=captured)
    with log_context(release_id="2023-q4-abc"):
        logging.getLogger("pipeline.example").info("published")
    event = json.loads(captured.getvalue())
    assert event["release_id"] == "2023-q4-abc" and event["file_id"] == "-" and event["msg"] == "published"
    with pytest.raises(ValueError, match="log format 'xml'"):
        configure_logging("xml")


def test_ingest_logs_each_file_with_the_id_the_audit_log_gives_it(home, captured):
    configure_logging("logfmt", stream=captured)
    land_file(home, "returns", SAMPLE_RETURNS[0], ring=False)
    ingest_returns(home)
    with warehouse.connect(home.warehouse_path, read_only=True) as con:
        (file_id,) = con.execute("select file_id from audit.file_log").fetchone()
    lines = [line for line in captured.getvalue().splitlines() if "logger=extract.ingest" in line]
    assert any(
        f"file_id={file_id} release_id=- source=returns" in line and "loaded" in line for line in lines
    ), lines
