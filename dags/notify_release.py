"""
### Tell subscribers a release is out

Runs when a release is published (`published_release`). Posts the release (its id, period, key
findings and links) as JSON to every URL in `CTM_RELEASE_WEBHOOKS` (comma-separated; Slack- and
Teams-style incoming webhooks accept it), with retries. The URLs are secrets: set them in the
environment or an untracked `.env`. With none set it does nothing, saying so. The list of releases
people can subscribe to without a webhook is `published/feed.xml` (Atom), `releases.json` and
`index.html`, rewritten with each release.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, task
from airflow_assets import DAG_DEFAULTS, published_release

from pipeline.assets import DEFAULT_QUEUE


@dag(
    schedule=[published_release],
    **DAG_DEFAULTS,
    tags=["publish", "notify"],
    doc_md=__doc__,
)
def notify_release():
    # No warehouse access: it reads published/releases.json only.
    @task(pool="default_pool", queue=DEFAULT_QUEUE, retries=3, retry_delay=timedelta(seconds=30))
    def post_to_webhooks() -> list[str]:
        from airflow.sdk.exceptions import AirflowSkipException

        from pipeline.settings import get_settings
        from publish.feed import read_releases
        from publish.notify import notify_subscribers

        settings = get_settings()
        releases = read_releases(settings.published_dir)
        if not settings.webhook_urls or not releases:
            raise AirflowSkipException("no CTM_RELEASE_WEBHOOKS set (or no release yet): nobody to tell")
        told = notify_subscribers(settings, releases[0])
        print(f"told {len(told)} subscriber(s) of release {releases[0]['release_id']}")
        return [url.split("://", 1)[-1].split("/", 1)[0] for url in told]  # hosts only: URLs are secrets

    post_to_webhooks()


notify_release()
