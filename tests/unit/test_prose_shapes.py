"""Sentence shapes of the prose figures, one test per shape, from sentences as reports print them.

The sentences come from the development set (``../shared/corpus/devset``: rendered independently of the
project, after real township and department pages) and from the real corpus; each shape failed before its
rule was written into ``orchestration/maps/prose_rules.csv``. The negative cases are the near misses the
new rules must not read (a service hall's applications, the categories of the answered ones).
"""

from __future__ import annotations

import pytest

from orchestration.parsing.prose import extract_prose_figures


def _first(sentence: str) -> dict[str, float | None]:
    first: dict[str, float | None] = {}
    for figure in extract_prose_figures(sentence):
        first.setdefault(figure.field, figure.value)
    return first


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # received, answered and still open in one sentence (noun before the count, bare 申请)
        (
            "本年度共收到申请385件，已答复311件，74件正在办理中。",
            {"applications_received": 385.0, "replies_total": 311.0, "carried_forward": 74.0},
        ),
        ("本年度共收到申请十八件，已答复14件，4件正在办理中。", {"applications_received": 18.0, "replies_total": 14.0}),
        # the 2021 wording beside the tables
        (
            "2023年，我区共新收政府信息公开申请71件，上年结转3件，办结67件，结转下年度继续办理7件。",
            {"applications_received": 71.0, "carried_over": 3.0, "replies_total": 67.0, "carried_forward": 7.0},
        ),
        (
            "本年度新收政府信息公开申请2件，办结2件，其中予以公开1件，部分公开1件。",
            {
                "applications_received": 2.0,
                "replies_total": 2.0,
                "legacy_granted": 1.0,
                "legacy_partially_granted": 1.0,
            },
        ),
        # a count stated as "the number of applications was"
        ("全年政府信息公开申请数量为0件。", {"applications_received": 0.0}),
        ("2018年本街道受理政府信息公开申请数为零。", {"applications_received": 0.0}),
        # 均/全部: every application received was answered
        ("全年共收到政府信息公开申请1件，已全部按期答复。", {"applications_received": 1.0, "replies_total": 1.0}),
        ("2013年度本厅共受理依申请公开4件，全部依法办结。", {"applications_received": 4.0, "replies_total": 4.0}),
        ("2023年，本局共收到政府信息公开申请4件，均已按期办结。", {"applications_received": 4.0, "replies_total": 4.0}),
        # the verb before the noun (real: 017_pingtan_zone_2023)
        (
            "办结依申请公开81件,其中:予以公开及部分公开42件,占51.85%;不予公开5件。",
            {"replies_total": 81.0, "legacy_refused": 5.0},
        ),
        # one negation for two measures
        (
            "因政府信息公开申请提起的行政复议、行政诉讼均为零。",
            {"administrative_reconsiderations": 0.0, "administrative_lawsuits": 0.0},
        ),
        # categories without 答复, with 的, with 情形, and a count closing its clause without a unit
        (
            "已答复的申请中，部分公开二件，申请信息不存在0件，不予公开0件。",
            {"legacy_refused": 0.0, "legacy_not_exist": 0.0},
        ),
        ("其中不属于本机关答复0件、已主动公开的0件、所申请信息不存在的0件、部分公开0件。", {"legacy_not_exist": 0.0}),
        ("其中不属于本机关答复7件，非政府信息3件，其他情形3件。", {"legacy_other": 3.0}),
        (
            "2014年，本单位共受理政府信息公开申请357件，其中不属于政府信息22。",
            {"legacy_not_government_information": 22.0},
        ),
        ("其中全部同意公开１件，属于已主动公开范围０。", {"legacy_already_public": 0.0}),
        ("在已答复的申请中,其他答复0,同意公开答复0件,占0.0%,所申请信息不存在的1,占100.0%。", {"legacy_not_exist": 1.0}),
        # a reconsideration still open
        (
            "全年因政府信息公开申请发生行政复议10件，其中维持具体行政行为2件，被依法纠错5件，尚在审理中3件。",
            {
                "administrative_reconsiderations": 10.0,
                "reconsideration_upheld": 2.0,
                "reconsideration_corrected": 5.0,
                "reconsideration_pending": 3.0,
            },
        ),
    ],
)
def test_sentence_shape_is_read(sentence: str, expected: dict[str, float | None]) -> None:
    first = _first(sentence)
    assert {field: first.get(field) for field in expected} == expected


@pytest.mark.parametrize(
    ("sentence", "field"),
    [
        # a service hall's applications (real: 008_pingtan_zone_2014) are not information requests
        ("目前,区县已入驻审批服务部门和单位13个,开设窗口26个,共受理申请121510件。", "applications_received"),
        # the categories of the answered ones, and delayed ones, are not the number answered
        ("已答复的申请中，不同意公开答复6件、同意部分公开答复3件、其他答复9件。", "replies_total"),
        ("全市全年共受理依申请公开99件,全部依法办结,其中延时办结4件。", "replies_total@4"),
        # approvals and complaints handled are not information requests answered (real: 006, 012)
        ("今年我局共受理审批事项117件,办结171件,办结率100%。", "replies_total"),
        ("对网民的咨询投诉件及时处理并反馈,截至目前共收到15564件咨询投诉件,已办结15042件。", "replies_total"),
        ("共受理审批事项20件,5件正在办理中。", "carried_forward"),
        # a combined category is neither of its parts (real: 017_pingtan_zone_2023)
        ("办结依申请公开81件,其中:予以公开及部分公开42件,占51.85%;不予公开5件。", "legacy_partially_granted"),
        # "不予公开" is refused, never granted
        ("不予公开3件。", "legacy_granted"),
        # a table row printed as text, spaced or glued, is no sentence (its cells are read by the table reader)
        ("(二)部分公开        0     1    0   0    0   0   1", "legacy_partially_granted"),
        ("(一)予以公开2000002(二)部分公开1000001(三)不予公开1.属于国家秘密0000000", "legacy_partially_granted"),
    ],
)
def test_near_miss_is_not_read(sentence: str, field: str) -> None:
    name, _, value = field.partition("@")
    found = [f.value for f in extract_prose_figures(sentence) if f.field == name]
    if value:
        assert float(value) not in found
    else:
        assert found == []
