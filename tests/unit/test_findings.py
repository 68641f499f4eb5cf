"""Key findings: every figure in the words is the figure in the table, and a finding whose figure is
not published is not written."""

from __future__ import annotations

from publish.findings import key_findings


def _row(indicator, period, numerator, value, period_type="year", area="K02000001", denominator="100"):
    start = (
        f"{period[:4]}-01-01"
        if period_type == "year"
        else f"{period[:4]}-{3 * (int(period[-1]) - 1) + 1:02d}-01"
    )
    return {
        "indicator_id": indicator, "period_type": period_type, "period_label": period,
        "period_start_date": start, "area_code": area, "breakdown": "all", "numerator": numerator,
        "denominator": denominator, "value": value, "is_provisional": "false",
    }  # fmt: skip


ROWS = [
    _row("child_referrals", "2022", "4000", "4000"),
    _row("child_referrals", "2023", "5000", "5000"),
    _row("criminal_exploitation_share_of_child_referrals", "2023", "2500", "0.5"),
    _row("child_referrals", "2023-Q4", "1300", "1300", period_type="quarter"),
]


def test_the_figures_in_the_words_are_the_figures_in_the_table():
    findings = key_findings(ROWS)
    assert findings[0].sentence == (
        "5,000 children were referred to the NRM in 2023, up 25.0% on 2022 (4,000); "
        "50% of them for criminal exploitation."
    )
    table = {(r["indicator_id"], r["period_label"]): r for r in ROWS}
    for finding in findings:
        for figure in finding.figures:
            row = table[(figure.indicator_id, figure.period_label)]
            assert figure.shown in finding.sentence
            published = float(row[figure.field])
            shown = float(figure.shown.rstrip("%").replace(",", ""))
            assert shown == (round(published * 100) if figure.shown.endswith("%") else published)


def test_a_finding_whose_figure_is_suppressed_is_not_written():
    rows = [dict(r) for r in ROWS]
    rows[2].update(numerator="[c]", value="[c]")  # the criminal share hidden
    sentence = key_findings(rows)[0].sentence
    assert "criminal" not in sentence and sentence.startswith("5,000 children")
    quarterless = [r for r in rows if r["period_type"] == "year"]
    assert not any("newest quarter" in f.sentence for f in key_findings(quarterless))
