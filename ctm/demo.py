"""`make demo`: the event-driven chain under the real Airflow, on the shipped sample workbook.

Starts the embedded Airflow, lands the sample releases the way real workbooks arrive (copy, then marker),
waits until the chain ingest_nrm -> transform_warehouse -> publish_release has published a
release, prints what was published and where the marts are, and stops every process it started.
The demo uses its own data home (var/demo by default) and starts it afresh each time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from ctm.commands.status import cmd_status
from ctm.embedded_airflow import EmbeddedAirflow, port_argument, prepare_to_run
from extract.landing import land_file, ring_marker
from pipeline.settings import LANDING_SOURCES, REPO_ROOT, Settings, Source, get_settings
from pipeline.sources import SOURCES, SOURCES_BY_NAME, sources_read_by
from publish.release import latest_release

SAMPLE_DIR = REPO_ROOT / "data" / "samples" / "nrm"
SAMPLE_WORKBOOK = SAMPLE_DIR / "nrm-2023-q4-tables.ods"  # the newest release, with every table
# Every source's sample files, in the order they arrive (the registry of sources names them).
SAMPLES: dict[str, list[Path]] = {source.name: source.sample_files(REPO_ROOT) for source in SOURCES}
SAMPLE_RELEASES = SAMPLES["nrm"]  # 2022 Q2 to 2023 Q4, oldest first
SAMPLE_RETURNS = SAMPLES["returns"]  # synthetic: originals, a correction, then two broken files
# Real official statistics tables, as published (their SOURCES.md says where from).
SAMPLE_TABLES = {source.name: SAMPLES[source.name][0] for source in sources_read_by("statistics")}


def chain_stage(settings: Settings) -> str:
    """Where the chain is, as the data home shows it (no call to Airflow)."""
    from extract.landing import waiting_files
    from pipeline import audit

    waiting = sum(len(waiting_files(settings, source)) for source in LANDING_SOURCES)
    if waiting:
        return f"{waiting} file(s) waiting to be ingested"
    if audit.pending_sources(settings):
        return "files ingested; the dbt build is next"
    return "warehouse built; the quality gate and publishing"


def wait_for_release(
    settings: Settings,
    *,
    timeout: float,
    previous: Path | None = None,
    sources: tuple[str, ...] = ("nrm",),
    progress=None,
    poll_seconds: float = 1.0,
) -> Path:
    """The first new release that carries the indicators of every source in `sources`. `progress`
    (e.g. print) hears every ten seconds where the chain is."""
    started = time.monotonic()
    deadline, next_word = started + timeout, started + 10
    while time.monotonic() < deadline:
        latest = latest_release(settings)
        if latest is not None and latest != previous and _carries(latest, sources):
            return latest
        if progress is not None and time.monotonic() >= next_word:
            progress(f"  [{time.monotonic() - started:4.0f}s] {chain_stage(settings)}...")
            next_word += 10
        time.sleep(poll_seconds)
    raise TimeoutError(
        f"no release appeared in {settings.published_dir} within {timeout:.0f}s; see the Airflow logs "
        f"in {settings.airflow_home}/logs and {settings.airflow_home}/component-logs"
    )


def _carries(release: Path, sources: tuple[str, ...]) -> bool:
    indicators = (release / "indicators.csv").read_text(encoding="utf-8")
    # a release has all of a source once it carries the indicator the source always yields
    return all(f"{SOURCES_BY_NAME[source].indicator}," in indicators for source in sources)


def land_and_wait(
    airflow: EmbeddedAirflow,
    landed: Mapping[Source, Sequence[Path]],
    timeout: float = 600,
    progress=None,
    poll_seconds: float = 1.0,
) -> tuple[Path, float]:
    """Land the files of each source under a running Airflow, then ring each landing zone's marker
    once (one ingest takes them all); return the release that carries them and the seconds from
    landing to release."""
    previous = latest_release(airflow.settings)
    started = time.monotonic()
    for source, files in landed.items():
        for file in files:
            land_file(airflow.settings, source, file, ring=False)
    sources = tuple(source for source, files in landed.items() if files)
    for source in sources:
        ring_marker(airflow.settings, source)
    release = wait_for_release(
        airflow.settings,
        timeout=timeout,
        previous=previous,
        sources=sources,
        progress=progress,
        poll_seconds=poll_seconds,
    )
    return release, time.monotonic() - started


def print_release(settings: Settings, release: Path) -> None:
    print(f"\nPublished release {release.name}:")
    files = sorted(p for p in release.rglob("*") if p.is_file())
    # the GX results and Data Docs of every suite: one line for all of them, their index named
    per_suite = [p for p in files if p.parent.name in ("validations", "data_docs") and p.name != "index.html"]
    for path in (p for p in files if p not in per_suite):
        print(f"  {path.relative_to(settings.home)}  ({path.stat().st_size:,} bytes)")
    print(
        f"  ... and {len(per_suite)} GX results and Data Docs pages under {(release / 'quality').relative_to(settings.home)}/"
    )
    print(f"\nMarts: {settings.snapshot_path} (the readers' snapshot; schema marts), e.g.")
    ctm = Path(sys.executable).with_name("ctm")
    print(
        f"  {ctm} sql --home {settings.home} \"select * from marts.mart_prevention_indicators where period_type = 'year'\""
    )
    print(f"Files received and their fate: {ctm} status --home {settings.home}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=REPO_ROOT / "var" / "demo")
    port_argument(parser)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)
    if not prepare_to_run(args.port, "make demo"):
        return 2
    settings = get_settings(args.home)
    shutil.rmtree(settings.home, ignore_errors=True)  # the demo always starts from nothing
    print(f"Demo data home: {settings.home} (reset on every demo run)")
    print("Starting Airflow (api-server, scheduler, dag-processor, triggerer)...")
    with EmbeddedAirflow(settings, port=args.port) as airflow:
        print(
            f"Airflow is up at {airflow.url}; landing the {len(SAMPLE_RELEASES)} sample NRM releases "
            f"({SAMPLE_RELEASES[0].name} to {SAMPLE_RELEASES[-1].name}) in {settings.landing_dir_for('nrm')} "
            f", {len(SAMPLE_RETURNS)} synthetic agency return files in {settings.landing_dir_for('returns')}, "
            "and the real Children in Need and police recorded crime tables"
        )
        release, seconds = land_and_wait(
            airflow,
            SAMPLES,
            timeout=args.timeout,
            progress=lambda line: print(line, flush=True),
        )
        print(
            f"The chain {' + '.join(source.dag_id for source in SOURCES)} -> transform_warehouse -> "
            f"publish_release took {seconds:.0f}s."
        )
        print("Stopping Airflow...")
    print()
    cmd_status(settings)
    print(f"Rejection reports (for the agency): {settings.quarantine_dir}/<file_id>/rejection.md")
    print_release(settings, release)
    return 0


if __name__ == "__main__":
    sys.exit(main())
