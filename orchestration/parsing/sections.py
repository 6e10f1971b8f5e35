"""Find the standard sections of a report and detect its template version from the content.

A heading is its numeral and title ("三、收到和处理政府信息公开申请情况"): the introduction of many reports
lists the section titles inline without numerals ("本报告包括总体情况、主动公开政府信息情况、…"), and those are
not taken for headings.
"""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.parsing import maps


@dataclass(frozen=True)
class Section:
    """A standard section: its code, printed heading and span (heading start to next section)."""

    section_code: str
    heading: str
    char_start: int
    content_start: int
    char_end: int


def find_sections(text: str) -> list[Section]:
    """Standard sections in print order; each ends where the next found one starts."""
    hits: list[tuple[int, int, str, str]] = []
    position = 0
    for code, _numeral, pattern in maps.section_patterns():
        for match in pattern.finditer(text, position):
            # Flattened copies glue a heading to the cell before it ("…432.52元三、收到和处理…"), so anything
            # may stand to its left except an ordinal prefix ("第三、" is an enumeration inside a sentence).
            left = text[match.start() - 1] if match.start() > 0 else ""
            if left != "第":
                hits.append((match.start(), match.end(), code, match.group()))
                position = match.end()
                break
    hits.sort()
    sections = []
    for index, (start, end, code, heading) in enumerate(hits):
        stop = hits[index + 1][0] if index + 1 < len(hits) else len(text)
        sections.append(Section(code, heading, start, end, stop))
    return sections


def detect_template_version(text: str, sections: list[Section]) -> str:
    """``fmt2021``, ``fmt2019`` or ``prose``, from the tables' content (never from the year)."""
    scope = [s for s in sections if s.section_code in ("proactive_disclosure", "requests")]
    haystack = "".join(text[s.content_start : s.char_end] for s in scope) if scope else text
    for version, pattern in maps.template_signatures():
        if pattern.search(haystack):
            return version
    return "prose"
