"""Every rendering real files use, each on real reports' figures: the parser reads every cell back.

The figures are the gold of a fmt2021 report (015, all cells printed), a fmt2019 report (013) and seed 001
(fmt2019 with blank cells); ``bench.synthetic.render`` prints them the way real files do.
"""

from __future__ import annotations

import re

import pytest

from bench.synthetic.render import STYLES, ReportFigures, render_report
from orchestration.parsing.report import ParsedReport, parse_report
from tests import gold

SOURCES = {
    "fmt2021_015": "real/015_pingtan_zone_2021.txt",
    "fmt2019_013": "real/013_pingtan_zone_2019.txt",
    "fmt2019_blanks_seed001": "seeds/001_168270b2927a7f2f.txt",
}


def _figures(source: str) -> ReportFigures:
    report = next(g for g in gold.all_gold() if g.name == SOURCES[source])
    return gold.figures(report)


def _parse(figures: ReportFigures, style: str) -> ParsedReport:
    text = render_report(figures, style)
    suffix = ".html" if style == "html" else ".txt"
    return parse_report(f"{style}{suffix}", text, f"{style}{suffix}")


def _expected(figures: ReportFigures) -> dict[tuple[str, str, str], float | None]:
    out: dict[tuple[str, str, str], float | None] = {}
    out |= {("table3", r, c): None if v is None else float(v) for (r, c), v in figures.table3.items()}
    out |= {("table4", "reviews_and_litigation", k): None if v is None else float(v) for k, v in figures.table4.items()}
    out |= {("table2", i, m): v for (i, m), v in figures.table2.items()}
    return out


@pytest.mark.parametrize("style", [s for s in STYLES if s != "glued"])
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_rendering_parses_back_to_every_printed_cell(source: str, style: str) -> None:
    figures = _figures(source)
    parsed = _parse(figures, style)
    assert parsed.template_version == figures.template_version
    assert parsed.report_year == figures.report_year
    got = {(c.table_code, c.row_code, c.column_code): c.value for c in parsed.cells}
    expected = _expected(figures)
    wrong = {k: (got.get(k, "missing"), v) for k, v in expected.items() if got.get(k, "missing") != v}
    assert not wrong, wrong
    assert parsed.parse_status == "parsed", parsed.parse_message


@pytest.mark.parametrize("source", ["fmt2021_015", "fmt2019_013"])
def test_glued_rendering_is_split_by_the_identities_or_left_null(source: str) -> None:
    figures = _figures(source)
    # A glued print loses blank cells altogether, so only fully printed figures can be glued faithfully.
    figures.table2 = {k: 0.0 if v is None else v for k, v in figures.table2.items()}
    parsed = _parse(figures, "glued")
    expected = _expected(figures)
    for cell in parsed.cells:
        key = (cell.table_code, cell.row_code, cell.column_code)
        if cell.value is not None:
            assert cell.value == expected[key], key  # never an invented number
        else:
            assert cell.cell_state == "text" and cell.raw_text, key  # NULL only with the printed run kept
    table3_and_4 = [c for c in parsed.cells if c.table_code in ("table3", "table4")]
    assert all(c.value is not None for c in table3_and_4), "table 三 and 四 runs split uniquely here"


def test_subtotal_column_is_kept_as_evidence_but_not_as_an_applicant_type() -> None:
    parsed = _parse(_figures("fmt2021_015"), "subtotal_column")
    subtotal = {c.row_code: c.value for c in parsed.cells if c.column_code == "legal_person_subtotal"}
    assert subtotal["new_received"] == 0 + 0 + 2 + 0 + 4
    assert len({c.column_code for c in parsed.cells if c.table_code == "table3"}) == 8


def test_labels_without_item_numbers_are_found() -> None:
    figures = _figures("fmt2021_015")
    text = render_report(figures, "pipe")
    stripped = re.sub(r"\((?:一|二|三|四|五|六|七)\)|(?<![\d.])\d\.(?=[\u4e00-\u9fff])", "", text)
    stripped = re.sub(r"(?m)^(?:一|二|三|四)、(?=本年|上年|结转)", "", stripped)
    assert "(七)" not in stripped and "1.属于" not in stripped
    parsed = parse_report("x", stripped, "x.txt")
    got = {(c.row_code, c.column_code): c.value for c in parsed.cells if c.table_code == "table3"}
    assert got == {k: None if v is None else float(v) for k, v in figures.table3.items()}


def test_table2_decorations_parse_per_template_measure() -> None:
    figures = _figures("fmt2019_013")
    text = render_report(figures, "pipe")
    text = text.replace("行政许可 | 396 | 0 | 181 |", "行政许可 | 396 | +1036 | 1,234 |")
    text = text.replace("政府集中采购 | 135 | 75394432.52 |", "政府集中采购 | 135 | 251000元 |")
    parsed = parse_report("x", text, "x.txt")
    cells = {(c.row_code, c.column_code): (c.value, c.unit) for c in parsed.cells if c.table_code == "table2"}
    assert cells[("administrative_licensing", "change")] == (1036.0, None)
    assert cells[("administrative_licensing", "decisions")] == (1234.0, None)
    assert cells[("centralized_procurement", "amount_cny")] == (251000.0, "元")
