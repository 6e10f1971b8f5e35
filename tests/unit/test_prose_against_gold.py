"""Simple prose statements (received, reconsiderations, lawsuits) against the gold key figures."""

from __future__ import annotations

import unicodedata

import pytest

from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.report import parse_report
from tests import gold

BASIC_FIELDS = ("applications_received", "administrative_reconsiderations", "administrative_lawsuits")
CASES = [(g, f) for g in gold.all_gold() for f in g.data.get("key_figures", []) if f["field"] in BASIC_FIELDS]


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize(("report", "figure"), CASES, ids=lambda x: getattr(x, "name", None) or x["field"])
def test_first_statement_of_a_basic_field_equals_gold_with_its_sentence(report: gold.GoldReport, figure: dict) -> None:
    decoded = decode_report_bytes(report.raw_path.read_bytes(), report.raw_path.suffix)
    parsed = parse_report(report.name, decoded.text, report.raw_path.name)
    found = [f for f in parsed.figures if f.field == figure["field"]]
    assert found, f"{figure['field']} not found; gold sentence: {figure['sentence']}"
    first = found[0]
    assert first.value == figure["value"]
    mine, theirs = _norm(first.sentence), _norm(figure["sentence"])
    assert theirs in mine or mine in theirs, (first.sentence, figure["sentence"])
    assert parsed.normalized_text[first.sentence_start : first.sentence_end].strip() == first.sentence


@pytest.mark.parametrize("report", gold.all_gold(), ids=lambda g: g.name)
def test_no_basic_prose_figure_contradicts_gold(report: gold.GoldReport) -> None:
    stated = {(f["field"], f["value"]) for f in report.data.get("key_figures", []) if f["field"] in BASIC_FIELDS}
    fields = {f for f, _ in stated}
    decoded = decode_report_bytes(report.raw_path.read_bytes(), report.raw_path.suffix)
    parsed = parse_report(report.name, decoded.text, report.raw_path.name)
    first = {}
    for f in parsed.figures:
        first.setdefault(f.field, f.value)
    contradictions = {k: v for k, v in first.items() if k in fields and (k, v) not in stated}
    assert not contradictions
