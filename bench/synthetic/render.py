"""Render a report's table figures in the ways real files print them.

One set of figures (codes and values) becomes a report text in a chosen rendering: an HTML page, pipe-flattened
text, whitespace columns, one cell per line, vertical or split labels, page footers inside the table, a
法人 subtotal column, a traditional-Chinese mirror, or every cell glued into one digit run. Tests render the
gold figures of real reports this way and check that the parser reads them back; the synthetic corpus and the
benchmark use the same renderings. Labels come from the parser's own maps and the dbt seeds, so a new label
variant is rendered and parsed from one place.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from html import escape
from typing import Any

from orchestration.parsing import maps
from orchestration.settings import DBT_PROJECT_DIR

STYLES = (
    "html",
    "pipe",
    "whitespace",
    "cell_per_line",
    "vertical_labels",
    "split_labels",
    "glued",
    "page_numbers",
    "subtotal_column",
    "subtotal_rows",
    "traditional",
)
APPLICANT_HEADER = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
TABLE4_GROUPS = (("review", "行政复议"), ("direct", "未经复议直接起诉"), ("after_review", "复议后起诉"))
TABLE4_RESULTS = ("upheld", "corrected", "other", "pending", "total")
RESULT_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


@dataclass
class ReportFigures:
    """The statistics of one report in the warehouse's codes; None is a blank cell."""

    template_version: str
    agency_name: str
    report_year: int
    table2: dict[tuple[str, str], float | None] = field(default_factory=dict)
    table3: dict[tuple[str, str], int | None] = field(default_factory=dict)
    table4: dict[str, int | None] = field(default_factory=dict)


@cache
def measure_labels() -> dict[tuple[str, str], str]:
    """(template_version, measure) -> printed column label, from the dbt seed."""
    with (DBT_PROJECT_DIR / "seeds" / "proactive_measures.csv").open(encoding="utf-8") as handle:
        return {(r["template_version"], r["measure"]): r["label_zh"] for r in csv.DictReader(handle)}


def _value(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class _Row:
    """A printable row: its label (with item marker), its values, and whether it is a heading."""

    label: str
    values: tuple[str, ...]
    heading: bool = False


def _table2_rows(figures: ReportFigures) -> list[tuple[str, list[str], list[_Row]]]:
    """Table 二 as (section title, column labels, rows) blocks, in print order."""
    blocks: list[tuple[str, list[str], list[_Row]]] = []
    for spec in maps.table2_rows(figures.template_version):
        columns = [measure_labels()[(figures.template_version, m)] for m in spec.measures]
        values = tuple(_value(figures.table2.get((spec.item, m))) for m in spec.measures)
        if not blocks or blocks[-1][0] != spec.section_zh:
            blocks.append((spec.section_zh, columns, []))
        blocks[-1][2].append(_Row(spec.label_zh, values))
    return blocks


def _table3_rows(
    figures: ReportFigures,
    columns: tuple[str, ...],
    table3: dict[tuple[str, str], int | None],
    group_subtotals: bool = False,
) -> list[_Row]:
    """Table 三's rows in print order; with ``group_subtotals`` a group heading carries its rows' sums."""
    specs = maps.table3_rows(figures.template_version)
    rows = []
    for index, spec in enumerate(specs):
        label = spec.item_marker + spec.label_zh
        if spec.kind == "heading":
            values: tuple[str, ...] = ()
            children = []
            for child in specs[index + 1 :]:
                if child.kind == "heading" or not child.item_marker[:1].isdigit():
                    break
                children.append(child.row_code)
            if group_subtotals and children:
                sums = []
                for c in columns:
                    parts = [table3.get((r, c)) for r in children]
                    sums.append(_value(None if None in parts else sum(parts)))  # type: ignore[arg-type]
                values = tuple(sums)
            rows.append(_Row(label, values, heading=True))
        else:
            rows.append(_Row(label, tuple(_value(table3.get((spec.row_code, c))) for c in columns)))
    return rows


def _table4_values(figures: ReportFigures) -> list[str]:
    return [_value(figures.table4.get(f"{g}.{r}")) for g, _ in TABLE4_GROUPS for r in TABLE4_RESULTS]


def _with_subtotal(figures: ReportFigures) -> tuple[tuple[str, ...], dict[tuple[str, str], int | None]]:
    """Table 三 with a 法人 subtotal column (Σ five organisation columns) after 其他, as some reports print it."""
    organisations = STANDARD_COLUMNS[1:6]
    table3 = dict(figures.table3)
    for spec in maps.table3_rows(figures.template_version):
        if spec.kind != "cells":
            continue
        parts = [table3.get((spec.row_code, c)) for c in organisations]
        table3[(spec.row_code, "legal_person_subtotal")] = (
            None if any(p is None for p in parts) else sum(parts)  # type: ignore[misc]
        )
    return ("natural_person", *organisations, "legal_person_subtotal", "total"), table3


STANDARD_COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)


# --- text renderings: each formats a row's label and values -------------------------------------------------


def _line_formatter(style: str) -> Callable[[_Row], str]:
    def pipe(row: _Row) -> str:
        if row.heading and not row.values:
            return f"{row.label} |"
        return f"{row.label} | " + " | ".join(row.values) + " |"

    def whitespace(row: _Row) -> str:
        return row.label if row.heading else row.label + "  " + "  ".join(v or "/" for v in row.values)

    def cell_per_line(row: _Row) -> str:
        return row.label if row.heading else "\n".join((row.label, *row.values))

    def vertical(row: _Row) -> str:
        if row.heading:
            return "\n".join(row.label)
        return whitespace(row)

    def split(row: _Row) -> str:
        label = row.label
        if len(label) > 8:
            half = len(label) // 2
            label = label[:half] + "\n" + label[half:]
        return label if row.heading else label + "  " + "  ".join(v or "/" for v in row.values)

    def glued(row: _Row) -> str:
        return row.label + "".join(row.values)

    return {
        "pipe": pipe,
        "traditional": pipe,
        "subtotal_rows": pipe,
        "whitespace": whitespace,
        "page_numbers": whitespace,
        "subtotal_column": whitespace,
        "cell_per_line": cell_per_line,
        "vertical_labels": vertical,
        "split_labels": split,
        "glued": glued,
    }[style]


def _tables_as_text(figures: ReportFigures, style: str) -> str:
    line = _line_formatter(style)
    joiner = "" if style == "glued" else "\n"
    parts = ["二、主动公开政府信息情况"]
    for section, columns, rows in _table2_rows(figures):
        header = f"{section}信息内容" + ("" if style == "glued" else " ") + " ".join(columns)
        parts += [header, *(line(r) for r in rows)]
    columns, table3 = _with_subtotal(figures) if style == "subtotal_column" else (STANDARD_COLUMNS, figures.table3)
    header = "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 " + (
        "小计 " if style == "subtotal_column" else ""
    )
    parts += [
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况",
        "法人或其他组织",
        header + "总计",
    ]
    rows = [line(r) for r in _table3_rows(figures, columns, table3, group_subtotals=style == "subtotal_rows")]
    if style == "page_numbers":
        rows.insert(len(rows) // 2, "- 3 -")
        rows.insert(len(rows) // 2 + 5, "第 4 页 共 9 页")
    parts += rows
    values = _table4_values(figures)
    parts += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        " ".join(RESULT_LABELS) + " 未经复议直接起诉 复议后起诉",
        " ".join(RESULT_LABELS * 2),
    ]
    if style == "glued":
        parts.append("".join(values))
    elif style in ("pipe", "traditional", "subtotal_rows"):
        parts.append(" | ".join(values) + " |")
    elif style == "cell_per_line":
        parts.append("\n".join(values))
    else:
        parts.append("  ".join(v or "/" for v in values))
    return joiner.join(parts)


def _tables_as_html(figures: ReportFigures) -> str:
    out = ["<p>二、主动公开政府信息情况</p>"]
    for section, columns, rows in _table2_rows(figures):
        out.append(f'<table><tr><td colspan="{len(columns) + 1}">{escape(section)}</td></tr>')
        out.append("<tr><td>信息内容</td>" + "".join(f"<td>{escape(c)}</td>" for c in columns) + "</tr>")
        for row in rows:
            cells = "".join(f"<td>{escape(v) or '&nbsp;'}</td>" for v in row.values)
            out.append(f"<tr><td>{escape(row.label)}</td>{cells}</tr>")
        out.append("</table>")
    out.append("<p>三、收到和处理政府信息公开申请情况</p><table>")
    out.append(
        '<tr><td rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
        '<td colspan="7">申请人情况</td></tr>'
    )
    out.append('<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>')
    out.append("<tr>" + "".join(f"<td>{c}</td>" for c in APPLICANT_HEADER[1:6]) + "</tr>")
    for row in _table3_rows(figures, STANDARD_COLUMNS, figures.table3):
        if row.heading:
            out.append(f'<tr><td rowspan="1">{escape(row.label)}</td></tr>')
            continue
        cells = "".join(f"<td>{escape(v) or '&nbsp;'}</td>" for v in row.values)
        out.append(f"<tr><td>{escape(row.label)}</td>{cells}</tr>")
    out.append("</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table>")
    out.append('<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>')
    out.append(
        "<tr>"
        + "".join(f'<td rowspan="2">{r}</td>' for r in RESULT_LABELS)
        + '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>'
    )
    out.append("<tr>" + "".join(f"<td>{r}</td>" for r in RESULT_LABELS * 2) + "</tr>")
    out.append("<tr>" + "".join(f"<td>{escape(v) or '&nbsp;'}</td>" for v in _table4_values(figures)) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _prose(figures: ReportFigures) -> tuple[str, str, str]:
    title = f"{figures.agency_name}{figures.report_year}年政府信息公开工作年度报告"
    intro = (
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告所列数据的统计期限自{figures.report_year}年1月1日起至"
        f"{figures.report_year}年12月31日止。\n一、总体情况\n{figures.report_year}年，我单位认真贯彻落实《条例》，"
        "扎实推进政府信息公开工作。"
    )
    outro = "五、存在的主要问题及改进情况\n信息公开的及时性有待提高。\n六、其他需要报告的事项\n无。"
    return title, intro, outro


def render_report(figures: ReportFigures, style: str) -> str:
    """The whole report text (or HTML page) with its tables in ``style`` (one of ``STYLES``)."""
    title, intro, outro = _prose(figures)
    if style == "html":
        return (
            f"<!DOCTYPE html><html><head><title>{escape(title)}</title><style>td{{padding:2px}}</style></head>"
            f"<body><h1>{escape(title)}</h1><p>{escape(intro)}</p>\n{_tables_as_html(figures)}\n"
            f"<p>{escape(outro)}</p></body></html>\n"
        )
    text = f"{title}\n{intro}\n{_tables_as_text(figures, style)}\n{outro}\n"
    if style == "traditional":
        text = _to_traditional().convert(text)
    return text


@cache
def _to_traditional() -> Any:  # opencc.OpenCC, imported only where traditional text is rendered
    """One converter per process: building it loads its dictionaries (about 0.1 s, a third of generation)."""
    import opencc

    return opencc.OpenCC("s2t")
