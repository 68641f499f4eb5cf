"""`ctm fetch-nrm`: look for a new NRM release on GOV.UK and land it."""

from __future__ import annotations

import argparse
import sys

from ctm.commands import Command
from pipeline.settings import Settings


def cmd_fetch_nrm(settings: Settings, base_url: str | None) -> int:
    from extract.sources.nrm.fetch import FetchError, fetch_latest_release

    try:
        result = fetch_latest_release(settings, base_url)
    except FetchError as exc:
        print(f"ctm fetch-nrm: {exc}; nothing was landed", file=sys.stderr)
        return 1
    if result.is_new:
        print(f"landed {result.landed} from {result.publication_title!r}; the pipeline will ingest it")
    else:
        print(
            f"nothing new: the workbook of {result.publication_title!r} was received before (sha256 {result.sha256[:12]})"
        )
    return 0


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-url", default=None, help="GOV.UK base URL (default $CTM_GOVUK_BASE_URL or www.gov.uk)"
    )


COMMAND = Command(
    name="fetch-nrm",
    summary="look for a new NRM release on GOV.UK and land it",
    examples=["ctm fetch-nrm", "ctm fetch-nrm --base-url http://127.0.0.1:8000"],
    exit_codes={
        0: "landed a new release, or nothing new",
        1: "GOV.UK could not be read (nothing landed)",
        2: "bad usage",
    },
    run=lambda settings, args: cmd_fetch_nrm(settings, args.base_url),
    add_arguments=_add_arguments,
)
