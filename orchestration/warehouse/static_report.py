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

from orchestration.warehouse.svg_charts import Series, stacked_bars

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

STATUSES = (("parsed", "#0072B2"), ("partial", "#E69F00"), ("rejected", "#D55E00"))
COVERAGE_SQL = """
    with provinces as (
        select region_code, any_value(province_code) as province_code, any_value(province_name) as province_name
        from marts.dim_region group by 1
    )
    select coalesce(p.province_code, '') as province_code,
           coalesce(p.province_name, '(region not resolved)') as province_name,
           r.report_year, r.parse_status, count(*) as files
    from marts.dim_report r
    left join marts.dim_agency a on a.agency_id = r.agency_id
    left join provinces p on p.region_code = a.region_code
    group by all
"""
MAX_FAILURES = 300
"""Failures listed one by one (errors first, newest years first); the rest are counted and in SQL."""
FAILURES_SQL = f"""
    select c.report_id, r.source_path, a.agency_name, r.report_year, c.check_code, c.scope, c.severity,
           c.left_value, c.right_value, c.delta, count(*) over () as failures
    from quality.identity_checks c
    join marts.dim_report r using (report_id)
    left join marts.dim_agency a on a.agency_id = r.agency_id
    where c.counts_against_report
    order by c.severity, r.report_year desc nulls last, r.source_path, c.check_code, c.scope
    limit {MAX_FAILURES}
"""
FIGURES = (
    ("new_received", "本年新收"),
    ("carried_over", "上年结转"),
    ("total_processed", "办理结果总计"),
    ("carried_forward", "结转下年"),
    ("disclosed_count", "予以公开"),
    ("partially_disclosed_count", "部分公开"),
    ("withheld_count", "不予公开"),
    ("unable_to_provide_count", "无法提供"),
    ("not_processed_count", "不予处理"),
    ("other_count", "其他处理"),
    ("review_total", "行政复议"),
    ("review_corrected", "复议纠错"),
    ("litigation_total", "行政诉讼"),
    ("litigation_corrected", "诉讼纠错"),
)
"""The figures each failing report's section shows (``marts.metrics_report`` columns, with their labels)."""
REPORT_FIGURES_SQL = f"""
    select m.report_id, r.title, r.source_path, r.template_version, r.parse_status, a.agency_name, m.report_year,
           {", ".join(f"m.{name}" for name, _ in FIGURES)}
    from marts.metrics_report m
    join marts.dim_report r using (report_id)
    left join marts.dim_agency a on a.agency_id = m.agency_id
    where m.report_id in (select unnest($ids))
"""
REPORT_CHECKS_SQL = """
    select report_id, check_code, scope, status, severity, left_value, right_value, delta,
           not_assessable_reason, review_verdict
    from quality.identity_checks
    where report_id in (select unnest($ids)) and status <> 'pass'
    order by report_id, status, check_code, scope
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
    coverage = conn.execute(COVERAGE_SQL).fetchall()
    failures = conn.execute(FAILURES_SQL).fetchall()
    listed = list(dict.fromkeys(row[0] for row in failures))
    figures = {row[0]: row for row in conn.execute(REPORT_FIGURES_SQL, {"ids": listed}).fetchall()}
    report_checks: dict[str, list[tuple]] = {}
    for row in conn.execute(REPORT_CHECKS_SQL, {"ids": listed}).fetchall():
        report_checks.setdefault(row[0], []).append(row[1:])

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
        _coverage(coverage),
        _quality(quality, parse),
        _failures(failures),
        _regions(regions),
        _failing_reports(listed, figures, report_checks),
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


def _year_range(years: list[int]) -> list[int]:
    """Every year from the first to the last: a year without reports keeps its place as a gap."""
    return list(range(min(years), max(years) + 1)) if years else []


def _volumes(years: list[int], by_year_level: dict, received_by_year: dict) -> str:
    levels = [lv for lv in LEVELS if any((y, lv) in by_year_level for y in years)]
    axis = _year_range(years)
    series = [
        Series(level, PALETTE[i % len(PALETTE)], [by_year_level.get((y, level), (0, None))[1] for y in axis])
        for i, level in enumerate(levels)
    ]
    missing = {y: "no report of this year" for y in axis if y not in received_by_year}
    missing |= {y: "no report states applications received" for y in years if received_by_year[y] is None}
    chart = stacked_bars(
        "Applications received (本年新收) by report year and agency level", axis, series, missing=missing
    )
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
    axis = _year_range(years)
    series = [
        Series(f"{group} {GROUP_LABELS[group]}", PALETTE[i], [mix.get((y, group)) for y in axis])
        for i, group in enumerate(GROUPS)
    ]
    missing = {y: "no table-era report of this year" for y in axis if y not in years}
    chart = stacked_bars(
        "Outcome mix of processed applications (table 三, 总计 column)", axis, series, percent=True, missing=missing
    )
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


def _coverage(coverage: list[tuple]) -> str:
    """Files per year by parse status (a chart) and per province and year (a shaded grid)."""
    years = sorted({year for _, _, year, _, _ in coverage if year is not None})
    axis: list[object] = list(_year_range(years))
    if any(year is None for _, _, year, _, _ in coverage):
        axis.append("no year")
    by_year_status: dict[tuple[object, str], int] = {}
    by_province: dict[tuple[str, str], dict[object, dict[str, int]]] = {}
    for code, name, year, status, files in coverage:
        key = "no year" if year is None else year
        by_year_status[(key, status)] = by_year_status.get((key, status), 0) + files
        by_province.setdefault((code, name), {}).setdefault(key, {})[status] = files
    series = [Series(status, colour, [by_year_status.get((y, status)) for y in axis]) for status, colour in STATUSES]
    present = {key for key, _ in by_year_status}
    missing = {y: "no file of this year" for y in axis if y not in present}
    chart = stacked_bars("Files by report year and parse status", axis, series, missing=missing)
    peak = max((sum(cell.values()) for row in by_province.values() for cell in row.values()), default=1)
    head = "".join(f"<th>{_e(y)}</th>" for y in axis)
    rows = []
    for (code, name), cells in sorted(by_province.items(), key=lambda item: (item[0][0] == "", item[0][0])):
        tds = []
        for year in axis:
            cell = cells.get(year, {})
            files = sum(cell.values())
            split = ", ".join(f"{n} {s}" for s, n in sorted(cell.items()))
            shade = f"rgba(0,114,178,{0.12 + 0.78 * files / peak:.2f})" if files else "transparent"
            partial = ' class="num some-partial"' if cell.get("partial") or cell.get("rejected") else ' class="num"'
            tds.append(
                f'<td{partial} style="background:{shade}" title="{_e(name)} {_e(year)}: {_e(split)}" '
                f'data-metric="files" data-province="{_e(code)}" data-year="{_e(year)}" data-value="{files}" '
                f'data-split="{_e(split)}">{files or ""}</td>'
            )
        rows.append(f"<tr><th>{_e(name)}</th>{''.join(tds)}</tr>")
    return (
        '<section id="coverage"><h2>Coverage</h2><p>Every landed file (canonical or not) by the year it reports '
        "on, its parse status, and the province of its agency. A rejected file has no year; a file whose agency "
        "was not placed has no province. Outlined cells hold partial or rejected files (hover for the split).</p>"
        f'{chart}<div class="scroll"><table class="grid"><thead><tr><th>province</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _whole(value: float | None) -> float | int | None:
    """A check's counts as counts: 7.0 prints as 7 (``_number`` would print a float ≤ 1 as a share)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _report_link(report_id: str, agency: str | None, year: int | None) -> str:
    return f'<a href="#report-{_e(report_id)}">{_e(agency or "(agency not resolved)")} {_e(year or "")}</a>'


def _failures(failures: list[tuple]) -> str:
    """Each failing check (not dismissed) with its numbers and a link to its report's figures."""
    total = failures[0][-1] if failures else 0
    rows = "".join(
        f'<tr data-report="{_e(report_id)}" data-check="{_e(code)}" data-scope="{_e(scope)}">'
        f"<td>{_report_link(report_id, agency, year)}<br><small>{_e(path)}</small></td>"
        f"<td>{_e(code)}</td><td>{_e(scope)}</td><td>{_e(severity)}</td>"
        f"{_td(_whole(left), metric='left')}{_td(_whole(right), metric='right')}"
        f"{_td(_whole(delta), metric='delta')}</tr>"
        for report_id, path, agency, year, code, scope, severity, left, right, delta, _ in failures
    )
    more = (
        f"<p>{total - len(failures):,} more failures are not listed: "
        "<code>select * from quality.identity_checks where counts_against_report</code>.</p>"
        if total > len(failures)
        else ""
    )
    return (
        f'<section id="failures"><h2>Failing checks</h2><p id="failure-count" data-value="{total}">{total:,} '
        "failing checks not dismissed by a reviewer, errors first. Each report links to its figures below; the "
        "report itself is kept as printed.</p>"
        "<table><thead><tr><th>report</th><th>check</th><th>scope</th><th>severity</th><th>left</th>"
        f"<th>right</th><th>delta</th></tr></thead><tbody>{rows}</tbody></table>{more}</section>"
    )


def _failing_reports(listed: list[str], figures: dict[str, tuple], checks: dict[str, list[tuple]]) -> str:
    """One section per listed report: where it came from, its key figures and its checks that did not pass."""
    sections = []
    for report_id in listed:
        row = figures.get(report_id)
        if row is None:
            continue
        _, title, path, template, status, agency, year, *values = row
        cells = "".join(
            f"<tr><th>{_e(name)}</th><td>{label}</td>{_td(value, metric=name, report=report_id)}</tr>"
            for (name, label), value in zip(FIGURES, values, strict=True)
        )
        check_rows = "".join(
            f"<tr><td>{_e(code)}</td><td>{_e(scope)}</td><td>{_e(state)}</td><td>{_e(severity)}</td>"
            f"{_td(_whole(left))}{_td(_whole(right))}{_td(_whole(delta))}<td>{_e(reason or verdict or '')}</td></tr>"
            for code, scope, state, severity, left, right, delta, reason, verdict in checks.get(report_id, [])
        )
        sections.append(
            f'<section class="report" id="report-{_e(report_id)}"><h3>{_e(agency or "(agency not resolved)")} '
            f"{_e(year or '')}</h3><p>{_e(title)}<br><code>{_e(path)}</code> · {_e(template)} · {_e(status)} · "
            f"<code>report_id = '{_e(report_id)}'</code></p>"
            f'<div class="side"><table><tbody>{cells}</tbody></table>'
            "<table><thead><tr><th>check</th><th>scope</th><th>status</th><th>severity</th><th>left</th>"
            f"<th>right</th><th>delta</th><th>reason or verdict</th></tr></thead><tbody>{check_rows}</tbody>"
            "</table></div></section>"
        )
    return (
        '<section id="reports"><h2>Reports with failing checks</h2><p>A dash is a figure the report does not '
        "state. Checks listed: every one that did not pass, with why it could not run where it could not.</p>"
        f"{''.join(sections)}</section>"
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
rect.gap {{ fill: #f2f2f2; stroke: #bbb; stroke-dasharray: 3 3; }}
.legend i.gap {{ background: #f2f2f2; border: 1px dashed #bbb; }}
.note {{ color: #666; font-size: 12px; }}
.scroll {{ overflow-x: auto; }} table.grid {{ font-size: 12px; }} table.grid td {{ min-width: 1.8em; }}
td.some-partial {{ outline: 2px solid #E69F00; outline-offset: -2px; }}
section.report {{ border-top: 1px solid #ddd; margin-top: 1em; }} section.report:target {{ background: #fff8e0; }}
.side {{ display: flex; gap: 1.5em; align-items: flex-start; flex-wrap: wrap; }}
</style></head>
<body>
{body}
</body></html>
"""
