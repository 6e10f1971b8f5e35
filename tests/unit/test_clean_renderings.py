"""HTML and whitespace renderings of real reports' tables parse to the report's own figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.report import parse_report
from tests import gold

RENDERED = Path(__file__).resolve().parents[1] / "fixtures" / "rendered"
CASES = [
    ("015_pingtan_zone_2021.html", "fmt2021"),
    ("013_pingtan_zone_2019.txt", "fmt2019"),
    ("017_pingtan_zone_2023.txt", "fmt2021"),
]


def _gold(name: str) -> gold.GoldReport:
    stem = name.rsplit(".", 1)[0]
    data = json.loads((gold.GOLD_DIR / "real" / f"{stem}.gold.json").read_text(encoding="utf-8"))
    data.pop("table2_raw", None)  # the rendering prints the gold's values, not the glued runs
    return gold.GoldReport(name, RENDERED / name, data)


@pytest.mark.parametrize(("name", "version"), CASES)
def test_clean_rendering_parses_every_cell_to_gold(name: str, version: str) -> None:
    report = _gold(name)
    decoded = decode_report_bytes(report.raw_path.read_bytes(), report.raw_path.suffix)
    parsed = parse_report(name, decoded.text, name)
    assert parsed.template_version == version
    assert parsed.parse_status == "parsed", parsed.parse_message
    cells = {(c.table_code, c.row_code, c.column_code): c.value for c in parsed.cells}
    expected = {("table3", r, col): v for (r, col), v in gold.table3_cells(report).items()}
    expected |= {("table4", "reviews_and_litigation", col): v for col, v in gold.table4_cells(report).items()}
    expected |= {("table2", item, m): v for (item, m), v in gold.table2_cells(report).items()}
    wrong = {k: (cells.get(k, "missing"), v) for k, v in expected.items() if cells.get(k, "missing") != v}
    assert not wrong, wrong


def test_html_blank_cell_is_null_with_state_blank_not_zero() -> None:
    report = _gold("015_pingtan_zone_2021.html")
    decoded = decode_report_bytes(report.raw_path.read_bytes(), ".html")
    parsed = parse_report("x", decoded.text, "x.html")
    issued = next(c for c in parsed.cells if c.row_code == "normative_documents" and c.column_code == "issued")
    assert issued.value is None
    assert issued.cell_state == "blank"


def test_script_content_in_html_is_not_report_text() -> None:
    report = _gold("015_pingtan_zone_2021.html")
    decoded = decode_report_bytes(report.raw_path.read_bytes(), ".html")
    parsed = parse_report("x", decoded.text, "x.html")
    assert "var x" not in parsed.normalized_text
