"""`ctm sql`: query the readers' snapshot of the warehouse, sandboxed and read-only."""

from __future__ import annotations

import argparse
import signal
import sys

from ctm.commands import Command
from pipeline.settings import Settings


def cmd_sql(settings: Settings, query: str | None, as_csv: bool) -> int:
    """Query the readers' snapshot, sandboxed: nothing can be written, read from disk or fetched."""
    from pipeline import warehouse

    if not settings.snapshot_path.exists():
        print(
            f"ctm sql: no warehouse snapshot at {settings.snapshot_path} yet (run `ctm run` first)",
            file=sys.stderr,
        )
        return 2
    with warehouse.connect_reader(settings) as con:
        if query is not None:
            return 0 if _run_queries(con, query, as_csv) else 1
        return _prompt(con, settings, as_csv)


_QUIT = {".quit", ".exit", "quit", "exit", "\\q"}


def _prompt(con, settings: Settings, as_csv: bool) -> int:
    """An interactive prompt with line editing and history; Ctrl-C clears the line, Ctrl-D quits."""
    try:
        import readline
    except ImportError:  # pragma: no cover - not on every platform
        readline = None
    # Ctrl-C clears the line even when ctm was started with SIGINT ignored (a background job)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    history = settings.home / ".ctm_sql_history"
    if readline is not None:
        readline.set_history_length(1000)
        try:
            readline.read_history_file(history)
        except OSError:
            pass
    print(
        f"{settings.snapshot_path} (the readers' snapshot of the last good build; read-only). "
        "End a query with ';'. .quit or Ctrl-D quits; Ctrl-C clears the line."
    )
    buffer = ""
    try:
        while True:
            try:
                line = input("...> " if buffer else "ctm> ")
            except EOFError:
                print()
                return 0
            except KeyboardInterrupt:
                print()
                buffer = ""
                continue
            if not buffer and line.strip().lower() in _QUIT:
                return 0
            buffer += line + "\n"
            if buffer.rstrip().endswith(";"):
                try:
                    _run_queries(con, buffer, as_csv)
                except KeyboardInterrupt:
                    print("(cancelled)")
                buffer = ""
    finally:
        if readline is not None:
            try:
                readline.write_history_file(history)
            except OSError:
                pass


def _run_queries(con, text: str, as_csv: bool) -> bool:
    """Run every statement of `text`, printing each result; stop at the first error."""
    import csv

    import duckdb

    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as exc:
        print(f"ctm sql: {exc}", file=sys.stderr)
        return False
    for statement in statements:
        try:
            relation = con.sql(statement.query)
            if relation is None:
                continue
            if as_csv:
                writer = csv.writer(sys.stdout, lineterminator="\n")
                writer.writerow(relation.columns)
                writer.writerows(relation.fetchall())
            else:
                relation.show(max_rows=1000, max_width=200)
        except duckdb.Error as exc:  # a write, a file, a setting: the snapshot is sandboxed
            sys.stdout.flush()
            print(f"ctm sql: {exc}", file=sys.stderr)
            return False
    return True


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", help="one SQL query; omit for an interactive prompt")
    parser.add_argument("--csv", action="store_true", help="write the result as CSV to standard output")


COMMAND = Command(
    name="sql",
    summary="query the readers' snapshot of the warehouse, sandboxed and read-only (a prompt without QUERY)",
    examples=[
        "ctm sql \"select * from marts.mart_area_profiles where period_label = '2022-23'\"",
        'ctm sql --csv "select * from marts.dim_indicator" > catalogue.csv',
        "ctm sql",
    ],
    exit_codes={
        0: "every query ran",
        1: "a query failed (the message says why)",
        2: "no snapshot yet, or bad usage",
    },
    run=lambda settings, args: cmd_sql(settings, args.query, args.csv),
    add_arguments=_add_arguments,
)
