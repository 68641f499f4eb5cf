"""Releases: a bundle is built beside `published/`, renamed into `published/<release_id>/` in one
step, and `published/latest` switched to it last. A published release is never changed.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline import audit
from pipeline.faults import crash_point
from pipeline.logs import log_context
from pipeline.settings import Settings
from publish.bundle import build_bundle
from publish.feed import record_release


@dataclass(frozen=True)
class Release:
    release_id: str
    path: Path
    is_new: bool
    files: list[str]


log = logging.getLogger(__name__)


def publish_release(settings: Settings, gate_dir: Path) -> Release:
    """Build the bundle in a temp dir and rename it into published/<release_id>/ (never overwriting).

    `gate_dir` holds the results of the quality gate that let it through (GateResult.write); they
    ship in the bundle's quality/ with the publication checks' results.
    """
    settings.published_dir.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_builds(settings.published_dir)
    staging = settings.published_dir / f".building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        release_id = build_bundle(settings, Path(gate_dir), staging)
        crash_point("publish")
        files = sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file())
        target = settings.published_dir / release_id
        if target.exists():  # the same content was published before: releases are immutable
            shutil.rmtree(staging)
            _point_latest(settings, release_id)
            audit.settle(settings, "published", release_id)
            with log_context(release_id=release_id):
                log.info("release %s was published before (same content): latest points to it", release_id)
            return Release(release_id, target, False, files)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _point_latest(settings, release_id)
    record_release(settings.published_dir, release_id)  # the list of releases people subscribe to
    audit.settle(settings, "published", release_id)
    with log_context(release_id=release_id):
        log.info("published release %s in %s (%d files)", release_id, target, len(files))
    return Release(release_id, target, True, files)


def _remove_abandoned_builds(published_dir: Path) -> None:
    """Bundles a killed publish left half-built (`.building-<pid>` of a process that is gone)."""
    for staging in published_dir.glob(".building-*"):
        pid = staging.name.removeprefix(".building-")
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another publish is building it now
        shutil.rmtree(staging, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _point_latest(settings: Settings, release_id: str) -> None:
    link = settings.published_dir / "latest"
    partial = settings.published_dir / ".latest.part"
    partial.unlink(missing_ok=True)
    partial.symlink_to(release_id, target_is_directory=True)
    partial.replace(link)


def latest_release(settings: Settings) -> Path | None:
    link = settings.published_dir / "latest"
    return link.resolve() if link.exists() else None
