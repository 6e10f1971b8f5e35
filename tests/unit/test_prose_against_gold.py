"""Prose figures against the gold key figures: every one found with its sentence, none contradicted."""

from __future__ import annotations

import unicodedata

import pytest

from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.numerals import chinese_number
from orchestration.parsing.prose import extract_prose_figures
from orchestration.parsing.report import ParsedReport, parse_report
from tests import gold

CASES = [(g, f) for g in gold.all_gold() for f in g.data.get("key_figures", [])]


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _clause(text: str, position: int) -> str:
    """From a figure to the end of its clause (the next 。，；:): it must stand in the gold sentence."""
    marks = "。,;:!?\n"
    ends = [i for i in (text.find(m, position) for m in marks) if i >= 0]
    return text[position : min(ends) if ends else len(text)]


def _parse(report: gold.GoldReport) -> ParsedReport:
    decoded = decode_report_bytes(report.raw_path.read_bytes(), report.raw_path.suffix)
    return parse_report(report.name, decoded.text, report.raw_path.name)


@pytest.mark.parametrize(("report", "figure"), CASES, ids=[f"{g.name}:{f['field']}:{f['value']}" for g, f in CASES])
def test_gold_key_figure_is_extracted_with_its_sentence(report: gold.GoldReport, figure: dict) -> None:
    parsed = _parse(report)
    found = [f for f in parsed.figures if f.field == figure["field"] and f.value == figure["value"]]
    assert found, f"{figure['field']}={figure['value']} not found; gold sentence: {figure['sentence']}"
    theirs = _norm(figure["sentence"])
    assert any(_norm(_clause(parsed.normalized_text, f.char_start)) in theirs for f in found), [
        _clause(parsed.normalized_text, f.char_start) for f in found
    ]
    for f in found:
        assert parsed.normalized_text[f.sentence_start : f.sentence_end].strip() == f.sentence
        assert f.sentence_start <= f.char_start < f.char_end <= f.sentence_end


@pytest.mark.parametrize("report", gold.all_gold(), ids=lambda g: g.name)
def test_no_extracted_figure_contradicts_gold(report: gold.GoldReport) -> None:
    stated: dict[str, set[float]] = {}
    for f in report.data.get("key_figures", []):
        stated.setdefault(f["field"], set()).add(f["value"])
    parsed = _parse(report)
    contradictions = [
        (f.field, f.value, f.sentence[:60])
        for f in parsed.figures
        if f.field in stated and f.value not in stated[f.field]
    ]
    assert not contradictions


def test_seed_002_outcome_breakdown_and_results_are_read_with_legacy_codes() -> None:
    report = next(g for g in gold.all_gold() if g.name == "seeds/002_97c419155873b293.txt")
    first = {}
    for f in _parse(report).figures:
        first.setdefault(f.field, f.value)
    assert first == {
        "proactively_disclosed": 77000,
        "applications_received": 99,
        # "共受理依申请公开99件,全部依法办结": every application was handled
        "replies_total": 99,
        "legacy_already_public": 5,
        "legacy_granted": 49,
        "legacy_partially_granted": 3,
        "legacy_refused": 8,
        "legacy_not_own": 9,
        "legacy_not_exist": 10,
        "legacy_duplicate": 10,
        "administrative_reconsiderations": 14,
        "reconsideration_upheld": 11,
        "reconsideration_corrected": 3,
        "administrative_lawsuits": 13,
        "lawsuit_upheld": 11,
        "lawsuit_corrected": 2,
    }


@pytest.mark.parametrize(
    ("sentence", "field", "value"),
    [
        ("全年共受理依申请公开一件。", "applications_received", 1.0),
        ("本年度发生行政复议两起。", "administrative_reconsiderations", 2.0),
        ("全年受理依申请公开十余件。", "applications_received", None),
        ("全年受理依申请公开政府信息12件，同意部分公开67", "legacy_partially_granted", 67.0),
        ("本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。", "carried_forward", 1.0),
        ("上年结转政府信息公开申请3件。", "carried_over", 3.0),
    ],
)
def test_chinese_numerals_and_inexact_counts(sentence: str, field: str, value: float | None) -> None:
    found = [f for f in extract_prose_figures(sentence) if f.field == field]
    assert [f.value for f in found] == [value]


def test_percentages_are_not_counts() -> None:
    figures = extract_prose_figures("同意公开答复占85%。")
    assert not [f for f in figures if f.field == "legacy_granted"]


def test_zero_statement_covers_only_the_measures_it_names() -> None:
    fields = {f.field: f.value for f in extract_prose_figures("2012年度,全区未收到依申请公开请求。")}
    assert fields == {"applications_received": 0.0}


def test_chinese_number_reader() -> None:
    assert [chinese_number(x) for x in ("一", "两", "十", "十二", "二十", "一百零五", "零")] == [
        1,
        2,
        10,
        12,
        20,
        105,
        0,
    ]
