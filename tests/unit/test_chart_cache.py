"""The report's charts come from the machine's cache when the same spec was drawn before: the same
bytes as drawing it, and a damaged entry is drawn again, never served."""

from __future__ import annotations

import pytest

from publish import charts

SPEC = {
    "data": {"values": [{"period": "2023-Q1", "value": 3}, {"period": "2023-Q2", "value": 5}]},
    "mark": "line",
    "encoding": {
        "x": {"field": "period", "type": "ordinal"},
        "y": {"field": "value", "type": "quantitative"},
    },
}


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CTM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "charts"


def test_a_chart_drawn_before_is_not_drawn_again(cache_dir, monkeypatch):
    drawn = charts._vega_svg(SPEC)
    assert drawn.startswith("<svg") and len(list(cache_dir.glob("*.svg"))) == 1

    def no_renderer():
        raise AssertionError("the renderer was started for a chart in the cache")

    monkeypatch.setattr(charts, "_converter", no_renderer)
    assert charts._vega_svg(SPEC) == drawn
    with pytest.raises(AssertionError, match="renderer was started"):
        charts._vega_svg({**SPEC, "mark": "bar"})  # another chart is drawn


def test_a_damaged_entry_is_drawn_again(cache_dir):
    drawn = charts._vega_svg(SPEC)
    (entry,) = cache_dir.glob("*.svg")
    entry.write_text("<svg><text>1,000,000 children</text>")  # cut short: no closing tag
    assert charts._vega_svg(SPEC) == drawn
    assert entry.read_text() == drawn  # and put right


def test_the_cache_keeps_a_bounded_number_of_charts(cache_dir, monkeypatch):
    monkeypatch.setattr(charts, "_CACHED_CHARTS", 3)
    for value in range(5):
        charts._vega_svg({**SPEC, "data": {"values": [{"period": "2023-Q1", "value": value}]}})
    assert len(list(cache_dir.glob("*.svg"))) == 3
