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
from pathlib import Path

from extract.landing import land_file, ring_marker
from pipeline.embedded_airflow import EmbeddedAirflow
from pipeline.settings import REPO_ROOT, Settings, get_settings
from publish.bundle import latest_release

SAMPLE_DIR = REPO_ROOT / "data" / "samples" / "nrm"
SAMPLE_WORKBOOK = SAMPLE_DIR / "nrm-2023-q4-tables.ods"  # the newest release, with every table
SAMPLE_RELEASES = sorted(SAMPLE_DIR.glob("nrm-*-tables.ods"))  # 2022 Q2 to 2023 Q4, oldest first


def wait_for_release(settings: Settings, *, timeout: float, previous: Path | None = None) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        latest = latest_release(settings)
        if latest is not None and latest != previous:
            return latest
        time.sleep(1)
    raise TimeoutError(
        f"no release appeared in {settings.published_dir} within {timeout:.0f}s; see the Airflow logs "
        f"in {settings.airflow_home}/logs and {settings.airflow_home}/component-logs"
    )


def land_and_wait(airflow: EmbeddedAirflow, *workbooks: Path, timeout: float = 600) -> tuple[Path, float]:
    """Land `workbooks` under a running Airflow, then ring the marker once (one ingest takes them
    all); return the release and the seconds from landing to release."""
    previous = latest_release(airflow.settings)
    started = time.monotonic()
    for workbook in workbooks:
        land_file(airflow.settings, "nrm", workbook, ring=False)
    ring_marker(airflow.settings, "nrm")
    release = wait_for_release(airflow.settings, timeout=timeout, previous=previous)
    return release, time.monotonic() - started


def print_release(settings: Settings, release: Path) -> None:
    print(f"\nPublished release {release.name}:")
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        print(f"  {path.relative_to(settings.home)}  ({path.stat().st_size:,} bytes)")
    print(f"\nMarts: {settings.warehouse_path} (schema marts), e.g.")
    ctm = Path(sys.executable).with_name("ctm")
    print(
        f"  {ctm} sql --home {settings.home} \"select * from marts.mart_prevention_indicators where period_type = 'year'\""
    )
    print(f"Files received and their fate: {ctm} status --home {settings.home}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=REPO_ROOT / "var" / "demo")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)
    settings = get_settings(args.home)
    shutil.rmtree(settings.home, ignore_errors=True)  # the demo always starts from nothing
    print(f"Demo data home: {settings.home} (reset on every demo run)")
    print("Starting Airflow (api-server, scheduler, dag-processor, triggerer)...")
    with EmbeddedAirflow(settings, port=args.port) as airflow:
        print(
            f"Airflow is up at {airflow.url}; landing the {len(SAMPLE_RELEASES)} sample NRM releases "
            f"({SAMPLE_RELEASES[0].name} to {SAMPLE_RELEASES[-1].name}) in {settings.landing_dir_for('nrm')}"
        )
        release, seconds = land_and_wait(airflow, *SAMPLE_RELEASES, timeout=args.timeout)
        print(f"The chain ingest_nrm -> transform_warehouse -> publish_release took {seconds:.0f}s.")
        print("Stopping Airflow...")
    print_release(settings, release)
    return 0


if __name__ == "__main__":
    sys.exit(main())
