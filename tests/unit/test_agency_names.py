"""The publisher's full name from the shapes reports print it in (titles, signatures, page metadata lines).

Each text is a cut-down report in the shape of the development set's and real pages' headers and endings.
"""

from __future__ import annotations

import pytest

from orchestration.parsing.metadata import find_agency_name
from orchestration.parsing.report import parse_report

BODY = (
    "本报告根据《中华人民共和国政府信息公开条例》要求编制。报告中所列数据统计期限为{year}年1月1日至12月31日。\n"
    "一、总体情况\n本年度主动公开政府信息52条。\n"
)


def _report(title: str, year: int, *, before: str = "", after: str = "") -> str:
    return f"{title}\n{before}{BODY.format(year=year)}{after}"


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("2023年西昌市财政局政府信息公开工作年度报告", "西昌市财政局"),
        ("2022年仁寿县人民政府办公室政府信息公开工作年度报告", "仁寿县人民政府办公室"),
        ("2016年汉葭街道办事处政府信息公开工作年度报告", "汉葭街道办事处"),
        ("2019年措迈乡人民政府政府信息公开工作年度报告", "措迈乡人民政府"),
        ("二〇一九年平潭县政府信息公开工作年度报告", "平潭县"),
        ("防城港市行政审批局2018年度政府信息公开工作年度报告", "防城港市行政审批局"),
        ("2022年度政府信息公开工作年度报告", None),
        ("2019年全市政府信息公开工作年度报告", None),
    ],
)
def test_the_title_names_the_publisher_before_or_after_a_leading_year(title: str, agency: str | None) -> None:
    assert find_agency_name(title) == agency


def test_a_year_first_title_beats_the_divisions_the_body_speaks_of() -> None:
    text = _report("2023年西昌市财政局政府信息公开工作年度报告", 2023, after="全市财政系统……西昌市人民政府要求。\n")
    parsed = parse_report("xichang", text)
    assert (parsed.agency_name, parsed.region_code) == ("西昌市财政局", "513401")


@pytest.mark.parametrize(
    ("title", "year", "agency", "region"),
    [
        # a division printed with its parents is its government; a county-level city stands alone
        ("潍坊市昌邑市2012年政府信息公开工作年度报告", 2012, "昌邑市人民政府", "370786"),
        ("阿里地区措勤县2016年政府信息公开工作年度报告", 2016, "措勤县人民政府", "542527"),
        # inside the four municipalities every name begins with the municipality
        ("彭水苗族土家族自治县汉葭街道办事处2017年度政府信息公开工作年度报告", 2017,
         "重庆市彭水苗族土家族自治县汉葭街道办事处", "500243001"),
        # the division's name in the report's year (太邱镇 until 2020, 太丘镇 since) still gets its parents
        ("太邱镇2020年政府信息公开工作年度报告", 2020, "永城市太邱镇人民政府", "411481111"),
    ],
)  # fmt: skip
def test_a_printed_division_becomes_its_official_full_name(title: str, year: int, agency: str, region: str) -> None:
    parsed = parse_report("division", _report(title, year))
    assert (parsed.agency_name, parsed.region_code) == (agency, region)


@pytest.mark.parametrize(
    ("title", "after", "agency"),
    [
        # a spam brand for a title; the report is signed by the office that compiles a government's report
        ("足球投注app_体育彩票买球官网2023年政府信息公开工作年度报告", "石嘴山市人民政府办公室\n", "石嘴山市人民政府"),
        # an office that names itself in the title stays the office
        ("2022年仁寿县人民政府办公室政府信息公开工作年度报告", "仁寿县人民政府办公室\n", "仁寿县人民政府办公室"),
    ],
)  # fmt: skip
def test_a_governments_general_office_stands_for_the_government_outside_the_title(
    title: str, after: str, agency: str
) -> None:
    text = _report(title, 2023, after=after + "2024年1月20日\n")
    assert parse_report("office", text).agency_name == agency


def test_the_page_metadata_line_names_the_publisher_though_it_is_stripped_as_chrome() -> None:
    # the line with the view counter is chrome (stripped before sections are read), but its 来源 is the publisher
    text = _report(
        "2023年度政府信息公开工作年度报告",
        2023,
        before="发布时间：2024-02-08  来源：西昌市财政局  浏览次数：8020  【字号：大 中 小】\n",
    )
    parsed = parse_report("source_line", text)
    assert (parsed.agency_name, parsed.region_code) == ("西昌市财政局", "513401")


def test_a_title_run_into_the_first_paragraph_is_still_the_title() -> None:
    # documents and copied pages often print the title and the opening sentence as one line
    text = (
        "平潭综合实验区2018年度政府信息公开工作年度报告 根据《中华人民共和国政府信息公开条例》要求，"
        "区管委会办公室编制完成了本报告。本报告所列数据的统计期限自2018年1月1日起至2018年12月31日止。\n"
        "一、概述\n本年度主动公开政府信息2069条。\n"
    )
    parsed = parse_report("run_in", text)
    assert parsed.title == "平潭综合实验区2018年度政府信息公开工作年度报告"
    assert parsed.agency_name == "平潭综合实验区管理委员会"
