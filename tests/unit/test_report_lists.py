"""A site's list of its annual reports is rejected with its reason; a report with its own page links is not.

The list page's shape is the development set's ``nonreport_list`` (titles with dates, "共3条 1/1页 首页 上一页
下一页 尾页"); the report keeps the "上一篇/下一篇" links real report pages print under the text.
"""

from __future__ import annotations

from orchestration.parsing.report import parse_report

LIST_PAGE = """政府信息公开年报
2019年政府信息公开工作年度报告  2021-01-20
2023年度政府信息公开工作年度报告  2020-03-12
2018年政府信息公开年报  2018-02-01
共3条 1/1页 首页 上一页 下一页 尾页
"""

REPORT_WITH_LINKS = """某县民政局2018年政府信息公开工作年度报告
本年度共收到申请2件，已答复1件，1件正在办理中。
上一篇：某县民政局2017年政府信息公开工作年度报告
下一篇：某县民政局2019年政府信息公开工作年度报告
首页 上一页 下一页 尾页
"""


def test_a_list_of_report_titles_is_rejected_with_its_reason() -> None:
    parsed = parse_report("list", LIST_PAGE, "list.html")
    assert parsed.parse_status == "rejected"
    assert parsed.parse_message == "not an OGI annual report: a list of report titles with page links"


def test_a_report_with_links_to_its_neighbours_is_read() -> None:
    parsed = parse_report("report", REPORT_WITH_LINKS, "report.txt")
    assert parsed.parse_status != "rejected"
    assert {f.field: f.value for f in parsed.figures}["applications_received"] == 2.0
