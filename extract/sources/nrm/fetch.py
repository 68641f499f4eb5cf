"""Find the newest NRM release on GOV.UK and land its workbook, which starts the chain.

The GOV.UK Content API returns any page as JSON (`/api/content/<path>`): the NRM collection lists
its publications, and a publication lists its attachments. Attachment URLs carry unpredictable ids,
so they are discovered, never constructed. A download is retried on server errors and time-outs
(not on 404), limited in size, written to a temporary file, checked to be a complete ODS
workbook, and only then landed; a workbook already received (same sha256) is not landed again.
"""

from __future__ import annotations

import http.client
import json
import logging
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from extract.archive import sha256_of
from extract.landing import land_file, waiting_files
from pipeline.ods import ODS_MIMETYPE, NotAWorkbookError, check_is_ods
from pipeline.settings import Settings

log = logging.getLogger(__name__)
USER_AGENT = "child-trafficking-monitor (release detection)"


class FetchError(RuntimeError):
    """The source could not be read; nothing was landed."""


class _Retryable(FetchError):
    pass


@dataclass(frozen=True)
class FetchResult:
    publication_title: str
    attachment_url: str
    landed: Path | None  # None when this workbook had been received already
    sha256: str

    @property
    def is_new(self) -> bool:
        return self.landed is not None


def _request(settings: Settings, url: str, *, sink=None) -> bytes:
    """GET `url` once. Server errors and time-outs raise _Retryable; anything else FetchError."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=settings.fetch_timeout_seconds) as response:
            expected = response.headers.get("Content-Length")
            if expected is not None and int(expected) > settings.fetch_max_bytes:
                raise FetchError(
                    f"{url} is {int(expected):,} bytes, over the {settings.fetch_max_bytes:,}-byte limit"
                )
            received, chunks = 0, []
            while chunk := response.read(1 << 16):
                received += len(chunk)
                if received > settings.fetch_max_bytes:
                    raise FetchError(f"{url} is over the {settings.fetch_max_bytes:,}-byte limit")
                if sink is not None:
                    sink.write(chunk)
                else:
                    chunks.append(chunk)
            if expected is not None and received != int(expected):
                raise _Retryable(
                    f"{url}: the download was cut short ({received:,} of {int(expected):,} bytes)"
                )
            return b"".join(chunks)
    except urllib.error.HTTPError as exc:
        message = f"GET {url} answered {exc.code} {exc.reason}"
        raise (_Retryable(message) if exc.code >= 500 or exc.code == 429 else FetchError(message)) from exc
    except (TimeoutError, ConnectionError, urllib.error.URLError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _Retryable(f"GET {url} failed: {reason or type(exc).__name__}") from exc
    except http.client.IncompleteRead as exc:
        raise _Retryable(f"{url}: the download was cut short ({exc})") from exc


def _with_retries(settings: Settings, what: str, action):
    for attempt in range(1, settings.fetch_attempts + 1):
        try:
            return action()
        except _Retryable as exc:
            if attempt == settings.fetch_attempts:
                raise FetchError(f"{what}: gave up after {attempt} attempts: {exc}") from exc
            delay = settings.fetch_backoff_seconds * 2 ** (attempt - 1)
            log.warning(
                "%s: %s; retrying in %.1fs (attempt %d of %d)",
                what,
                exc,
                delay,
                attempt,
                settings.fetch_attempts,
            )
            time.sleep(delay)
    raise AssertionError("unreachable")


def _content(settings: Settings, base_url: str, path: str) -> dict:
    url = urljoin(base_url.rstrip("/") + "/", "api/content/" + path.lstrip("/"))
    body = _with_retries(settings, f"reading {url}", lambda: _request(settings, url))
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        start = body[:80].decode("utf-8", "replace").strip()
        raise FetchError(f"{url} did not answer with JSON (it starts {start!r})") from exc
    if not isinstance(document, dict):
        raise FetchError(f"{url} answered JSON that is not a Content API document")
    return document


def newest_publication(settings: Settings, base_url: str) -> dict:
    collection = _content(settings, base_url, settings.nrm_collection_path)
    documents = collection.get("links", {}).get("documents") or []
    if not documents:
        raise FetchError(
            f"the collection {settings.nrm_collection_path} lists no publications (links.documents)"
        )
    return max(
        documents,
        key=lambda d: (d.get("public_updated_at") or d.get("first_published_at") or "", d["base_path"]),
    )


def workbook_attachment(publication: dict) -> dict:
    attachments = publication.get("details", {}).get("attachments") or []
    workbooks = [
        a
        for a in attachments
        if a.get("content_type") == ODS_MIMETYPE
        or str(a.get("filename") or a.get("url", "")).lower().endswith(".ods")
    ]
    if not workbooks:
        raise FetchError(f"the publication {publication.get('title')!r} has no ODS attachment")
    # A release has one data-tables workbook; prefer it over any other spreadsheet attached.
    return max(workbooks, key=lambda a: "table" in f"{a.get('title', '')} {a.get('filename', '')}".lower())


def _already_received(settings: Settings, sha256: str) -> bool:
    if any(settings.archive_dir.glob(f"{sha256}.*")):
        return True
    return any(sha256_of(path) == sha256 for path in waiting_files(settings, "nrm"))


def fetch_latest_release(settings: Settings, base_url: str | None = None) -> FetchResult:
    """Land the newest release's workbook unless it was received before. Raises FetchError."""
    base_url = base_url or settings.govuk_base_url
    summary = newest_publication(settings, base_url)
    publication = _content(settings, base_url, summary["base_path"])
    attachment = workbook_attachment(publication)
    url = urljoin(base_url.rstrip("/") + "/", attachment["url"])
    name = Path(attachment.get("filename") or url.rsplit("/", 1)[-1]).name
    settings.home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=settings.home) as scratch:
        download = Path(scratch) / name

        def attempt() -> None:
            with download.open("wb") as sink:
                _request(settings, url, sink=sink)

        _with_retries(settings, f"downloading {url}", attempt)
        try:
            check_is_ods(download)
        except NotAWorkbookError as exc:
            raise FetchError(f"{url} is not a release workbook: {exc}") from exc
        sha256 = sha256_of(download)
        title = str(publication.get("title") or summary.get("title") or summary["base_path"])
        if _already_received(settings, sha256):
            return FetchResult(title, url, None, sha256)
        landed = land_file(settings, "nrm", download, name=name, metadata=_landing_metadata(publication, url))
    return FetchResult(title, url, landed, sha256)


def _landing_metadata(publication: dict, url: str) -> dict:
    """The release's publication date as GOV.UK states it (first published; a corrected re-upload
    keeps it), for the vintage record."""
    stamp = publication.get("first_published_at") or publication.get("public_updated_at") or ""
    return {
        "publication_date": stamp[:10] or None,
        "publication_date_source": "GOV.UK Content API",
        "publication_title": publication.get("title"),
        "source_url": url,
    }
