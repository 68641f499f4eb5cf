"""`make bench`: how long the pipeline takes on the shipped sample, printed as figures.

1. `ctm run` on a fresh data home (ingest -> dbt build -> gate -> publish), several times: wall
   time and peak memory of the process.
2. A landed workbook becoming a release under the real scheduler and triggerer (embedded
   Airflow), from the moment the file lands to the release directory appearing.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.demo import SAMPLE_WORKBOOK, land_and_wait
from pipeline.embedded_airflow import EmbeddedAirflow
from pipeline.settings import get_settings


def bench_ctm_run(repeats: int) -> None:
    times, peaks = [], []
    for _ in range(repeats):
        home = Path(tempfile.mkdtemp(prefix="ctm-bench-"))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline.cli",
                "submit",
                "--source",
                "nrm",
                str(SAMPLE_WORKBOOK),
                "--home",
                str(home),
            ],
            check=True,
            capture_output=True,
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pipeline.cli", "run", "--home", str(home)],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
        peaks.append(max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024)
        shutil.rmtree(home, ignore_errors=True)
    print(
        f"ctm run on the sample (fresh home, {repeats} runs): median {statistics.median(times):.1f}s, "
        f"min {min(times):.1f}s, max {max(times):.1f}s; peak RSS of a child process {max(peaks):.0f} MB"
    )


def bench_scheduler(port: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="ctm-bench-airflow-"))
    started = time.perf_counter()
    with EmbeddedAirflow(get_settings(home), port=port) as airflow:
        ready = time.perf_counter() - started
        _, seconds = land_and_wait(airflow, SAMPLE_WORKBOOK, timeout=600)
    shutil.rmtree(home, ignore_errors=True)
    print(f"embedded Airflow start (db migrate + 4 components healthy): {ready:.1f}s")
    print(f"landed workbook -> published release under the scheduler: {seconds:.1f}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--skip-scheduler", action="store_true")
    args = parser.parse_args(argv)
    bench_ctm_run(args.repeats)
    if not args.skip_scheduler:
        bench_scheduler(args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
