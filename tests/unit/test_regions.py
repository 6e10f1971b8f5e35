"""Region resolution answers only when one code fits, and never contradicts the gold."""

from __future__ import annotations

import pytest

from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.regions import resolve_region
from orchestration.parsing.report import parse_report
from tests import gold

WITH_REGION = [g for g in gold.all_gold() if g.data.get("region_code")]


@pytest.mark.parametrize("report", WITH_REGION, ids=lambda g: g.name)
def test_resolved_region_is_the_gold_one_or_null(report: gold.GoldReport) -> None:
    decoded = decode_report_bytes(report.raw_path.read_bytes(), report.raw_path.suffix)
    parsed = parse_report(report.name, decoded.text, report.raw_path.name)
    assert parsed.region_code in (None, report.data["region_code"])


def test_clean_titles_resolve_to_the_gold_region() -> None:
    resolved = {}
    for report in WITH_REGION:
        decoded = decode_report_bytes(report.raw_path.read_bytes(), report.raw_path.suffix)
        resolved[report.name] = parse_report(report.name, decoded.text, report.raw_path.name).region_code
    assert resolved["seeds/003_a53f3851dc57af3f.txt"] == "450600"  # 防城港市行政审批局
    assert resolved["seeds/004_9c37f1e5967ec932.txt"] == "522627"  # 天柱县人民政府
    assert resolved["seeds/000_4ddafd7475420ab8.txt"] == "211403"  # 龙港区 in 2012: only 葫芦岛's exists


def test_name_shared_by_several_divisions_is_null_with_the_candidates() -> None:
    match = resolve_region("朝阳区人民政府", 2015)
    assert match.region_code is None
    assert "110105" in (match.note or "") and "220104" in (match.note or "")


def test_parent_name_printed_beside_picks_the_division() -> None:
    assert resolve_region("长春市朝阳区人民政府", 2015).region_code == "220104"


def test_division_created_later_is_not_valid_before() -> None:
    assert resolve_region("龙港市人民政府", 2012).region_code is None
    assert resolve_region("龙港市人民政府", 2020).region_code == "330383"
