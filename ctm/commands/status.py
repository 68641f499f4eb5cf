"""`ctm status`: files received and their fate; the latest release."""

from __future__ import annotations

import shutil
import textwrap

from ctm.commands import Command
from pipeline.settings import LANDING_SOURCES, Settings


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


COMMAND = Command(
    name="status",
    summary="files received and their fate; the latest release",
    examples=["ctm status", "ctm status --home var/demo"],
    exit_codes={0: "always, unless the configuration is bad (2)"},
    run=lambda settings, args: cmd_status(settings),
)
