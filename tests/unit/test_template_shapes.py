"""The official template's table structure, filled with real reports' values, read back in every print shape.

Fixtures come from the 2021 Word template's own grid (merged cells and all, ``fixtures/template_shapes.py``)
and real reports' gold values, not from the project's renderer; each shape is one a real tool prints.
"""

from __future__ import annotations

import pytest

from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.report import parse_report
from tests import gold
from tests.fixtures import template_shapes

REPORTS = [g for g in gold.all_gold() if g.data.get("table3") and g.template_version in ("fmt2019", "fmt2021")]
CASES = [
    pytest.param(report, shape, False, id=f"{report.name}-{shape}")
    for report in REPORTS
    for shape in template_shapes.SHAPES
] + [
    # the 2019 Shanghai page shape: labels spanning columns, 总计 left blank on the outcome rows
    pytest.param(report, shape, True, id=f"{report.name}-{shape}-blank-totals")
    for report in REPORTS
    if report.template_version == "fmt2019"
    for shape in ("html", "grid_pipes", "word_tabs")
]


@pytest.mark.parametrize(("report", "shape", "blank_totals"), CASES)
def test_every_cell_of_the_template_is_read_in_its_column(
    report: gold.GoldReport, shape: str, blank_totals: bool
) -> None:
    filled = template_shapes.fill(report, blank_total_on_outcomes=blank_totals)
    suffix, text = template_shapes.render(filled, shape)
    decoded = decode_report_bytes(text.encode("utf-8"), suffix)
    parsed = parse_report("fixture", decoded.text, f"fixture{suffix}")
    assert parsed.template_version == filled.version
    got = {(c.table_code, c.row_code, c.column_code): c.value for c in parsed.cells}
    wrong = {
        key: (got.get(key, "missing"), value)
        for key, value in filled.expected.items()
        if got.get(key, "missing") != value
    }
    assert not wrong, (
        f"{len(wrong)} of {len(filled.expected)} cells differ (got, printed): {dict(list(wrong.items())[:8])}"
    )
