"""Tell subscribers a release is out: a JSON POST (the shape Slack and Teams incoming webhooks take)
to each URL of `CTM_RELEASE_WEBHOOKS`. The URLs are secrets (a webhook URL is its own password):
they come from the environment or an untracked `.env`, never from the repository."""

from __future__ import annotations

import json
import urllib.request

from pipeline.settings import Settings


class NotifyError(RuntimeError):
    pass


def release_message(entry: dict) -> dict:
    findings = "\n".join(f"- {sentence}" for sentence in entry["key_findings"])
    text = (
        f"New release {entry['release_id']} of the UK child trafficking prevention indicators "
        f"({entry['period']}).\n{findings}\nReport: {entry['links']['report']}"
    )
    return {
        "text": text,
        "release_id": entry["release_id"],
        "period": entry["period"],
        "links": entry["links"],
    }


def notify_subscribers(settings: Settings, entry: dict) -> list[str]:
    """POST the release to every webhook; returns the URLs told (see post_to_webhooks)."""
    return post_to_webhooks(settings, release_message(entry))


def post_to_webhooks(settings: Settings, payload: dict) -> list[str]:
    """POST `payload` as JSON to every webhook; returns the URLs told. Raises NotifyError naming
    every URL that failed (the task's retries try again; one failure does not stop the others)."""
    body = json.dumps(payload).encode("utf-8")
    told, failed = [], []
    for url in settings.webhook_urls:
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.fetch_timeout_seconds) as response:
                response.read()
            told.append(url)
        except OSError as error:  # URLError, HTTPError, timeouts
            failed.append(f"{_redacted(url)}: {error}")
    if failed:
        raise NotifyError("could not notify " + "; ".join(failed))
    return told


def _redacted(url: str) -> str:
    """A webhook URL without its secret path, for logs."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/..."
