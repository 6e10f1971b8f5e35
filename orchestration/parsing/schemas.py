"""Declared polars schemas of the parser's output tables (schema ``parsed`` in the build database)."""

from __future__ import annotations

import polars as pl

REPORTS = {
    "report_id": pl.Utf8,
    "normalized_text": pl.Utf8,
    "title": pl.Utf8,
    "report_year": pl.Int32,
    "statistics_period_year": pl.Int32,
    "published_date": pl.Date,
    "agency_name": pl.Utf8,
    "agency_kind": pl.Utf8,
    "region_code": pl.Utf8,
    "is_polluted": pl.Boolean,
    "template_version": pl.Utf8,
    "parse_status": pl.Utf8,
    "parse_message": pl.Utf8,
    "parser_version": pl.Utf8,
}
SECTIONS = {
    "report_id": pl.Utf8,
    "section_no": pl.Int32,
    "section_code": pl.Utf8,
    "heading": pl.Utf8,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
}
TABLE_CELLS = {
    "report_id": pl.Utf8,
    "table_code": pl.Utf8,
    "row_code": pl.Utf8,
    "column_code": pl.Utf8,
    "row_label_zh": pl.Utf8,
    "column_label_zh": pl.Utf8,
    "raw_text": pl.Utf8,
    "value": pl.Float64,
    "cell_state": pl.Utf8,
    "unit": pl.Utf8,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
}
PROSE_FIGURES = {
    "report_id": pl.Utf8,
    "field": pl.Utf8,
    "value": pl.Float64,
    "rule_id": pl.Utf8,
    "sentence": pl.Utf8,
    "sentence_start": pl.Int32,
    "sentence_end": pl.Int32,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
}
PARSE_ISSUES = {
    "report_id": pl.Utf8,
    "issue_code": pl.Utf8,
    "severity": pl.Utf8,
    "message": pl.Utf8,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
}
TABLES: dict[str, dict[str, pl.DataType]] = {
    "reports": REPORTS,
    "sections": SECTIONS,
    "table_cells": TABLE_CELLS,
    "prose_figures": PROSE_FIGURES,
    "parse_issues": PARSE_ISSUES,
}
"""Every parser output table (schema ``parsed`` in the build database) with its declared schema."""
