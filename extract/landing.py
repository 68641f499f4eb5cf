"""The landing zone: how a file arrives, and what is waiting there.

A sender (an upload, `ctm submit`, the NRM fetcher) copies the file in under a temporary name,
renames it into place, then writes the marker file. The marker wakes the Airflow watcher; the
ingest then takes every file waiting, so several files behind one marker are all processed.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import stat
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from pipeline.settings import MARKER_NAME, Settings, Source


def land_file(
    settings: Settings,
    source: Source,
    file: Path,
    *,
    name: str | None = None,
    metadata: dict | None = None,
    ring: bool = True,
    arrived_at: datetime | None = None,
) -> Path:
    """Copy `file` into landing/<source>/ atomically and ring the marker. Returns the landed path.

    `metadata` (what the sender knows about the file, e.g. the publication date GOV.UK states) is
    written beside it as a hidden JSON file before the file itself appears. `ring=False` lands
    without the marker, so that several files can be landed and then taken in one run.
    `arrived_at`: when the file first arrived, for a file landed again from the archive (a rerun),
    so that it keeps its arrival time (and with it its file id and on-time status)."""
    if not file.is_file():
        raise FileNotFoundError(f"no such file: {file}")
    landing = settings.landing_dir_for(source)
    landing.mkdir(parents=True, exist_ok=True)
    target = landing / safe_landing_name(name or file.name)
    if target.exists():
        raise FileExistsError(f"{target} is already waiting in the landing zone; wait for it to be ingested")
    # the landing record: when the file arrived and in what order, written before the file appears
    # (a file's mtime is the sender's to set, `cp -p`; this is not)
    arrival = (arrived_at or _now()).isoformat()
    record = {**(metadata or {}), "landed_at": arrival, "sequence": _next_sequence(landing)}
    sidecar = metadata_path(target)
    sidecar.with_name(sidecar.name + ".part").write_text(json.dumps(record, indent=2, sort_keys=True))
    sidecar.with_name(sidecar.name + ".part").replace(sidecar)
    partial = landing / f".{target.name}.part"
    shutil.copyfile(file, partial)
    partial.replace(target)
    if ring:
        ring_marker(settings, source)
    return target


def ring_marker(settings: Settings, source: Source) -> Path:
    marker = settings.landing_dir_for(source) / MARKER_NAME
    partial = marker.with_name(marker.name + ".part")
    partial.write_text("ready\n")
    partial.replace(marker)
    return marker


MAX_NAME_CHARS = 120  # leaves room for the landing record's name beside it (255 bytes at most)


def safe_landing_name(name: str) -> str:
    """A sender's file name as it may land: only a base name (a "../x.csv" must not land outside the
    landing zone), not hidden (".x.csv" would be skipped), no control characters (a newline would
    forge lines in reports), NFC, and short enough for the landing record beside it."""
    text = unicodedata.normalize("NFC", name.replace("\\", "/"))
    text = "".join(ch for ch in Path(text).name if not unicodedata.category(ch).startswith("C"))
    text = text.strip().lstrip(".").strip() or "unnamed"
    if len(text.encode("utf-8")) > MAX_NAME_CHARS:
        stem, dot, suffix = text.rpartition(".")
        suffix = f".{suffix[:10]}" if dot and len(suffix) <= 10 else ""
        stem = (stem if suffix else text).encode("utf-8")[: MAX_NAME_CHARS - len(suffix) - 1]
        text = stem.decode("utf-8", "ignore").rstrip() + "~" + suffix
    return text


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _next_sequence(landing: Path) -> int:
    """The next number in this landing folder's arrival order (one counter, locked while it moves)."""
    counter = landing / ".sequence"
    with counter.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        number = int(handle.read().strip() or 0) + 1
        handle.seek(0)
        handle.truncate()
        handle.write(f"{number}\n")
        handle.flush()
    return number


def landed_at(landed: Path, record: dict | None = None) -> datetime:
    """When the file landed: its landing record, or, for a file placed without one (the REST API
    route), when it was placed there (its inode's change time, which a sender cannot set)."""
    recorded = (landed_metadata(landed) if record is None else record).get("landed_at")
    if recorded:
        return datetime.fromisoformat(recorded)
    return datetime.fromtimestamp(landed.stat().st_ctime, UTC).replace(tzinfo=None)


def _arrival(landed: Path) -> tuple[datetime, int, str]:
    record = landed_metadata(landed)
    return landed_at(landed, record), int(record.get("sequence", 0)), landed.name


def _entries(settings: Settings, source: Source) -> list[Path]:
    landing = settings.landing_dir_for(source)
    if not landing.is_dir():
        return []
    return [p for p in landing.iterdir() if not p.name.startswith(".")]  # hidden: markers, records, partials


def waiting_files(settings: Settings, source: Source) -> list[Path]:
    """Regular files ready to ingest, in the order they landed (the landing record, never the mtime
    a sender controls). A link is never followed: it is not a file (see `not_files`)."""
    files = [p for p in _entries(settings, source) if stat.S_ISREG(p.lstat().st_mode)]
    return sorted(files, key=_arrival)


def not_files(settings: Settings, source: Source) -> list[tuple[Path, str]]:
    """What waits in landing but is not a regular file, with what it is: a symbolic link (never
    followed: `passwd.csv -> /etc/passwd` must not be read), a directory, a pipe, a device."""
    found = []
    for path in _entries(settings, source):
        mode = path.lstat().st_mode
        if stat.S_ISREG(mode):
            continue
        if stat.S_ISLNK(mode):
            kind = f"a symbolic link (to {os.readlink(path)!r})"
        elif stat.S_ISDIR(mode):
            kind = "a directory"
        else:
            kind = "a special file (a pipe, socket or device)"
        found.append((path, kind))
    return sorted(found, key=lambda item: item[0].name)


def metadata_path(landed: Path) -> Path:
    return landed.with_name(f".{landed.name}.meta.json")


def landed_metadata(landed: Path) -> dict:
    """What the sender said about a landed file ({} when nothing; a file placed with a name too long
    to have a record beside it has none)."""
    sidecar = metadata_path(landed)
    try:
        return json.loads(sidecar.read_text()) if sidecar.is_file() else {}
    except OSError:  # ENAMETOOLONG
        return {}


def remove_from_landing(landed: Path) -> None:
    """Called once the file is safely archived and recorded: the file, then what was said about it."""
    landed.unlink()
    try:
        metadata_path(landed).unlink(missing_ok=True)
    except OSError:  # a name too long for a record to exist beside it
        pass
