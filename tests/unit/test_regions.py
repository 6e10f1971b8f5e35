"""Region resolution answers only when one code fits, and never contradicts the gold."""

from __future__ import annotations

import pytest

from orchestration.parsing import regions
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


TOWNSHIP_IN_TWO_PROVINCES = (
    "青口镇2024年政府信息公开年度报告\n"
    "按照《中华人民共和国政府信息公开条例》要求，结合本镇工作实际，连云港市赣榆区青口镇党政办公室编制完成本年度报告。"
    "本报告可在赣榆区政府政府信息公开专栏下载。联系地址：连云港市赣榆区振兴大街221号；邮编：222000；"
    "电话：0518-4253897。\n一、总体情况\n按照连云港市要求，全镇围绕连云港市部署，公开政府信息136条。\n"
)


def test_a_township_name_two_provinces_share_is_told_apart_by_the_body() -> None:
    # 青口镇 is in 连云港市赣榆区 (Jiangsu) and in 闽侯县 (Fujian); the body names the city, the district, the
    # compiling office and a Lianyungang telephone. The city is named as often as the township, which must not
    # leave the township unresolved: only the two 青口镇 are candidates.
    parsed = parse_report("qingkou", TOWNSHIP_IN_TWO_PROVINCES)
    assert parsed.region_code == "320707100"
    assert parsed.agency_name == "连云港市赣榆区青口镇人民政府"


def test_a_shared_township_name_with_no_clue_in_the_body_stays_unresolved() -> None:
    text = "青口镇2024年政府信息公开年度报告\n本镇全年主动公开政府信息136条，未收到依申请公开事项。\n"
    parsed = parse_report("qingkou_bare", text)
    assert parsed.region_code is None
    assert any("320707100" in issue.message and "350121105" in issue.message for issue in parsed.issues)


def test_the_reference_is_built_once_per_process_not_once_per_report() -> None:
    """An uncached code_names() rebuilt 60,000 names for every report: parsing 20x slower (52 ms a report)."""
    for reference in (regions.code_names, regions.divisions_by_code, regions.divisions_by_name):
        assert reference() is reference()
