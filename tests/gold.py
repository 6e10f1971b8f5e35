"""Read the gold files (``tests/fixtures/gold``) into the parser's codes, for comparison in tests.

The gold files use printed labels ("三、本年度办理结果/（二）部分公开", "自然人", "行政复议/结果维持"); this
module maps them onto the warehouse's row, column and measure codes through the same map files the parser
reads, so a test compares codes with codes.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.synthetic.render import ReportFigures
from orchestration.parsing import maps
from orchestration.parsing.cells import parse_cell
from orchestration.parsing.normalize import label_key

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


def row_code_of_label(label: str, version: str) -> str:
    """The table 三 row code of a printed row label (its last part: "（一）予以公开", "2.重复申请")."""
    return _row_code(label, version)


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


# --- figures an analyst would read off a report, for the metrics and cookbook tests -------------------------

_STAT_ROWS = {
    # figure -> test on the 统计表 row label (numbering and 其中： stripped)
    "received": lambda label: "受理" in label and "申请" in label,
    "disclosed": lambda label: "同意公开" in label,
    "replies": lambda label: label.startswith("对申请的答复"),
    "partially_disclosed": lambda label: "同意部分公开" in label,
    "refused": lambda label: "否决公开" in label or "不予公开" in label,
    "other_reply": lambda label: "其他类型答复" in label,
    "proactively_disclosed": lambda label: label.startswith("主动公开"),
    "administrative_reconsiderations": lambda label: label.startswith("行政复议"),
    "administrative_lawsuits": lambda label: label.startswith("行政诉讼"),
}
_STAT_OUTCOMES = ("disclosed", "partially_disclosed", "refused", "other_reply")


def source_path(gold: GoldReport) -> str:
    """The report's path relative to ``raw/`` (``dim_report.source_path``)."""
    return gold.name


def gold_region(gold: GoldReport) -> str:
    """Where the report comes from as the corpus describes it: MANIFEST's region text, or a seed's code."""
    if "region_code" in gold.data:
        return str(gold.data["region_code"])
    with (GOLD_DIR / "real" / "MANIFEST.csv").open(encoding="utf-8") as handle:
        regions = {row["file"]: row["region"] for row in csv.DictReader(handle)}
    return regions[gold.data["file"]]


_PARENT_NOTE = re.compile(r"(?:[\u4e00-\u9fff]{1,10}?(?:市|区|县|州|盟|旗))+")


def agency_name(gold: GoldReport) -> str:
    """The gold's agency as the contract names it: full, with the parents its bracketed note gives.

    The gold writes notes in brackets: parents ("汤浦镇人民政府（绍兴市上虞区）" → 绍兴市上虞区汤浦镇人民政府),
    the body's kind ("平潭综合实验区（管委会，汇总全区）" → 平潭综合实验区管理委员会) or other remarks
    ("…地方税务局（文中称平潭县地税局）", dropped); 管委会 is written out as the official 管理委员会.
    """
    name = gold.data.get("agency") or ""
    note = re.search(r"[（(]([^）)]*)[）)]", name)
    base = re.sub(r"[（(].*?[）)]", "", name)
    if note and "管委会" in note.group(1):
        base += "管委会"
    elif note and _PARENT_NOTE.fullmatch(note.group(1)):
        base = note.group(1) + base
    return base.replace("管委会", "管理委员会")


def stat_figure(gold: GoldReport, figure: str) -> float | None:
    """The 统计表's value of one figure for the report's year, or None without such a row."""
    year_column = f"{gold.data.get('year')}年度"
    for label, cells in gold.data.get("stat_table", {}).items():
        bare = _MARKER.sub("", label.removeprefix("其中：").removeprefix("其中:"))
        if _STAT_ROWS[figure](bare) and year_column in cells:
            value = cells[year_column]
            return None if value is None else float(value)
    return None


def key_figure(gold: GoldReport, field: str) -> float | None:
    """A prose key figure, or None when the gold lists none."""
    values = [float(k["value"]) for k in gold.data.get("key_figures", []) if k["field"] == field]
    return values[0] if values else None


def received(gold: GoldReport) -> float | None:
    """Applications received: table 三's 新收 总计, else the 统计表's 受理 row, else the prose."""
    if gold.data.get("table3"):
        return table3_cells(gold).get(("new_received", "total"))
    stat = stat_figure(gold, "received")
    return stat if stat is not None else key_figure(gold, "applications_received")


def processed(gold: GoldReport) -> float | None:
    """Applications handled: table 三's （七）总计, else the 统计表's 答复 row, else the prose replies."""
    if gold.data.get("table3"):
        return table3_cells(gold).get(("total_processed", "total"))
    stat = stat_figure(gold, "replies")
    return stat if stat is not None else key_figure(gold, "replies_total")


def prose_outcome_parts(gold: GoldReport) -> list[float]:
    """A prose-era report's printed outcome counts: the 统计表's reply rows if it has them, else the prose's."""
    stat = [stat_figure(gold, figure) for figure in _STAT_OUTCOMES]
    if any(value is not None for value in stat):
        return [value for value in stat if value is not None]
    return [float(k["value"]) for k in gold.data.get("key_figures", []) if k["field"].startswith("legacy_")]


def granted(gold: GoldReport) -> float | None:
    """予以公开 (tables) or 同意公开 (统计表, then prose)."""
    if gold.data.get("table3"):
        return table3_cells(gold).get(("disclosed", "total"))
    stat = stat_figure(gold, "disclosed")
    return stat if stat is not None else key_figure(gold, "legacy_granted")


def outcome_groups() -> dict[str, str]:
    """outcome_code -> outcome_group, from the seed."""
    with (ROOT / "dbt_project" / "seeds" / "outcome_codes.csv").open(encoding="utf-8") as handle:
        return {row["outcome_code"]: row["outcome_group"] for row in csv.DictReader(handle)}


def arithmetic_failures() -> dict[str, set[tuple[str, float, float]]]:
    """Per report, the identities its gold figures break: balance/outcome sum (tables), parts vs received."""
    groups = outcome_groups()
    failures: dict[str, set] = defaultdict(set)
    for gold in all_gold():
        if gold.data.get("table3"):
            cells = table3_cells(gold)
            terms = [cells.get((row, "total")) for row in ("new_received", "carried_over", "total_processed")]
            if None not in terms and terms[0] + terms[1] != terms[2] + (cells.get(("carried_forward", "total")) or 0):
                failures[source_path(gold)].add(("balance", terms[0] + terms[1], terms[2]))
            outcome_cells = [v for (row, col), v in cells.items() if col == "total" and row in groups]
            if None not in outcome_cells and terms[2] is not None and sum(outcome_cells) != terms[2]:
                failures[source_path(gold)].add(("outcome_sum", terms[2], sum(outcome_cells)))
        elif gold.template_version == "prose":
            # the categories break down the applications answered where the prose states them, else received
            answered = key_figure(gold, "replies_total")
            parts, total = prose_outcome_parts(gold), answered if answered is not None else received(gold)
            if parts and total is not None and sum(parts) != total:
                failures[source_path(gold)].add(("prose_outcome_sum", total, sum(parts)))
    return failures


def _outcome_groups() -> dict[str, str]:
    with (ROOT / "dbt_project" / "seeds" / "outcome_codes.csv").open(encoding="utf-8") as handle:
        return {row["outcome_code"]: row["outcome_group"] for row in csv.DictReader(handle)}
