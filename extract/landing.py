"""The landing zone: how a file arrives, and what is waiting there.

A sender (an upload, `ctm submit`, the NRM fetcher) copies the file in under a temporary name,
renames it into place, then writes the marker file. The marker wakes the Airflow watcher; the
ingest then takes every file waiting, so several files behind one marker are all processed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.settings import MARKER_NAME, Settings, Source


def land_file(settings: Settings, source: Source, file: Path, *, name: str | None = None) -> Path:
    """Copy `file` into landing/<source>/ atomically and ring the marker. Returns the landed path."""
    if not file.is_file():
        raise FileNotFoundError(f"no such file: {file}")
    landing = settings.landing_dir_for(source)
    landing.mkdir(parents=True, exist_ok=True)
    target = landing / (name or file.name)
    if target.exists():
        raise FileExistsError(f"{target} is already waiting in the landing zone; wait for it to be ingested")
    partial = landing / f".{target.name}.part"
    shutil.copyfile(file, partial)
    partial.replace(target)
    ring_marker(settings, source)
    return target


def ring_marker(settings: Settings, source: Source) -> Path:
    marker = settings.landing_dir_for(source) / MARKER_NAME
    partial = marker.with_name(marker.name + ".part")
    partial.write_text("ready\n")
    partial.replace(marker)
    return marker


def waiting_files(settings: Settings, source: Source) -> list[Path]:
    """Files ready to ingest, oldest first; hidden files (markers, partial copies) are not data."""
    landing = settings.landing_dir_for(source)
    if not landing.is_dir():
        return []
    files = [p for p in landing.iterdir() if p.is_file() and not p.name.startswith(".")]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))
