"""Reports that cannot be forged: what a sender puts in a file name, a value or a sheet name is
shown as text in rejection.md (rendered by a real Markdown renderer), rejection.json and
`ctm status`, never as markup, a heading or a line of its own."""

from __future__ import annotations

import json

import openpyxl
from markdown_it import MarkdownIt

from tests.fixtures.cli import ctm
from tests.unit.test_returns_intake import council_rows, good_file, ingest, write

IMG = "<img src=x onerror=alert(1)>"
HOSTILE_NAMES = [
    f"evil`{IMG}`.csv",
    "two\n# Forged heading\n- forged item.csv",
    "[click](javascript:alert(1)) ![i](http://x/y.png).csv",
]


def _hostile_csv(tmp_path, name: str, value: str):
    rows = council_rows("E06000001")
    header, first, *rest = rows
    first = [value, *first[1:]]  # a hostile agency code: rejected, and quoted in the report
    text = "\n".join(";".join(f'"{c}"' for c in row) for row in [header, first, *rest]) + "\n"
    return write(tmp_path, f"upload-{abs(hash(name))}.csv", text)


def _hostile_xlsx(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "<script>x<"
    for row in council_rows("E06000001"):
        sheet.append([f"`{IMG}`" if row[0] == "E06000001" else row[0], *row[1:]])
    path = tmp_path / "sheet.xlsx"
    workbook.save(path)
    return path


def _flatten(tokens):
    for token in tokens:
        yield token
        yield from _flatten(token.children or [])


def test_rejection_md_renders_no_html_links_images_or_headings_from_the_sender(tmp_path, home):
    files = [_hostile_csv(tmp_path, name, f"`{IMG}` | {n}") for n, name in enumerate(HOSTILE_NAMES)]
    names = dict(zip(files, HOSTILE_NAMES, strict=True))
    xlsx = _hostile_xlsx(tmp_path)
    names[xlsx] = f"sheet`{IMG}`.xlsx"
    summary = ingest(home, *files, xlsx, good_file(tmp_path), names=names)

    assert summary.loaded == ["good.csv"]  # the good file beside them is not lost
    assert len(summary.quarantined) == 4
    md = MarkdownIt("commonmark").enable("table")
    for directory in home.quarantine_dir.iterdir():
        text = (directory / "rejection.md").read_text(encoding="utf-8")
        report = json.loads((directory / "rejection.json").read_text(encoding="utf-8"))
        tokens = list(_flatten(md.parse(text)))
        kinds = {t.type for t in tokens}
        assert not kinds & {"html_inline", "html_block", "image", "link_open"}, kinds
        # a value is shown as typed, in a code span it cannot close
        codes = [t.content for t in tokens if t.type == "code_inline"]
        assert all(
            c
            in {p["value"].replace("|", "\\|") for p in report["problems"] if p["value"]}
            | {report["file_id"], report["sha256"]}
            for c in codes
        )
        assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1"]
        rows = [t for t in tokens if t.type == "tr_open"]
        assert len(rows) == 1 + report["problem_count"]  # the header, then one row a problem
        html = md.render(text)
        assert "<img" not in html and "<script" not in html and "<a " not in html
        # the sender's name is there, as text
        heading = next(t for t in tokens if t.type == "inline")
        assert heading.content.replace("\\", "").startswith("Rejected: ")
        # as landed: a path cut to its name, control characters dropped
        assert report["original_name"] in {
            HOSTILE_NAMES[0],
            "two# Forged heading- forged item.csv",
            "y.png).csv",
            f"sheet`{IMG}`.xlsx",
        }


def test_ctm_status_shows_a_newline_in_a_file_name_as_an_escape_not_a_line(tmp_path, home):
    """`ctm submit` drops control characters from a name; a file placed in landing directly (the REST
    API route) keeps its name, newline and all, and `ctm status` must not print it as lines."""
    from extract.ingest import ingest_returns
    from tests.unit.test_returns_intake import TODAY

    landing = home.landing_dir_for("returns")
    landing.mkdir(parents=True, exist_ok=True)
    (landing / HOSTILE_NAMES[1]).write_bytes(
        _hostile_csv(tmp_path, HOSTILE_NAMES[1], "E07000105").read_bytes()
    )
    ingest_returns(home, today=TODAY)
    ingest(home, good_file(tmp_path))
    status = ctm(home.home, "status")
    assert status.returncode == 0, status.stderr
    file_lines = [line for line in status.stdout.splitlines() if line.startswith("  2")]
    assert len(file_lines) == 2  # one line a file received
    assert not any(line.startswith(("# Forged", "- forged")) for line in status.stdout.splitlines())
    assert "two\\n# Forged heading\\n- forged item.csv" in status.stdout
