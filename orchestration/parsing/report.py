"""Parse one decoded report into typed records, and many into polars frames.

``parse_report`` is the whole pipeline for one file: normalize, find metadata and sections, detect the
template, read tables 二/三/四 and the prose figures, and decide the parse status. ``parse_reports`` runs it
over a batch and returns polars frames with the declared schemas of ``schemas``.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import polars as pl

from orchestration.parsing import schemas
from orchestration.parsing.agency import resolve_agency
from orchestration.parsing.cells import CELL_STATES
from orchestration.parsing.chrome import strip_chrome
from orchestration.parsing.maps import literal_automaton, mapped_cell_codes, maps_digest, read_map
from orchestration.parsing.metadata import Metadata, extract_metadata, title_with_publisher
from orchestration.parsing.normalize import looks_like_html, normalize_report
from orchestration.parsing.prose import ProseFigure, extract_prose_figures
from orchestration.parsing.sections import Section, detect_template_version, find_sections
from orchestration.parsing.stat_table import STAT_COLUMN_CODES, parse_stat_table
from orchestration.parsing.tables import TABLE4_ROW_CODE, Cell, Issue, parse_table2, parse_table3, parse_table4

PARSER_CODE_VERSION = "1"
_METADATA_ISSUES = frozenset({"year_not_found", "agency_is_spam", "region_unresolved", "agency_unresolved"})
_REPORT_WORDS = re.compile(r"信息公开|资讯公开|政务公开")
_REPORT_MARKERS = re.compile(r"年度报告|年报|工作报告|本报告|统计期限|主动公开政府信息|依申请公开|申请公开")
_PAGE_LINKS = re.compile(r"上一页|下一页|尾页|共\s*\d+\s*条\s*\d+\s*/\s*\d+\s*页")
_LISTED_TITLE = re.compile(
    r"^.{0,40}?(?:19|20)\d{2}\s*年.{0,20}?(?:年度报告|年报|工作报告)\s*(?:(?:19|20)\d{2}-\d{2}-\d{2})?$"
)
LIST_PAGE_OTHER_TEXT = 400
"""A page of report titles with less other text than this (characters) is a list, not a report."""
IMAGE_ONLY_TEXT = 200
"""An HTML page with images and less text than this is a report published as a picture."""


TABLE_CODES = ("table2", "table3", "table4", "stat_table")
"""The tables whose cells the parser reads: the template's 二, 三, 四 and the old 统计表."""


@cache
def cell_code_domains() -> dict[str, tuple[str, ...]]:
    """The closed sets of codes a table cell can carry, from the maps: stored as DuckDB ENUM columns.

    Every code the parser writes comes from a map or a constant here, so the sets are exact; storing them as
    ENUMs instead of strings halves the cost of inserting the cells (~160 per report).
    """
    row_codes, column_codes = mapped_cell_codes()
    return {
        "table_code": TABLE_CODES,
        "row_code": tuple(sorted({*row_codes, TABLE4_ROW_CODE})),
        "column_code": tuple(sorted({*column_codes, *STAT_COLUMN_CODES})),
        "cell_state": CELL_STATES,
    }


def parser_version() -> str:
    """Code version plus a digest of the maps: a change to either re-parses every report."""
    return f"{PARSER_CODE_VERSION}-{maps_digest()}"


@dataclass
class ParsedReport:
    """Everything read from one report."""

    report_id: str
    normalized_text: str
    title: str | None
    report_year: int | None
    published_date: date | None
    agency_name: str | None
    agency_kind: str | None
    region_code: str | None
    is_polluted: bool | None
    template_version: str | None
    parse_status: str
    parse_message: str
    statistics_period_year: int | None = None
    sections: list[Section] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    figures: list[ProseFigure] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


@cache
def _agency_kind_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = sorted(read_map("agency_kinds.csv"), key=lambda r: int(r["order"]))
    return tuple((re.compile(r["pattern"]), r["agency_kind"]) for r in rows)


def agency_kind(agency_name: str | None) -> str | None:
    """The contract's agency kind from the name's ending (``maps/agency_kinds.csv``)."""
    if not agency_name:
        return None
    for pattern, kind in _agency_kind_rules():
        if pattern.search(agency_name):
            return kind
    return "other"


@cache
def _spam_terms() -> tuple[str, ...]:
    return tuple(r["term"].lower() for r in read_map("spam_lexicon.csv"))


@cache
def _spam_automaton() -> object:
    return literal_automaton(_spam_terms())


def spam_terms_in(text: str) -> list[str]:
    """The spam/SEO terms of ``maps/spam_lexicon.csv`` that appear in the text, in lexicon order.

    One pass of an automaton over the text instead of one substring search per term.
    """
    found = {term for _, term in _spam_automaton().iter(text.lower())}  # type: ignore[attr-defined]
    return [term for term in _spam_terms() if term in found] if found else []


def _has_spam(name: str) -> bool:
    """A brand where the agency belongs: a lexicon term, or Latin letters and underscores in a Chinese name."""
    return bool(spam_terms_in(name)) or bool(re.search(r"[A-Za-z]{2,}|_", name))


def _is_list_of_reports(text: str) -> bool:
    """A site's list of its annual reports: two or more report titles (with their dates), page links, and
    little else (a report's own "上一篇/下一篇" links do not count)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    listed = [line for line in lines if _LISTED_TITLE.match(line) and not line.startswith(("上一篇", "下一篇"))]
    rest = sum(len(line) for line in lines) - sum(len(line) for line in listed)
    return len(listed) >= 2 and rest < LIST_PAGE_OTHER_TEXT and bool(_PAGE_LINKS.search(text))


def _rejected(report_id: str, text: str, reason: str) -> ParsedReport:
    return ParsedReport(report_id, text, None, None, None, None, None, None, None, None, "rejected", reason)


def parse_report(report_id: str, decoded_text: str, source_path: str = "") -> ParsedReport:
    """Parse one decoded report.

    Args:
        report_id: the landing's id for the file.
        decoded_text: the file's text as decoded by ``decode_report_bytes``.
        source_path: the file's relative path; its suffix says whether the text is HTML.

    Returns:
        A ``ParsedReport``: status ``parsed`` when every table found was read for certain, ``partial`` when
        some cells or rows could not be, ``rejected`` when the text is not an annual report.
    """
    is_html = source_path.lower().endswith((".html", ".htm")) or looks_like_html(decoded_text)
    normalized = normalize_report(decoded_text, is_html)
    image_only = is_html and len(normalized.text) < IMAGE_ONLY_TEXT and "<img" in decoded_text.lower()
    refusal = _not_a_report(normalized.text, image_only)
    if refusal:
        return _rejected(report_id, normalized.text, refusal)
    meta = extract_metadata(normalized.text)  # page metadata first: the chrome that carries it is stripped next
    text = strip_chrome(normalized.text)
    sections = find_sections(text)
    if not sections and _is_list_of_reports(text):
        return _rejected(report_id, text, "not an OGI annual report: a list of report titles with page links")
    report, publisher_issues = _identify(report_id, text, meta, sections, bool(normalized.mirror_signs))
    if report.template_version != "prose":
        _parse_tables(report, text, sections, report.template_version)
    _read_prose_and_stat_table(report, text)
    report.issues += publisher_issues
    _settle_status(report)
    return report


def _not_a_report(text: str, image_only: bool) -> str | None:
    """Why the normalized text is not an annual report to parse, or None when it may be one."""
    if image_only:
        return "image-only page: the report is published as an image (out of scope)"
    if not text:
        return "no text left after removing markup"
    if not _REPORT_WORDS.search(text):
        return "not an OGI annual report: the text never mentions 信息公开"
    if not _REPORT_MARKERS.search(text):
        return "not an OGI annual report: 信息公开 is mentioned, but no sign of a report (年度报告, 统计期限…)"
    return None


def _identify(
    report_id: str, text: str, meta: Metadata, sections: list[Section], mirrored: bool
) -> tuple[ParsedReport, list[Issue]]:
    """The report's identity (title, year, publisher, region, template, pollution) and what is missing from it.

    A spam brand where the publisher belongs is not taken for the agency: the agency is then read from the
    signature or body, and the title names it instead of the brand.
    """
    spam_agency = meta.agency_name is not None and _has_spam(meta.agency_name)
    agency = resolve_agency(
        text, None if spam_agency else meta.agency_name, meta.report_year, _spam_terms(), meta.page_publisher
    )
    report = ParsedReport(
        report_id=report_id,
        normalized_text=text,
        title=title_with_publisher(meta.title, agency.agency_name) if spam_agency and meta.title else meta.title,
        report_year=meta.report_year,
        published_date=meta.published_date,
        agency_name=agency.agency_name,
        agency_kind=agency_kind(agency.agency_name),
        region_code=agency.region_code,
        is_polluted=bool(spam_terms_in(text)) or mirrored or spam_agency,
        template_version=detect_template_version(text, sections),
        parse_status="parsed",
        parse_message="",
        statistics_period_year=meta.period_year,
        sections=sections,
    )
    issues = []
    if spam_agency:
        issues.append(
            Issue(
                "agency_is_spam",
                "warning",
                f"spam text stands where the agency belongs in the title ('{meta.agency_name}')",
            )
        )
    if agency.region_code is None:
        why = "; ".join(agency.notes) or "no division named"
        issues.append(Issue("region_unresolved", "warning", f"region not resolved: {why}"))
    if agency.agency_name is None:
        issues.append(Issue("agency_unresolved", "warning", "no agency named in the title, signature or text"))
    if meta.report_year is None:
        issues.append(Issue("year_not_found", "warning", "the report year is not stated in title or text"))
    return report, issues


def _read_prose_and_stat_table(report: ParsedReport, text: str) -> None:
    """Figures from sentences, then the old 统计表, whose glued runs the stated figures help to split."""
    report.figures = extract_prose_figures(text)
    stated: dict[str, set[float]] = {}
    for figure in report.figures:
        if figure.value is not None:
            stated.setdefault(figure.field, set()).add(figure.value)
    stat = parse_stat_table(text, stated)
    report.cells += stat.cells
    report.issues += stat.issues


def _settle_status(report: ParsedReport) -> None:
    """Partial when a table or row could not be read for certain; missing metadata does not make it partial."""
    problems = [i for i in report.issues if i.code not in _METADATA_ISSUES]
    report.parse_status = "partial" if problems else "parsed"
    report.parse_message = _summary(report)


def _parse_tables(report: ParsedReport, text: str, sections: list[Section], version: str) -> None:
    by_code = {s.section_code: s for s in sections}
    for code, parse in (
        ("proactive_disclosure", lambda s, e: parse_table2(text, s, e, version)),
        ("requests", lambda s, e: parse_table3(text, s, e, version)),
        ("reviews_and_litigation", lambda s, e: parse_table4(text, s, e)),
    ):
        section = by_code.get(code)
        if section is None:
            report.issues.append(
                Issue(
                    "section_not_found",
                    "error",
                    f"{version} report without a '{code}' section: its table was not read",
                )
            )
            continue
        result = parse(section.content_start, section.char_end)
        report.cells += result.cells
        report.issues += result.issues


def _summary(report: ParsedReport) -> str:
    tables = sorted({c.table_code for c in report.cells})
    read = sum(c.cell_state != "text" for c in report.cells)
    parts = [
        f"{report.template_version}",
        f"tables: {', '.join(tables) if tables else 'none'}",
        f"{read} of {len(report.cells)} cells read",
        f"{len(report.figures)} prose figures",
    ]
    if report.issues:
        parts.append(f"{len(report.issues)} issues: " + "; ".join(i.message for i in report.issues[:3]))
    return " · ".join(parts)


def parse_reports(rows: list[tuple[str, str, str]]) -> dict[str, pl.DataFrame]:
    """Parse a batch of (report_id, decoded_text, source_path) into frames keyed by table name.

    Python's cycle collector is paused meanwhile: parsing allocates ~200 tuples per report and makes no
    reference cycles, and the collector's passes over them cost 8 % of the time. Reference counting still
    frees everything; the collector runs again once the batch is done.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return rows_to_frames(parse_rows(rows))
    finally:
        if collecting:
            gc.enable()


def rows_to_frames(tables: dict[str, list[tuple]]) -> dict[str, pl.DataFrame]:
    """The parser's row tuples as polars frames with the declared schemas."""
    return {name: pl.DataFrame(tables[name], schema=schema, orient="row") for name, schema in schemas.TABLES.items()}


def parse_rows(rows: list[tuple[str, str, str]]) -> dict[str, list[tuple]]:
    """Parse a batch into plain row tuples per table, in the column order of ``schemas``."""
    version = parser_version()
    reports, sections, cells, figures, issues = [], [], [], [], []
    for report_id, text, path in rows:
        r = parse_report(report_id, text, path)
        reports.append(
            (
                r.report_id,
                r.normalized_text,
                r.title,
                r.report_year,
                r.statistics_period_year,
                r.published_date,
                r.agency_name,
                r.agency_kind,
                r.region_code,
                r.is_polluted,
                r.template_version,
                r.parse_status,
                r.parse_message,
                version,
            )
        )
        sections += [
            (report_id, i, s.section_code, s.heading, s.char_start, s.char_end) for i, s in enumerate(r.sections, 1)
        ]
        cells += [(report_id, *cell) for cell in r.cells]  # Cell and ProseFigure fields are in column order
        figures += [(report_id, *figure) for figure in r.figures]
        issues += [(report_id, i.code, i.severity, i.message, i.char_start, i.char_end) for i in r.issues]
    return {
        "reports": reports,
        "sections": sections,
        "table_cells": cells,
        "prose_figures": figures,
        "parse_issues": issues,
    }
