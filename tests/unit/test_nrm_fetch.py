"""Release detection against a real HTTP server on 127.0.0.1 that answers like GOV.UK."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from extract.ingest import ingest_nrm
from extract.landing import landed_metadata, metadata_path, waiting_files
from extract.sources.nrm.fetch import FetchError, fetch_latest_release
from pipeline.settings import MARKER_NAME
from tests.conftest import SAMPLE_WORKBOOK
from tests.fixtures.govuk import COLLECTION_PATH, MEDIA_PATH, PUBLICATION_PATH, Response

WORKBOOK = SAMPLE_WORKBOOK.read_bytes()


def _nothing_landed(settings) -> bool:
    landing = settings.landing_dir_for("nrm")
    return (
        waiting_files(settings, "nrm") == []
        and not (landing / MARKER_NAME).exists()
        and not list(settings.home.glob(".fetch-*"))
    )


def test_finds_the_newest_release_and_lands_its_workbook_once(govuk, home):
    govuk.serve_release(WORKBOOK)
    settings = govuk.settings_for(home)

    result = fetch_latest_release(settings)

    assert result.is_new and result.landed.name == MEDIA_PATH.rsplit("/", 1)[-1]
    assert result.landed.read_bytes() == WORKBOOK
    assert (settings.landing_dir_for("nrm") / MARKER_NAME).exists()  # the doorbell that starts ingest
    assert govuk.count("/api/content" + PUBLICATION_PATH) == 1  # the newer of the two publications
    again = fetch_latest_release(settings)
    assert not again.is_new and waiting_files(settings, "nrm") == [result.landed]


def test_a_workbook_already_archived_is_not_landed_again(govuk, home):
    govuk.serve_release(WORKBOOK)
    settings = govuk.settings_for(home)
    first = fetch_latest_release(settings)

    ingest_nrm(settings)  # archived and loaded; the landing zone is empty again
    assert not fetch_latest_release(settings).is_new
    assert waiting_files(settings, "nrm") == [] and first.sha256


def test_the_publication_date_gov_uk_states_is_recorded_with_the_vintage(govuk, home):
    govuk.serve_release(WORKBOOK)
    settings = govuk.settings_for(home)
    landed = fetch_latest_release(settings).landed
    assert landed_metadata(landed)["publication_date"] == "2024-03-07"

    ingest_nrm(settings)

    assert not metadata_path(landed).exists()  # taken with the file
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        row = con.execute(
            "select source_vintage, publication_date, publication_date_source, source_url from raw.nrm_releases"
        ).fetchone()
    assert row[:3] == ("nrm-2023-q4", date(2024, 3, 7), "GOV.UK Content API")
    assert row[3] == govuk.base_url + MEDIA_PATH


def test_404_is_a_clear_error_without_retries(govuk, home):
    settings = govuk.settings_for(home)  # no routes: everything is 404
    with pytest.raises(
        FetchError, match=r"GET http://127\.0\.0\.1:\d+/api/content/government/collections/.* answered 404"
    ):
        fetch_latest_release(settings)
    assert govuk.count("/api/content" + COLLECTION_PATH) == 1
    assert _nothing_landed(settings)


def test_server_errors_are_retried_with_back_off(govuk, home):
    govuk.serve_release(WORKBOOK)
    path = "/api/content" + COLLECTION_PATH
    good = govuk.routes[path][0]
    govuk.route(path, Response(status=500), Response(status=503), good)
    result = fetch_latest_release(govuk.settings_for(home))
    assert result.is_new and govuk.count(path) == 3


def test_persistent_server_errors_give_up_after_the_attempts(govuk, home):
    govuk.route("/api/content" + COLLECTION_PATH, Response(status=500))
    settings = govuk.settings_for(home)
    with pytest.raises(FetchError, match="gave up after 3 attempts: .* answered 500"):
        fetch_latest_release(settings)
    assert _nothing_landed(settings)


def test_a_slow_server_times_out(govuk, home):
    govuk.serve_release(WORKBOOK)
    govuk.route(MEDIA_PATH, Response(body=WORKBOOK, delay=2.5, content_type="application/octet-stream"))
    settings = govuk.settings_for(home).model_copy(update={"fetch_attempts": 2})
    with pytest.raises(FetchError, match="downloading .*: gave up after 2 attempts"):
        fetch_latest_release(settings)
    assert _nothing_landed(settings)


def test_html_instead_of_json(govuk, home):
    govuk.route(
        "/api/content" + COLLECTION_PATH,
        Response(body=b"<!DOCTYPE html><html>Sign in</html>", content_type="text/html"),
    )
    with pytest.raises(FetchError, match="did not answer with JSON \\(it starts '<!DOCTYPE html>"):
        fetch_latest_release(govuk.settings_for(home))


def test_a_not_found_page_served_as_the_workbook_is_not_landed(govuk, home):
    govuk.serve_release(b"<html><body>Not found</body></html>")
    settings = govuk.settings_for(home)
    with pytest.raises(FetchError, match="is not a release workbook: .*the file is an HTML page"):
        fetch_latest_release(settings)
    assert _nothing_landed(settings)


def test_a_truncated_download_is_retried_then_refused(govuk, home):
    govuk.serve_release(WORKBOOK)
    govuk.route(MEDIA_PATH, Response(body=WORKBOOK[:1000], content_length=len(WORKBOOK)))
    settings = govuk.settings_for(home)
    with pytest.raises(FetchError, match="gave up after 3 attempts: .*cut short"):
        fetch_latest_release(settings)
    assert govuk.count(MEDIA_PATH) == 3
    assert _nothing_landed(settings)


def test_a_workbook_over_the_size_limit_is_refused(govuk, home):
    govuk.serve_release(WORKBOOK)
    settings = govuk.settings_for(home).model_copy(update={"fetch_max_bytes": 1000})
    with pytest.raises(FetchError, match="over the 1,000-byte limit"):
        fetch_latest_release(settings)
    assert govuk.count(MEDIA_PATH) == 1 and _nothing_landed(settings)


def test_a_publication_without_a_workbook(govuk, home):
    govuk.serve_release(WORKBOOK)
    govuk.route(
        "/api/content" + PUBLICATION_PATH,
        Response(body=b'{"title": "Notice", "details": {"attachments": []}}'),
    )
    with pytest.raises(FetchError, match="the publication 'Notice' has no ODS attachment"):
        fetch_latest_release(govuk.settings_for(home))
