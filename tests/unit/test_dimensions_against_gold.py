"""Who published each corpus report, where, and for which year: the parser against the gold."""

from __future__ import annotations

from datetime import date

import pytest

from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.report import ParsedReport, parse_report
from tests import gold

REPORTS = gold.all_gold()
PINGTAN = "350128"  # 平潭综合实验区 governs the whole of 平潭县 (福州); both resolve to its code


def _parse(report: gold.GoldReport) -> ParsedReport:
    decoded = decode_report_bytes(report.raw_path.read_bytes(), report.raw_path.suffix)
    return parse_report(report.name, decoded.text, report.raw_path.name)


@pytest.mark.parametrize("report", REPORTS, ids=lambda g: g.name)
def test_agency_name_is_the_gold_one(report: gold.GoldReport) -> None:
    assert _parse(report).agency_name == gold.agency_name(report)


@pytest.mark.parametrize("report", REPORTS, ids=lambda g: g.name)
def test_report_year_is_the_gold_one_or_null_when_not_printed(report: gold.GoldReport) -> None:
    year = _parse(report).report_year
    if report.name == "seeds/001_168270b2927a7f2f.txt":
        assert year in (None, 2020)  # the year is not printed; the gold accepts NULL, never a wrong year
    else:
        assert year == report.data["year"]


@pytest.mark.parametrize("report", [r for r in REPORTS if "agency_kind" in r.data], ids=lambda g: g.name)
def test_seed_kind_region_date_and_pollution_are_the_gold_ones(report: gold.GoldReport) -> None:
    parsed = _parse(report)
    assert parsed.agency_kind == report.data["agency_kind"]
    assert parsed.region_code == report.data["region_code"]
    assert parsed.is_polluted == report.data["is_polluted"]
    expected_date = report.data.get("published_date")
    assert parsed.published_date == (date.fromisoformat(expected_date) if expected_date else None)


@pytest.mark.parametrize("report", [r for r in REPORTS if "pingtan" in r.name], ids=lambda g: g.name)
def test_pingtan_reports_resolve_to_pingtan(report: gold.GoldReport) -> None:
    assert _parse(report).region_code == PINGTAN


def test_spam_in_place_of_the_agency_is_recovered_from_the_body() -> None:
    seeds = {r.name: _parse(r) for r in REPORTS if r.name.startswith("seeds/00")}
    assert seeds["seeds/000_4ddafd7475420ab8.txt"].region_code == "211403"
    assert seeds["seeds/002_97c419155873b293.txt"].region_code == "131100"
    assert seeds["seeds/001_168270b2927a7f2f.txt"].region_code == "370832001"


def test_unresolvable_agency_is_null_with_an_issue_naming_the_candidates() -> None:
    text = (
        "朝阳区2015年政府信息公开工作年度报告\n本报告所列数据的统计期限自2015年1月1日起至2015年12月31日止。"
        "一、总体情况\n2015年，朝阳区认真落实政府信息公开工作。"
    )
    parsed = parse_report("x", text, "x.txt")
    assert parsed.region_code is None
    issue = next(i for i in parsed.issues if i.code == "region_unresolved")
    assert "110105" in issue.message and "220104" in issue.message


@pytest.mark.parametrize(
    ("title", "clean_title", "region_code"),
    [
        # a traditional-character mirror with pinyin inserted after characters
        ("天柱縣人民政府2013年政府信息公(gong)開(kai)工(gong)作年度報告",
         "天柱县人民政府2013年政府信息公开工作年度报告", "522627"),
        # mirror sites write the tones as well (西山街道: 230302007, as the development set has it)
        ("鸡西市鸡冠区西山街道办事处2013年度政(zhèng)府信(xìn)息公(gōng)开工作报告",
         "鸡西市鸡冠区西山街道办事处2013年度政府信息公开工作报告", "230302007"),
    ],
)  # fmt: skip
def test_mirror_pinyin_is_removed_characters_simplified_and_the_copy_flagged(
    title: str, clean_title: str, region_code: str
) -> None:
    text = f"{title}\n本報告所列數據的統計期限自2013年1月1日起至2013年12月31日止。2013年，沒有接到依申請公開事項。"
    parsed = parse_report("x", text, "x.txt")
    assert parsed.title == clean_title
    assert parsed.is_polluted
    assert parsed.region_code == region_code


def test_clean_reports_are_not_flagged_polluted() -> None:
    for report in REPORTS:
        if report.data.get("is_polluted") is False:
            assert not _parse(report).is_polluted, report.name


def test_region_from_area_code_website_and_plate_when_no_place_is_named() -> None:
    text = (
        "2016年政府信息公开工作年度报告\n本报告所列数据的统计期限自2016年1月1日起至2016年12月31日止。"
        "全市全年共受理依申请公开99件。本报告电子版可在门户网站www.hengshui.gov.cn下载，咨询电话0318-2123456。"
        "公务用车冀T12345已全部公开。"
    )
    parsed = parse_report("x", text, "x.txt")
    assert parsed.region_code == "131100"
    assert parsed.agency_name == "衡水市人民政府"
