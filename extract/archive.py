"""The immutable archive: every file ever received, stored once under its sha256."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def archive_file(archive_dir: Path, path: Path, sha256: str) -> Path:
    """Copy `path` to archive/<sha256><ext> unless that content is already there; never overwrite."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    target = archive_dir / f"{sha256}{''.join(path.suffixes[-1:]).lower()}"
    if not target.exists():
        partial = target.with_name(f".{target.name}.part")
        shutil.copyfile(path, partial)
        partial.replace(target)
        target.chmod(0o444)
    return target
