"""
### Alert when agency returns are past their deadline

Every weekday morning: which agencies have not sent their return for a quarter whose deadline
(`CTM_RETURN_DEADLINE_DAYS` after the quarter) has passed, read from the readers' snapshot (it never
waits on the pipeline). The agencies are named in the task log and, when `CTM_RELEASE_WEBHOOKS` is
set, posted to those webhooks. Nothing overdue: the run says so and succeeds.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, task
from airflow_assets import DAG_DEFAULTS

from pipeline.assets import DEFAULT_QUEUE


@dag(
    schedule="0 8 * * 1-5",
    **DAG_DEFAULTS,
    tags=["returns", "alert"],
    doc_md=__doc__,
)
def alert_overdue_returns():
    # It reads the snapshot only: no slot of the warehouse writers' pool.
    @task(pool="default_pool", queue=DEFAULT_QUEUE, retries=2, retry_delay=timedelta(minutes=5))
    def name_late_agencies() -> int:
        from datetime import date

        from pipeline.settings import get_settings
        from publish.notify import post_to_webhooks
        from publish.overdue import overdue_message, overdue_returns

        settings = get_settings()
        late = overdue_returns(settings, date.today())
        if not late:
            print("no agency return is past its deadline")
            return 0
        message = overdue_message(late)
        print(message)
        if settings.webhook_urls:
            post_to_webhooks(settings, {"text": message, "overdue": len(late)})
        return len(late)

    name_late_agencies()


alert_overdue_returns()
