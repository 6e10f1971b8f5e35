"""Site chrome lines are dropped, report lines never: one case per pattern shape of maps/chrome_patterns.tsv."""

from __future__ import annotations

import pytest

from orchestration.parsing.chrome import is_chrome_line, strip_chrome

CHROME = [
    "无障碍 | 长者版 | 繁體版 | 手机版",
    "网站支持IPv6",
    "首页 | 政务公开 | 政务服务 | 互动交流 | 走进汉中市",
    "网站地图 | 联系我们 | 使用帮助",
    "主办单位:漯河经济技术开发区管委会  网站标识码:4850122738  河ICP备37142264号",
    "您当前的位置：首页 > 政务公开 > 政府信息公开年报",
]
REPORT = [
    "项目 | 数量 | 备注",  # a table header without outer pipes
    "首页内容共10条",
    "（一）主动公开政府信息情况。本年度发布信息1000条，来源：各部门。",
    "联系我们：电话0591-12345678。",
    "时间:2017-02-14 17:16来源:海南省审计厅",  # the article's source names the publisher: kept
    "本年度通过网站发布信息1234条，网站支持IPv6访问改造于6月完成，覆盖全部栏目，方便公众通过新一代互联网获取政府信息。",
]


@pytest.mark.parametrize("line", CHROME)
def test_chrome_line_is_dropped(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize("line", REPORT)
def test_report_line_is_kept(line: str) -> None:
    assert not is_chrome_line(line)


def test_strip_keeps_every_other_line_in_place() -> None:
    text = "\n".join(["网站支持IPv6", REPORT[2], CHROME[3], REPORT[0]])
    assert strip_chrome(text) == "\n".join([REPORT[2], REPORT[0]])
