"""Read the gold files (``tests/fixtures/gold``) into the parser's codes, for comparison in tests.

The gold files use printed labels ("三、本年度办理结果/（二）部分公开", "自然人", "行政复议/结果维持"); this
module maps them onto the warehouse's row, column and measure codes through the same map files the parser
reads, so a test compares codes with codes.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from orchestration.parsing import maps
from orchestration.parsing.cells import parse_cell
from orchestration.parsing.normalize import label_key
from orchestration.synthetic.render import ReportFigures

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "fixtures" / "gold"
RAW_DIR = ROOT / "raw"
FORMATS = {
    "prose": "prose",
    "t2019": "fmt2019",
    "t2021": "fmt2021",
    "fmt2019": "fmt2019",
    "fmt2021": "fmt2021",
}
_MARKER = re.compile(r"^(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])")
_TABLE4_GROUPS = {"行政复议": "review", "未经复议直接起诉": "direct", "复议后起诉": "after_review"}


@dataclass(frozen=True)
class GoldReport:
    """One gold file with the path of the raw report it describes."""

    name: str
    raw_path: Path
    data: dict

    @property
    def template_version(self) -> str:
        return FORMATS[self.data["format"]]


def all_gold() -> list[GoldReport]:
    """Every gold file whose report ships in ``raw/``."""
    out = []
    for path in sorted(GOLD_DIR.glob("*/*.gold.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        raw = RAW_DIR / path.parent.name / data["file"]
        out.append(GoldReport(f"{path.parent.name}/{data['file']}", raw, data))
    return out


def _row_code(path: str, version: str) -> str:
    last = _MARKER.sub("", path.split("/")[-1])
    key = label_key(last)
    specs = [s for s in maps.table3_rows(version) if s.kind == "cells"]
    exact = [s for s in specs if label_key(s.label_zh) == key]
    prefix = [s for s in specs if label_key(s.label_zh).startswith(key)]
    chosen = exact or prefix
    assert len(chosen) == 1, f"gold row {path!r} maps to {[s.row_code for s in chosen]}"
    return chosen[0].row_code


def table3_cells(gold: GoldReport) -> dict[tuple[str, str], float | None]:
    """(row_code, applicant_type) -> gold value."""
    columns = {label: code for code, label in maps.table3_columns()}
    out = {}
    for path, row in gold.data.get("table3", {}).items():
        row_code = _row_code(path, gold.template_version)
        for label, value in row.items():
            out[(row_code, columns[label])] = None if value is None else float(value)
    return out


def table4_cells(gold: GoldReport) -> dict[str, float | None]:
    """ "group.result" -> gold value."""
    results = {}
    for group_code, result_code, label in maps.table4_columns():
        results[label] = f"{group_code}.{result_code}"
    out = {}
    for group, row in gold.data.get("table4", {}).items():
        for result_label, value in row.items():
            out[results[f"{group}/{result_label}"]] = None if value is None else float(value)
    assert not gold.data.get("table4") or (len(out) == 15 and set(_TABLE4_GROUPS) == set(gold.data["table4"]))
    return out


def table2_cells(gold: GoldReport, include_unsplit: bool = False) -> dict[tuple[str, str], float | None]:
    """(item, measure) -> gold value; rows the gold could not split (``table2_raw``) are left out unless asked."""
    with (ROOT / "dbt_project" / "seeds" / "proactive_measures.csv").open(encoding="utf-8") as handle:
        measures = {(r["template_version"], label_key(r["label_zh"])): r["measure"] for r in csv.DictReader(handle)}
    items = {label_key(r.label_zh): r.item for r in maps.table2_rows(gold.template_version)}
    unsplit = set() if include_unsplit else set(gold.data.get("table2_raw", {}))
    out = {}
    for _section, rows in gold.data.get("table2", {}).items():
        for row_label, cells in rows.items():
            if row_label in unsplit:
                continue
            for measure_label, value in cells.items():
                key = (
                    items[label_key(row_label)],
                    measures[(gold.template_version, label_key(measure_label))],
                )
                out[key] = _number(value)
    return out


def _number(value: object) -> float | None:
    """A gold value as a number: the gold writes some amounts as printed ("75394432.52元")."""
    if value is None:
        return None
    if isinstance(value, str):
        return parse_cell(value).value
    return float(value)


def figures(report: GoldReport) -> ReportFigures:
    """The gold's tables as renderable figures (codes and values)."""
    table3 = {k: None if v is None else int(v) for k, v in table3_cells(report).items()}
    table4 = {k: None if v is None else int(v) for k, v in table4_cells(report).items()}
    return ReportFigures(
        template_version=report.template_version,
        agency_name=report.data.get("agency") or "某县人民政府",
        report_year=report.data.get("year") or 2020,
        table2=table2_cells(report, include_unsplit=True),
        table3=table3,
        table4=table4,
    )
