"""Structured logs: every line of the pipeline's own loggers carries the file id and the release id
it is about (or '-'), as logfmt (`key=value`, one event per line) or JSON lines, for a log collector.

    with log_context(file_id="20240101T...-5a0d377ea483", source="nrm"):
        log.info("loaded 1184 rows")   # ts=... level=info logger=extract.ingest file_id=... release_id=- ...

Airflow tasks log this way to their task log (configure_logging in the DAGs' shared module); `ctm`
does when CTM_LOG_FORMAT is `logfmt` or `json` (its default is plain text for a person).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TextIO

FIELDS = ("file_id", "release_id", "source")
# the project's own packages: their loggers get the context and, when configured, the format
PACKAGES = ("ctm", "extract", "expectations", "pipeline", "publish", "transform")
_context: ContextVar[dict[str, str]] = ContextVar("ctm_log_context", default={})  # noqa: B039 (never mutated)


@contextmanager
def log_context(**fields: str | None) -> Iterator[None]:
    """Within the block, every log line carries these fields (nested blocks add to the outer)."""
    token = _context.set({**_context.get(), **{k: v for k, v in fields.items() if v}})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    """Puts the current context on each record (record.file_id, record.release_id, record.source)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get()
        for name in FIELDS:
            setattr(record, name, context.get(name, "-"))
        return True


def _fields(record: logging.LogRecord) -> dict[str, str]:
    return {
        "ts": datetime.fromtimestamp(record.created, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "level": record.levelname.lower(),
        "logger": record.name,
        **{name: str(getattr(record, name, "-")) for name in FIELDS},
        "msg": record.getMessage()
        + (f"\n{logging.Formatter().formatException(record.exc_info)}" if record.exc_info else ""),
    }


class LogfmtFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        def value(text: str) -> str:
            if text and not any(c in text for c in ' "=\\\n'):
                return text
            return json.dumps(text, ensure_ascii=False)  # quoted, newlines and quotes escaped

        return " ".join(f"{key}={value(text)}" for key, text in _fields(record).items())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(_fields(record), ensure_ascii=False)


FORMATTERS = {"logfmt": LogfmtFormatter, "json": JsonFormatter}


def configure_logging(
    log_format: str = "logfmt", stream: TextIO | None = None, level: int = logging.INFO
) -> None:
    """Send the project's loggers to `stream` (standard output) in `log_format`, one event per line,
    each with its context; only once per process (calling again replaces the handler)."""
    if log_format not in FORMATTERS:
        raise ValueError(f"log format {log_format!r}: use one of {', '.join(FORMATTERS)}")
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(FORMATTERS[log_format]())
    handler.addFilter(ContextFilter())
    handler.set_name("ctm-structured")
    for package in PACKAGES:
        logger = logging.getLogger(package)
        for old in [h for h in logger.handlers if h.get_name() == "ctm-structured"]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
