"""A bad CTM_* setting is named as it is set, with what it should be: never a validation dump."""

from __future__ import annotations

import pytest

from ctm.cli import main
from pipeline.settings import ConfigurationError, get_settings


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"CTM_DISCLOSURE_THRESHOLD": "abc"},
            "CTM_DISCLOSURE_THRESHOLD='abc': input should be a valid integer",
        ),
        (
            {"CTM_FETCH_ATTEMPTS": "x", "CTM_READER_SECONDS": "soon"},
            "CTM_FETCH_ATTEMPTS='x': input should be a valid integer, unable to parse string as an integer; "
            "CTM_READER_SECONDS='soon': input should be a valid number",
        ),
        (
            {"CTM_DISCLOSURE_THRESHOLD": "5", "CTM_DISCLOSURE_ROUNDING_BASE": "5"},
            "CTM_DISCLOSURE_ROUNDING_BASE=5 with CTM_DISCLOSURE_THRESHOLD=5 would publish 6 as 5",
        ),
    ],
)
def test_a_bad_setting_is_named_with_its_value_and_ctm_exits_2(
    tmp_path, monkeypatch, capsys, environment, message
):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=message.split(":")[0]):
        get_settings(tmp_path)
    assert main(["status", "--home", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("ctm: bad configuration: ") and message in error
    assert "pydantic" not in error and "validation error" not in error and "Traceback" not in error
