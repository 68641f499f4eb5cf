"""`ctm`: the pipeline from the command line. Every command takes --home (or CTM_HOME).

Exit codes: 0 done (or nothing new), 1 the quality gate held the release or a stage failed
(`inspect`: the workbook would be quarantined), 2 bad usage or configuration.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import signal
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from pipeline.settings import LANDING_SOURCES, ConfigurationError, Settings, get_settings


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        type=Path,
        default=argparse.SUPPRESS,
        help="data home (landing, archive, warehouse, published); default $CTM_HOME or var/",
    )
    return common


# Every command: what it does, examples, and its exit codes, shown by `ctm COMMAND --help`.
HELP = {
    "run": (
        "process the landing zone, build, validate, publish",
        ["ctm run", "CTM_HOME=/srv/ctm ctm run"],
        {
            0: "published a release, or there was nothing new",
            1: "the quality gate held the release (its report is printed), the build failed, or another "
            "run or process holds the warehouse",
            2: "bad usage or configuration",
        },
    ),
    "submit": (
        "land a file as an upload would (copy, then marker)",
        [
            "ctm submit return-2024-Q3.csv",
            "ctm submit --source nrm national-referral-mechanism-statistics-uk-quarter-4-2023.ods",
            "ctm submit --source children_in_need c3_factors_identified_at_end_of_assessment.csv",
        ],
        {
            0: "landed (the pipeline ingests it)",
            2: "no such file, one of that name already waiting, or bad usage",
        },
    ),
    "fetch-nrm": (
        "look for a new NRM release on GOV.UK and land it",
        ["ctm fetch-nrm", "ctm fetch-nrm --base-url http://127.0.0.1:8000"],
        {
            0: "landed a new release, or nothing new",
            1: "GOV.UK could not be read (nothing landed)",
            2: "bad usage",
        },
    ),
    "status": (
        "files received and their fate; the latest release",
        ["ctm status", "ctm status --home var/demo"],
        {0: "always, unless the configuration is bad (2)"},
    ),
    "sql": (
        "query the readers' snapshot of the warehouse, sandboxed and read-only (a prompt without QUERY)",
        [
            "ctm sql \"select * from marts.mart_area_profiles where period_label = '2022-23'\"",
            'ctm sql --csv "select * from marts.dim_indicator" > catalogue.csv',
            "ctm sql",
        ],
        {
            0: "every query ran",
            1: "a query failed (the message says why)",
            2: "no snapshot yet, or bad usage",
        },
    ),
    "rerun": (
        "rebuild and republish a quarter's release from the archived inputs (latest is not moved)",
        ["ctm rerun --quarter 2023-Q4", "ctm rerun --quarter 2023-Q4 --home /srv/ctm"],
        {
            0: "the quarter's release is in published/ (rebuilt, or already there)",
            1: "the quality gate held it, or the build failed",
            2: "not a quarter, nothing archived for it, or bad usage",
        },
    ),
    "backfill": (
        "land the NRM workbooks of past vintages, oldest first, and publish each in turn",
        ["ctm backfill archive/nrm-vintages/"],
        {
            0: "every vintage was published (or had nothing new)",
            1: "the quality gate held a vintage (the later ones were not landed), or a build failed",
            2: "no folder, a file with no NRM release period on its cover, or bad usage",
        },
    ),
    "inspect": (
        "dry run of an NRM workbook: where each table is, how it is read, would it load (writes nothing)",
        ["ctm inspect national-referral-mechanism-statistics-uk-quarter-4-2023.ods"],
        {
            0: "the workbook would load",
            1: "it would be quarantined (the reasons are printed)",
            2: "no such file",
        },
    ),
}


def _epilog(examples: list[str], exit_codes: dict[int, str]) -> str:
    lines = ["examples:", *(f"  {example}" for example in examples), "", "exit codes:"]
    lines += [f"  {code}  {meaning}" for code, meaning in exit_codes.items()]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="ctm",
        description=__doc__.splitlines()[0],
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="`ctm COMMAND --help` shows each command's examples and exit codes. Exit codes: 0 done, "
        "1 a known failure (said in one line), 2 bad usage or configuration.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str) -> argparse.ArgumentParser:
        summary, examples, exit_codes = HELP[name]
        return commands.add_parser(
            name,
            parents=[common],
            help=summary,
            description=summary[:1].upper() + summary[1:] + ".",
            epilog=_epilog(examples, exit_codes),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    command("run")
    submit = command("submit")
    submit.add_argument("file", type=Path)
    submit.add_argument(
        "--source",
        choices=list(LANDING_SOURCES),
        default="returns",
        help="landing area: an agency return (default), an NRM release workbook, a Children in Need "
        "table (children_in_need) or a police recorded crime table (police_recorded_crime)",
    )
    fetch = command("fetch-nrm")
    fetch.add_argument(
        "--base-url", default=None, help="GOV.UK base URL (default $CTM_GOVUK_BASE_URL or www.gov.uk)"
    )
    command("status")
    sql = command("sql")
    sql.add_argument("query", nargs="?", help="one SQL query; omit for an interactive prompt")
    sql.add_argument("--csv", action="store_true", help="write the result as CSV to standard output")
    rerun = command("rerun")
    rerun.add_argument("--quarter", required=True, help="the release's newest quarter, e.g. 2023-Q4")
    backfill = command("backfill")
    backfill.add_argument("folder", type=Path, help="a folder of NRM release workbooks, any order")
    inspect = command("inspect")
    inspect.add_argument("file", type=Path)
    return parser


def _progress(command: str):
    """Each step as it starts, with the seconds since the command began, on standard error (so
    standard output stays the result); plain text, readable in a narrow terminal or a log collector."""
    import time

    started = time.monotonic()

    def say(step: str) -> None:
        print(f"{command} [{time.monotonic() - started:5.1f}s] {step}...", file=sys.stderr, flush=True)

    return say


def cmd_run(settings: Settings) -> int:
    from ctm.runner import run_pipeline

    def run(progress):
        outcome = run_pipeline(settings, progress=progress)
        if outcome.held is not None and outcome.held.result.results_dir:
            results = outcome.held.result.results_dir
            print(f"quality report: {results / 'HELD.md'}", file=sys.stderr)
            print(f"Data Docs of every suite: {results / 'data_docs' / 'index.html'}", file=sys.stderr)
        return outcome.messages, outcome.exit_code

    return _operation(settings, "run", run)


def _operation(settings: Settings, command: str, action) -> int:
    """`run`, `rerun` and `backfill`: under the run lock, each known failure one line and its exit
    code. `action(progress)` returns the lines to print and the exit code."""
    import duckdb

    from ctm.operations import NothingToRerun
    from ctm.runner import RunInProgress, run_lock
    from pipeline.warehouse import WarehouseLocked, describe_lock
    from transform.build import TransformFailed

    try:
        with run_lock(settings):
            lines, code = action(_progress(f"ctm {command}"))
    except NothingToRerun as exc:
        print(f"ctm {command}: {exc}", file=sys.stderr)
        return 2
    except (RunInProgress, WarehouseLocked) as exc:
        print(f"ctm {command}: {exc}; nothing was done", file=sys.stderr)
        return 1
    except TransformFailed as exc:
        print(f"ctm {command}: the warehouse build failed, nothing was published:\n{exc}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        message = describe_lock(exc, settings.warehouse_path)
        if message is None:
            raise
        print(f"ctm {command}: {message}; the next run finishes what this one could not", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return code


def cmd_rerun(settings: Settings, quarter: str) -> int:
    from ctm.operations import rerun_quarter

    def rerun(progress):
        outcome = rerun_quarter(settings, quarter, progress=progress)
        return outcome.messages, outcome.exit_code

    return _operation(settings, "rerun", rerun)


def cmd_backfill(settings: Settings, folder: Path) -> int:
    from ctm.operations import backfill

    if not folder.is_dir():
        print(f"ctm backfill: no such folder: {folder}", file=sys.stderr)
        return 2

    def run(progress):
        outcomes = backfill(settings, folder, progress=progress)
        lines = [
            f"{vintage}: {message}" for vintage, outcome in outcomes for message in outcome.messages[-1:]
        ]
        return lines, max((outcome.exit_code for _, outcome in outcomes), default=0)

    return _operation(settings, "backfill", run)


def cmd_submit(settings: Settings, file: Path, source: str) -> int:
    from extract.landing import land_file

    try:
        landed = land_file(settings, source, file)  # type: ignore[arg-type]
    except (FileNotFoundError, FileExistsError) as exc:
        print(f"ctm submit: {exc}", file=sys.stderr)
        return 2
    print(f"landed {landed}; it will be ingested by the pipeline (or run `ctm run`)")
    return 0


def cmd_fetch_nrm(settings: Settings, base_url: str | None) -> int:
    from extract.sources.nrm.fetch import FetchError, fetch_latest_release

    try:
        result = fetch_latest_release(settings, base_url)
    except FetchError as exc:
        print(f"ctm fetch-nrm: {exc}; nothing was landed", file=sys.stderr)
        return 1
    if result.is_new:
        print(f"landed {result.landed} from {result.publication_title!r}; the pipeline will ingest it")
    else:
        print(
            f"nothing new: the workbook of {result.publication_title!r} was received before (sha256 {result.sha256[:12]})"
        )
    return 0


def _print_file_log(con) -> None:
    from pipeline import warehouse
    from pipeline.problems import visible

    if not warehouse.table_exists(con, "audit", "file_log"):
        return
    rows = con.execute(
        "select received_at, source, original_name, status, coalesce(release_id, ''), "
        "coalesce(reason, '') from audit.file_log order by received_at"
    ).fetchall()
    print(f"files received: {len(rows)}")
    source_width = max((len(row[1]) for row in rows), default=0)
    release_width = max((len(row[4]) for row in rows), default=0)
    width = shutil.get_terminal_size((100, 24)).columns
    for received_at, source, name, status, release_id, reason in rows:
        # a sender's file name or reason cannot forge a line: control characters are shown as escapes
        line = (
            f"  {received_at:%Y-%m-%d %H:%M:%S}  {source:<{source_width}}  {status:<11} "
            f"{release_id:<{release_width}}  {visible(name)}"
        )
        print(line.rstrip())
        if reason:  # in full, wrapped to the terminal, under the file it is about
            for part in textwrap.wrap(visible(reason), width=max(40, width - 6)):
                print(f"      {part}")


def cmd_status(settings: Settings) -> int:
    import duckdb

    from extract.landing import waiting_files
    from pipeline import warehouse
    from publish.release import latest_release

    print(f"data home: {settings.home}")
    for source in LANDING_SOURCES:
        waiting = waiting_files(settings, source)
        if waiting:
            print(f"waiting in landing/{source}: {', '.join(p.name for p in waiting)}")
    if settings.warehouse_path.exists():
        try:
            with warehouse.connect(settings.warehouse_path, read_only=True) as con:
                _print_file_log(con)
        except duckdb.Error as exc:
            if (
                warehouse.describe_lock(exc, settings.warehouse_path) is None
                or not settings.snapshot_path.exists()
            ):
                raise
            print("(the pipeline is writing the warehouse: files as of the last build's snapshot)")
            with warehouse.connect_reader(settings) as con:
                _print_file_log(con)
    else:
        print("files received: 0 (no warehouse yet)")
    latest = latest_release(settings)
    print(f"latest release: {latest.name} ({latest})" if latest else "latest release: none yet")
    return 0


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


def cmd_inspect(file: Path) -> int:
    """Exit 0: the workbook would load; 1: it would be quarantined; 2: no such file."""
    from extract.sources.nrm.inspect import format_inspection, inspect_workbook

    if not file.is_file():
        print(f"ctm inspect: {file}: no such file", file=sys.stderr)
        return 2
    import great_expectations.data_context.types.base as gx_base

    gx_base.logger.setLevel(logging.WARNING)  # GX sets INFO on it; its temp-dir notices are noise here
    inspection = inspect_workbook(file)
    print(format_inspection(inspection))
    return 0 if inspection.would_load else 1


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings(getattr(args, "home", None))
    except ConfigurationError as error:
        print(f"ctm: bad configuration: {error}", file=sys.stderr)
        return 2
    if settings.log_format != "text":
        from pipeline.logs import configure_logging

        configure_logging(settings.log_format, stream=sys.stderr)
    if args.command == "run":
        return cmd_run(settings)
    if args.command == "submit":
        return cmd_submit(settings, args.file, args.source)
    if args.command == "status":
        return cmd_status(settings)
    if args.command == "fetch-nrm":
        return cmd_fetch_nrm(settings, args.base_url)
    if args.command == "sql":
        return cmd_sql(settings, args.query, args.csv)
    if args.command == "inspect":
        return cmd_inspect(args.file)
    if args.command == "rerun":
        return cmd_rerun(settings, args.quarter)
    if args.command == "backfill":
        return cmd_backfill(settings, args.folder)
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
