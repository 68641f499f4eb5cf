"""dbt runs the same way in both of its processes: the `dbt` executable (the CLI) and a fork running
dbt's entry point (a worker that preloaded dbt). Same output, same failures, and the warehouse is
free for the caller once dbt has finished."""

from __future__ import annotations

import sys

import duckdb
import pytest

from pipeline.settings import get_settings
from transform.build import TransformFailed, run_dbt


@pytest.fixture(params=["executable", "fork"])
def way(request, monkeypatch):
    if request.param == "fork":
        import dbt.cli.main  # noqa: F401 - loaded, as a preloaded worker has it
    else:
        monkeypatch.delitem(sys.modules, "dbt.cli.main", raising=False)
    return request.param


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    # one home for all: after the first parse, dbt parses only what changed (seconds saved a test)
    settings = get_settings(tmp_path_factory.mktemp("dbt-invocation") / "home")
    settings.create_dirs()
    settings.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    return settings


def test_dbt_runs_and_its_output_is_returned(settings, way):
    result = run_dbt(settings, "show", "--inline", "select 41 + 1 as answer")
    assert "| answer |" in result.output and "|     42 |" in result.output
    assert result.command[1:3] == ["show", "--inline"]
    # dbt's process has ended and its connection with it: the caller can write to the warehouse
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute("create or replace table written_after_dbt as select 1 as x")


def test_a_failing_model_is_named_with_what_failed(settings, way):
    # an empty warehouse: the staging model's raw table does not exist, dbt reports it (exit 1)
    with pytest.raises(TransformFailed) as failed:
        run_dbt(settings, "run", "--select", "stg_returns__agency_returns")
    message = str(failed.value)
    assert message.startswith("`dbt run --select stg_returns__agency_returns` failed (exit 1):")
    assert "stg_returns__agency_returns" in message.split("(exit 1)")[1]
    assert 'does not exist because schema "raw" does not exist' in message


def test_a_failing_query_is_an_error_with_its_reason(settings, way):
    with pytest.raises(TransformFailed) as failed:
        run_dbt(settings, "show", "--inline", "select * from no_such_relation_here")
    message = str(failed.value)
    assert "`dbt show --inline select * from no_such_relation_here` failed (exit 2)" in message
    assert "Table with name no_such_relation_here does not exist" in message


def test_dbt_that_cannot_start_says_why(settings, way):
    # state:modified needs --state: dbt refuses before it runs anything
    with pytest.raises(TransformFailed, match=r"failed \(exit 2\)") as failed:
        run_dbt(settings, "build", "--select", "state:modified")
    assert "Got a state selector method, but no comparison manifest" in str(failed.value)


def test_a_new_home_starts_from_the_parse_of_the_project_another_home_made(tmp_path, monkeypatch):
    monkeypatch.setenv("CTM_CACHE_DIR", str(tmp_path / "cache"))
    first, second = (get_settings(tmp_path / name) for name in ("first", "second"))
    full_parse = "Unable to do partial parsing because saved manifest not found"
    assert full_parse in run_dbt(first, "parse").output
    assert list((tmp_path / "cache" / "dbt-parse").iterdir())  # kept for the next home
    assert full_parse not in run_dbt(second, "parse").output
    assert "Unable to do partial parsing" not in run_dbt(second, "parse").output


def test_a_damaged_cached_parse_only_costs_a_full_parse(tmp_path, monkeypatch):
    monkeypatch.setenv("CTM_CACHE_DIR", str(tmp_path / "cache"))
    first, second = (get_settings(tmp_path / name) for name in ("first", "second"))
    run_dbt(first, "parse")
    (cached,) = (tmp_path / "cache" / "dbt-parse").iterdir()
    cached.write_bytes(b"\x00not msgpack\xff" * 100)
    result = run_dbt(second, "show", "--inline", "select 7 as answer")
    assert "|      7 |" in result.output
