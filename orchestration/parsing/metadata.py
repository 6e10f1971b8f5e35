"""Report metadata from the text: title, report year, published date, the agency named in the title.

These are first approximations that later work (dimensions issue) deepens: spam-polluted titles, Chinese
numeral dates, region resolution. Anything not knowable stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from orchestration.parsing.numerals import chinese_number, digit_by_digit

_TITLE = re.compile(r"[^\n|]{0,80}?(?:政府)?信息公开(?:工作)?(?:情况的?)?(?:年度)?(?:报告|年报)")
_TITLE_OPENING = re.compile(
    r"([^\n|。，,]{2,60}?(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报))\s*(?=根据|按照|依据|本报告|为|\s)"
)
_TITLE_FIELD = re.compile(r"^\s*标题\s*[:]\s*(.+)$", re.MULTILINE)
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD = re.compile(r"统计(?:期限|时限|时间)[^0-9。]{0,8}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_COVERS = re.compile(r"涵盖[^。]{0,20}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_DATE = r"((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})"
_LABELLED_DATE = re.compile(r"(?:发布时间|发布日期|公开日期|成文日期|时间|日期)\s*[:|\s]*" + _DATE)
_DATETIME = re.compile(_DATE + r"日?\s+\d{1,2}:\d{2}")
_SIGNATURE_DATE = re.compile(_DATE + "日")
_CN_DATE = re.compile(
    r"([〇○零O0一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
_AGENCY_SUFFIX = re.compile(r"(?:关于)?(?:(?:19|20)\d{2}\s*年|[一二〇零○O0-9]{4}\s*年)")

_YEAR_FIRST_AGENCY = re.compile(
    r"\s*(?:关于)?(?:(?:19|20)\d{2}|[一二三四五六七八九〇零○O0-9]{4})\s*年度?\s*([\u4e00-\u9fff()（）]{2,40}?)(?:工作)?信息公开"
)
_PUBLISHER_FIELD = re.compile(r"(?:发布机构|发文机关|来源)\s*[:：|]\s*\|?\s*([\u4e00-\u9fff()（）]{3,40})")
_PUBLISHER_ENDING = re.compile(
    r"(?:政府|办公室|办公厅|办事处|委员会|管委会|局|厅|委|署|中心|院|街道|镇|乡|所|站|馆|会|[^全本我][县市区旗])$"
)


@dataclass(frozen=True)
class Metadata:
    """What the text says about the report itself."""

    title: str | None
    report_year: int | None
    published_date: date | None
    agency_name: str | None
    period_year: int | None = None
    page_publisher: str | None = None


def _clean_title(raw: str) -> str:
    return re.sub(r"\s+", "", raw).strip(" |:-_")


def find_title(text: str) -> str | None:
    """The report's title: an explicit 标题 field, else the first line naming the report."""
    field = _TITLE_FIELD.search(text[:2000])
    if field and "信息公开" in field.group(1):
        return _clean_title(field.group(1))
    candidates = []
    for index, line in enumerate(text[:4000].split("\n")):
        line = line.strip().lstrip("#").strip()  # a markdown heading's marks are not part of the title
        # Breadcrumbs ("您当前所在的位置: 首页 > … > 政府信息公开年报") name the section, not the report.
        if ">" in line or "位置" in line or len(line) < 6:
            continue
        if len(line) > 90:
            # a title run into the first paragraph ("…年度报告 根据《条例》…"), as documents and copied
            # pages print it: only at the start of one of the first lines
            opening = _TITLE_OPENING.match(line) if index < 5 else None
            if opening and _YEAR_IN_TITLE.search(opening.group(1)):
                candidates.append(_clean_title(opening.group(1)))
            continue
        if "年度报告" in line or "年报" in line or "工作报告" in line or "情况的报告" in line:
            match = _TITLE.search(line)
            if match:
                candidates.append(_clean_title(match.group()))
    with_year = [c for c in candidates if _YEAR_IN_TITLE.search(c)]
    return (with_year or candidates or [None])[0]


def find_report_year(text: str, title: str | None) -> int | None:
    """The year covered: from the title, else from the statistics period stated in the text."""
    if title:
        match = _YEAR_IN_TITLE.search(title)
        if match:
            return int(match.group(1))
    for pattern in (_PERIOD, _COVERS):
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return None


def _first_date(matches: object) -> date | None:
    for match in matches:  # type: ignore[attr-defined]
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


def find_published_date(text: str) -> date | None:
    """The published date: a labelled page field ("发布时间: 2022-02-08"), a date-time line near the top, or the
    date under the signature at the end, in Arabic or Chinese numerals ("二0一四年三月十日")."""
    found = _first_date(_LABELLED_DATE.finditer(text[:3000])) or _first_date(_DATETIME.finditer(text[:2000]))
    if found:
        return found
    tail = text[-400:]
    signature = list(_SIGNATURE_DATE.finditer(tail))
    if signature:
        return _first_date(reversed(signature))
    for match in reversed(list(_CN_DATE.finditer(tail))):
        try:
            year, month, day = digit_by_digit(match.group(1)), *map(chinese_number, match.group(2, 3))
            return date(year, month, day)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
    return None


def find_agency_name(title: str | None) -> str | None:
    """The publisher as printed in the title: before the year ("防城港市行政审批局2018年度…"), or between a
    leading year and 信息公开 ("2023年西昌市财政局政府信息公开…", "2016年汉葭街道办事处政府信息公开…")."""
    if not title:
        return None
    match = _AGENCY_SUFFIX.search(title)
    if match and match.start() >= 2:
        name = title[: match.start()].strip(" :-_【】[]")
        return name or None
    after_year = _YEAR_FIRST_AGENCY.match(title)
    if not after_year:
        return None
    name = after_year.group(1)
    # the 政府 of 政府信息公开 is not the agency's (but 人民政府 before 信息公开 is: "…县人民政府信息公开…")
    if (name.endswith("政府") and not name.endswith("人民政府")) or name.endswith("人民政府政府"):
        name = name[:-2]
    return name if _PUBLISHER_ENDING.search(name) else None


def title_with_publisher(title: str, agency_name: str | None) -> str:
    """The title with the words before its year replaced by the publisher (a spam brand put in its place).

    Mirror sites print their brand where the agency stood ("365bet体育投注_…2017年政府信息公开工作年度报告");
    the report's own title names the agency, so the resolved agency (or nothing, when none is known) takes
    the brand's place and the rest stays as printed.
    """
    match = _AGENCY_SUFFIX.search(title)
    if not match:
        return title
    return (agency_name or "") + title[match.start() :]


def extract_metadata(text: str) -> Metadata:
    """Title, year, date and agency as far as the text states them."""
    title = find_title(text)
    period = _PERIOD.search(text)
    return Metadata(
        title=title,
        report_year=find_report_year(text, title),
        published_date=find_published_date(text),
        agency_name=find_agency_name(title),
        period_year=int(period.group(1)) if period else None,
        page_publisher=find_page_publisher(text),
    )


def find_page_publisher(text: str) -> str | None:
    """The publisher a page's metadata line names (发布机构 / 来源 / 信息来源), read before that line is
    stripped as chrome with the view counter and font-size buttons beside it."""
    match = _PUBLISHER_FIELD.search(text[:6000])
    return match.group(1) if match else None
