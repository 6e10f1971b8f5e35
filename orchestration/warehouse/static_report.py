"""A static HTML report of the published warehouse: volumes, outcome mix, quality and region tables.

Written after every publish, from the published file itself (read-only), so the pictures show exactly what
analysts query. Plain HTML with inline SVG charts: it opens from disk in any browser, without a server,
scripts or network access. Every number in a chart also appears in a table cell carrying ``data-*``
attributes, which is what the tests parse.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

LEVELS = ("national", "provincial", "prefectural", "county", "township", "unknown")
GROUPS = ("disclosed", "partially_disclosed", "withheld", "unable_to_provide", "not_processed", "other")
GROUP_LABELS = {
    "disclosed": "予以公开",
    "partially_disclosed": "部分公开",
    "withheld": "不予公开",
    "unable_to_provide": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}
# colour-blind-safe palette (Okabe–Ito)
PALETTE = ("#0072B2", "#56B4E9", "#D55E00", "#E69F00", "#CC79A7", "#999999")

VOLUMES_SQL = """
    select r.report_year, coalesce(a.admin_level, 'unknown') as admin_level,
           count(*) as reports, sum(m.new_received) as new_received
    from marts.metrics_report m
    join marts.dim_report r using (report_id)
    left join marts.dim_agency a on a.agency_id = m.agency_id
    where r.report_year is not null
    group by all order by 1, 2
"""
OUTCOMES_SQL = """
    select report_year, outcome_group, sum(count) as applications
    from marts.fct_outcomes
    where applicant_type = 'total' and outcome_code not like 'legacy%' and report_year is not null
    group by all order by 1, 2
"""
QUALITY_SQL = """
    select check_code, severity,
           count(*) filter (where status = 'pass') as passed,
           count(*) filter (where counts_against_report) as failed,
           count(*) filter (where status = 'fail' and review_verdict = 'dismissed') as dismissed,
           count(*) filter (where status = 'not_assessable') as not_assessable
    from quality.identity_checks
    group by all order by severity, check_code
"""
PARSE_SQL = "select parse_status, count(*) from marts.dim_report group by 1 order by 1"
REGIONS_SQL = """
    select region_code, region_name, report_year, reports, new_received, total_processed, grant_rate,
           review_correction_rate, reports_failing_identities
    from marts.metrics_region_year
    where region_level = 'provincial'
    order by report_year desc, new_received desc nulls last, region_code
"""


@dataclass(frozen=True)
class ReportSummary:
    """What the written report shows, for the Dagster materialization."""

    path: Path
    reports: int
    years: int
    new_received: int | None
    failed_checks: int


def write_static_report(warehouse: Path, out_path: Path) -> ReportSummary:
    """Render the report of ``warehouse`` into ``out_path`` (replaced atomically: a reader never sees half)."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        page, summary = _render(conn, out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    staging = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    try:
        staging.write_text(page, encoding="utf-8")
        os.replace(staging, out_path)
    finally:
        staging.unlink(missing_ok=True)
    return summary


def _render(conn: duckdb.DuckDBPyConnection, out_path: Path) -> tuple[str, ReportSummary]:
    info = dict(conn.execute("select key, value from meta.build_info").fetchall())
    volumes = conn.execute(VOLUMES_SQL).fetchall()
    outcomes = conn.execute(OUTCOMES_SQL).fetchall()
    quality = conn.execute(QUALITY_SQL).fetchall()
    parse = conn.execute(PARSE_SQL).fetchall()
    regions = conn.execute(REGIONS_SQL).fetchall()

    years = sorted({row[0] for row in volumes})
    by_year_level = {(year, level): (reports, received) for year, level, reports, received in volumes}
    received_by_year = {
        year: _sum_known(by_year_level.get((year, level), (0, None))[1] for level in LEVELS) for year in years
    }
    mix = {(year, group): value for year, group, value in outcomes}
    mix_years = sorted({year for year, _, _ in outcomes})
    total_reports = sum(count for _, count in parse)
    failed = sum(row[3] for row in quality)

    sections = [
        _header(info, parse, total_reports),
        _volumes(years, by_year_level, received_by_year),
        _outcome_mix(mix_years, mix),
        _quality(quality, parse),
        _regions(regions),
    ]
    page = _page("\n".join(sections), info)
    known = [v for v in received_by_year.values() if v is not None]
    summary = ReportSummary(out_path, total_reports, len(years), sum(known) if known else None, failed)
    return page, summary


def _sum_known(values) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _number(value: object) -> str:
    if value is None:
        return '<span class="null">—</span>'
    if isinstance(value, float):
        return f"{value:.1%}" if value <= 1.0 else f"{value:,.1f}"
    return f"{value:,}"


def _td(value: object, **data: object) -> str:
    attrs = "".join(f' data-{key.replace("_", "-")}="{_e(v)}"' for key, v in data.items())
    raw = "" if value is None else (repr(value) if isinstance(value, float) else str(value))
    return f'<td class="num"{attrs} data-value="{_e(raw)}">{_number(value)}</td>'


def _header(info: dict[str, str], parse: list[tuple], total: int) -> str:
    statuses = ", ".join(f"{count} {_e(status)}" for status, count in parse)
    return (
        f"<header><h1>政府信息公开工作年度报告 · warehouse report</h1>"
        f'<p>Build <code id="run-id">{_e(info.get("dagster_run_id"))}</code>, published '
        f'<time id="published-at">{_e(info.get("published_at"))}</time>, DuckDB {_e(info.get("duckdb_version"))}. '
        f'<span id="report-count" data-value="{total}">{total}</span> raw files ({statuses}). '
        "A dash (—) is a figure no report states: never a zero.</p></header>"
    )


def _bar_chart(
    title: str, categories: list[object], series: list[tuple[str, str, list[float | None]]], percent: bool = False
) -> str:
    """Stacked vertical bars: one bar per category, one stacked segment per series (None segments skipped)."""
    width, height, left, bottom, top = 640, 260, 48, 28, 12
    totals = [sum(values[i] or 0 for _, _, values in series) for i in range(len(categories))]
    peak = max([t for t in totals if t] or [1])
    scale = 1.0 if percent else peak
    slot = (width - left - 8) / max(len(categories), 1)
    bar = max(min(slot * 0.7, 48), 2)
    parts = [
        f'<svg role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height + bottom + top}" '
        f'width="{width}" height="{height + bottom + top}" class="chart">',
        f'<line x1="{left}" y1="{top + height}" x2="{width}" y2="{top + height}" stroke="#444"/>',
        f'<text x="4" y="{top + 10}" class="axis">{"100%" if percent else f"{peak:,.0f}"}</text>',
        f'<text x="4" y="{top + height}" class="axis">0</text>',
    ]
    for i, category in enumerate(categories):
        x = left + i * slot + (slot - bar) / 2
        y = top + height
        denominator = totals[i] if percent else scale
        for name, colour, values in series:
            value = values[i]
            if not value or not denominator:
                continue
            h = height * value / denominator
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}" '
                f'data-category="{_e(category)}" data-series="{_e(name)}" data-value="{value}">'
                f"<title>{_e(category)} · {_e(name)}: {value:,}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{top + height + 16}" text-anchor="middle" class="axis">'
            f"{_e(category)}</text>"
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span class="key"><i style="background:{colour}"></i>{_e(name)}</span>' for name, colour, _ in series
    )
    return f'<figure><figcaption>{_e(title)}</figcaption>{"".join(parts)}<div class="legend">{legend}</div></figure>'


def _volumes(years: list[int], by_year_level: dict, received_by_year: dict) -> str:
    levels = [lv for lv in LEVELS if any((y, lv) in by_year_level for y in years)]
    series = [
        (level, PALETTE[i % len(PALETTE)], [by_year_level.get((y, level), (0, None))[1] for y in years])
        for i, level in enumerate(levels)
    ]
    chart = _bar_chart("Applications received (本年新收) by report year and agency level", years, series)
    rows = []
    for year in years:
        cells = "".join(
            _td(by_year_level.get((year, level), (None, None))[0], metric="reports", year=year, level=level)
            + _td(by_year_level.get((year, level), (None, None))[1], metric="new-received", year=year, level=level)
            for level in levels
        )
        rows.append(
            f"<tr><th>{year}</th>{cells}{_td(received_by_year[year], metric='new-received', year=year, level='all')}"
            "</tr>"
        )
    sub = "".join("<th>reports</th><th>received</th>" for _ in levels)
    return (
        '<section id="volumes"><h2>Volumes by year and level</h2>'
        "<p>Canonical reports (one per agency and year) and the applications they received, summed over the "
        "reports that state the figure.</p>"
        f"{chart}<table><thead><tr><th rowspan=2>year</th>"
        + "".join(f"<th colspan=2>{_e(level)}</th>" for level in levels)
        + f"<th rowspan=2>all received</th></tr><tr>{sub}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + "</section>"
    )


def _outcome_mix(years: list[int], mix: dict) -> str:
    series = [
        (f"{group} {GROUP_LABELS[group]}", PALETTE[i], [mix.get((y, group)) for y in years])
        for i, group in enumerate(GROUPS)
    ]
    chart = _bar_chart("Outcome mix of processed applications (table 三, 总计 column)", years, series, percent=True)
    head = "".join(f"<th>{_e(group)}<br>{GROUP_LABELS[group]}</th>" for group in GROUPS)
    rows = "".join(
        f"<tr><th>{year}</th>"
        + "".join(_td(mix.get((year, g)), metric="outcome", year=year, group=g) for g in GROUPS)
        + "</tr>"
        for year in years
    )
    return (
        '<section id="outcomes"><h2>Outcome mix</h2><p>Table-era reports (2019 and 2021 formats); prose-era '
        "categories are not mixed in.</p>"
        f"{chart}<table><thead><tr><th>year</th>{head}</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _quality(quality: list[tuple], parse: list[tuple]) -> str:
    rows = "".join(
        f"<tr><th>{_e(code)}</th><td>{_e(severity)}</td>"
        + "".join(
            _td(value, metric=name, check=code)
            for name, value in zip(("passed", "failed", "dismissed", "not-assessable"), counts, strict=True)
        )
        + "</tr>"
        for code, severity, *counts in quality
    )
    status = "".join(f"<tr><th>{_e(s)}</th>{_td(n, metric='files', status=s)}</tr>" for s, n in parse)
    return (
        '<section id="quality"><h2>Quality status</h2>'
        "<p>Failed = failed and not dismissed by a reviewer. Errors are identities the template imposes; "
        "warnings compare prose, years and regions.</p>"
        "<table><thead><tr><th>check</th><th>severity</th><th>passed</th><th>failed</th><th>dismissed</th>"
        f"<th>not assessable</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<h3>Files by parse status</h3><table><tbody>{status}</tbody></table></section>"
    )


def _regions(regions: list[tuple]) -> str:
    rows = "".join(
        f"<tr><td>{_e(code)}</td><th>{_e(name)}</th><td>{year}</td>"
        + _td(reports, metric="reports", region=code, year=year)
        + _td(received, metric="new-received", region=code, year=year)
        + _td(processed, metric="total-processed", region=code, year=year)
        + _td(grant, metric="grant-rate", region=code, year=year)
        + _td(review, metric="review-correction-rate", region=code, year=year)
        + _td(failing, metric="reports-failing-identities", region=code, year=year)
        + "</tr>"
        for code, name, year, reports, received, processed, grant, review, failing in regions
    )
    return (
        '<section id="regions"><h2>Provinces by year</h2><p>From <code>marts.metrics_region_year</code> '
        "(prefecture and county rows are there too). Rates are ratios of sums over the reports that state both "
        "terms.</p><table><thead><tr><th>code</th><th>province</th><th>year</th><th>reports</th>"
        "<th>received</th><th>processed</th><th>grant rate</th><th>review correction rate</th>"
        f"<th>reports failing identities</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _page(body: str, info: dict[str, str]) -> str:
    return f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<title>ogi-warehouse report · {_e(info.get("published_at"))}</title>
<style>
body {{ font: 14px/1.45 system-ui, "Noto Sans CJK SC", sans-serif; margin: 2em auto; max-width: 980px;
       color: #222; padding: 0 1em; }}
table {{ border-collapse: collapse; margin: .5em 0 1.5em; }}
th, td {{ border: 1px solid #ddd; padding: 2px 8px; }}
thead th {{ background: #f4f4f4; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.null {{ color: #aaa; }}
.axis {{ font-size: 11px; fill: #555; }}
.legend .key {{ margin-right: 1em; white-space: nowrap; }}
.legend i {{ display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: -1px; }}
figure {{ margin: 1em 0; }} figcaption {{ font-weight: 600; margin-bottom: .3em; }}
</style></head>
<body>
{body}
</body></html>
"""
