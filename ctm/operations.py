"""Operations on a data home beyond the everyday run: rebuild a quarter's release from the archive,
and backfill the NRM vintages of the past.

- `rerun_quarter`: every file the home received that covers no period after the quarter (NRM
  vintages, agency returns, official statistics editions), landed again from the archive in a new
  data home in the order and at the times it first arrived, then built, validated and published
  there. The release is added to this home's published/ (beside the others; `latest` is not moved).
  Every file keeps its arrival time, so its file id and the returns' on-time status are as they were.
- `backfill`: NRM workbooks of past vintages (a folder of them, in any order), landed and run one
  vintage at a time, oldest first, so that each vintage gets its release and its revisions.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ctm.runner import RunOutcome, run_pipeline
from extract.landing import land_file
from pipeline.settings import Settings, get_settings
from pipeline.sources import SOURCE_OF_AUDIT_KIND

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


class NothingToRerun(ValueError):
    """The quarter is not one, or the archive holds nothing that covers it."""


@dataclass(frozen=True)
class ArchivedFile:
    landing: str  # the landing source it came in by
    original_name: str
    archive_path: Path
    received_at: datetime
    last_quarter: str  # the newest quarter its figures cover, e.g. 2023-Q4


def last_quarter_covered(source: str, release_id: str) -> str | None:
    """The newest quarter a loaded file covers, from its release id in the file log: an NRM vintage
    ('nrm-2023-q4'), the quarters of a return ('2024-Q2, 2024-Q3'), or a statistics edition named
    after its newest period ('children_in_need-2024-25', a financial year ending in March 2025;
    'police_recorded_crime-2023-Q2')."""
    quarters = re.findall(r"(\d{4})-[qQ]([1-4])", release_id)
    if quarters:
        return max(f"{year}-Q{quarter}" for year, quarter in quarters)
    financial = re.search(r"(\d{4})-(\d{2})$", release_id)
    if financial:
        return f"{int(financial.group(1)) + 1}-Q1"  # April to March: it ends in the first quarter
    return None


def _landing_source(audit_source: str) -> str:
    return SOURCE_OF_AUDIT_KIND[audit_source]


def archived_inputs(settings: Settings, quarter: str) -> list[ArchivedFile]:
    """The files received that were loaded (or later superseded) and cover no period after
    `quarter`, in the order they arrived."""
    from pipeline import warehouse

    if not QUARTER.match(quarter):
        raise NothingToRerun(f"{quarter!r} is not a quarter: write it as 2023-Q4")
    with warehouse.connect(settings.warehouse_path, read_only=True) as con:
        rows = con.execute(
            "select source, original_name, archive_path, received_at, release_id from audit.file_log "
            "where status in ('loaded', 'superseded') and release_id is not null order by received_at, file_id"
        ).fetchall()
    files = []
    for source, name, archive_path, received_at, release_id in rows:
        last = last_quarter_covered(source, release_id)
        if last is not None and last <= quarter:
            files.append(ArchivedFile(_landing_source(source), name, Path(archive_path), received_at, last))
    if not any(f.landing == "nrm" for f in files):
        raise NothingToRerun(f"the archive holds no NRM release covering {quarter} or earlier")
    return files


def rerun_quarter(
    settings: Settings, quarter: str, progress: Callable[[str], None] = lambda step: None
) -> RunOutcome:
    """Rebuild and republish the release of `quarter` from the archived inputs (see the module)."""
    files = archived_inputs(settings, quarter)
    rerun_home = settings.home / "reruns" / quarter
    shutil.rmtree(rerun_home, ignore_errors=True)
    rerun = get_settings(rerun_home)
    progress(f"landing {len(files)} archived files of {quarter} and earlier in {rerun_home}")
    with tempfile.TemporaryDirectory(prefix="ctm-rerun-") as staging:
        for archived in files:
            named = Path(staging) / archived.original_name  # landed under the name it came with
            shutil.copyfile(archived.archive_path, named)
            land_file(rerun, archived.landing, named, ring=False, arrived_at=archived.received_at)
            named.unlink()
    outcome = run_pipeline(rerun, progress=progress)
    if outcome.release is not None:
        _adopt_release(settings, outcome.release.path)
        outcome.messages.append(
            f"the release of {quarter} is {settings.published_dir / outcome.release.release_id}"
        )
    return outcome


def _adopt_release(settings: Settings, release: Path) -> None:
    """Put a release built elsewhere into this home's published/, whole or not at all, and list it."""
    from publish.feed import record_release

    target = settings.published_dir / release.name
    if not target.exists():  # release ids are content hashes: one already there is the same release
        settings.published_dir.mkdir(parents=True, exist_ok=True)
        partial = settings.published_dir / f".adopting-{release.name}"
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(release, partial)
        partial.replace(target)
    record_release(settings.published_dir, release.name)


def backfill(
    settings: Settings, folder: Path, progress: Callable[[str], None] = lambda step: None
) -> list[tuple[str, RunOutcome]]:
    """Land every NRM workbook in `folder`, oldest vintage first, running the pipeline after each."""
    from extract.sources.nrm.parse import release_id_of

    workbooks = [p for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")]
    vintages = {path: release_id_of(path) for path in workbooks}
    unreadable = sorted(p.name for p, vintage in vintages.items() if vintage is None)
    if unreadable:
        raise NothingToRerun(
            f"no NRM release period on the cover of: {', '.join(unreadable)}; nothing was landed"
        )
    if not workbooks:
        raise NothingToRerun(f"no workbook in {folder}; nothing was landed")
    outcomes = []
    for path in sorted(workbooks, key=lambda p: vintages[p]):
        progress(f"{vintages[path]}: landing {path.name}")
        land_file(settings, "nrm", path, ring=False)
        outcomes.append((vintages[path], run_pipeline(settings, progress=progress)))
        if outcomes[-1][1].held is not None:
            break  # the gate held this vintage: the later ones wait for it to be dealt with
    return outcomes
