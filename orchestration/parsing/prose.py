"""Figures stated in sentences: applications, how they were answered, reconsiderations, lawsuits, and more.

The rules are data (``maps/prose_rules.csv``): a field, a kind (``count`` reads the number at ``{N}``;
``zero`` is a statement that none occurred, such as "未收到…申请" or "没有…行政复议"), a tier (a lower tier
counts only when the report has no statement of a higher one: "主动公开政府信息N条" before "网站公开政务信息N条"),
``requires`` (literals, ";"-separated, one of which every match contains: a rule is run only on the
sentences holding one of them, since most reports use few of the rules, in few sentences), an optional ``not_after``
pattern for the words just before the match (sub-totals of "各乡镇" are not the report's figure), and the
regex. A field starting with "@" takes its topic from the text before it: "维持…N件"
after "行政复议" is a reconsideration result, after "行政诉讼" a lawsuit result.

Numbers may be Arabic or Chinese ("一件", "两起", "零"); an inexact one ("十余件") is kept with a NULL value;
a percentage is never a count. Within one sentence a stated count beats a "none" statement for the same field.
Every figure keeps its sentence and the spans of the sentence and of the figure in the normalized text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from orchestration.parsing.maps import literal_automaton, read_map
from orchestration.parsing.numerals import chinese_number

_SENTENCE = re.compile(r"[^。!?\n]+[。!?]?")
_NUMBER = r"(?P<value>\d+(?:\.\d+)?|[零〇两一二三四五六七八九十百千]+)(?P<approx>余|多)?"
_TOPICS = re.compile(r"行政复议|复议|行政诉讼|诉讼(?!请求)")
NOT_AFTER_WINDOW = 12
TOPIC_WINDOW = 200


@dataclass(frozen=True)
class ProseRule:
    """One extraction rule from ``maps/prose_rules.csv``."""

    rule_id: str
    field: str
    kind: str
    tier: int
    requires: tuple[str, ...]
    not_after: re.Pattern[str] | None
    pattern: re.Pattern[str]


class ProseFigure(NamedTuple):
    """A figure found in prose, with its evidence. ``value`` is None for an inexact statement ("十余件")."""

    field: str
    value: float | None
    rule_id: str
    sentence: str
    sentence_start: int
    sentence_end: int
    char_start: int
    char_end: int


@cache
def prose_rules() -> tuple[ProseRule, ...]:
    """The extraction rules, in file order."""
    return tuple(
        ProseRule(
            r["rule_id"],
            r["field"],
            r["kind"],
            int(r["tier"]),
            tuple(filter(None, r["requires"].split(";"))),
            re.compile(r["not_after"]) if r["not_after"] else None,
            re.compile(r["pattern"].replace("{N}", _NUMBER)),
        )
        for r in read_map("prose_rules.csv")
    )


def _value(match: re.Match[str]) -> tuple[bool, float | None]:
    """(usable, value): not usable for a percentage; value None for an inexact number."""
    end = match.end("value")
    following = match.string[end : end + 1]
    if following == "%" or (match.group("approx") is None and following in ("%", ".")):
        return False, None
    raw = match.group("value")
    value = float(raw) if raw[0].isdigit() else chinese_number(raw)
    if value is None:
        return False, None
    if match.group("approx"):
        return True, None
    if "multiplier" in match.groupdict() and match.group("multiplier"):
        value *= 10000
    return True, float(value)


def _topic(text: str, position: int) -> str | None:
    """reconsideration or lawsuit: whichever the text named last before ``position``."""
    window = text[max(0, position - TOPIC_WINDOW) : position]
    last = None
    for match in _TOPICS.finditer(window):
        last = match.group()
    if last is None:
        return None
    return "reconsideration" if "复议" in last else "lawsuit"


@cache
def _literal_automaton() -> tuple[object, dict[str, tuple[str, ...]]]:
    """An Aho-Corasick automaton over every rule's literals, and the rules (by id) each literal serves."""
    rules_of: dict[str, list[str]] = {}
    for rule in prose_rules():
        for literal in rule.requires:
            rules_of.setdefault(literal, []).append(rule.rule_id)
    return literal_automaton(rules_of), {literal: tuple(ids) for literal, ids in rules_of.items()}


def rule_sentences(text: str, starts: list[int]) -> dict[str, list[int]]:
    """For each rule with literals, the indexes of the sentences holding one (sentences start at ``starts``).

    A match of a rule contains one of its literals and lies in one sentence, so a rule is run on these
    sentences only (most rules' literals occur in two or three sentences of a report, if at all). One pass
    of an automaton finds every literal of every rule.
    """
    automaton, rules_of = _literal_automaton()
    found: dict[str, set[int]] = {}
    for end, literal in automaton.iter(text):  # type: ignore[attr-defined]
        index = bisect_right(starts, end - len(literal) + 1) - 1
        for rule_id in rules_of[literal]:
            found.setdefault(rule_id, set()).add(index)
    return {rule_id: sorted(indexes) for rule_id, indexes in found.items()}


def extract_prose_figures(text: str) -> list[ProseFigure]:
    """Every figure the rules find, sentence by sentence, in text order; lower tiers only where needed.

    A match lies inside one sentence (the regex is run on each sentence holding one of the rule's literals,
    never across a sentence end).
    """
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    starts = [start for start, _ in sentences]
    found: dict[int, list[tuple[int, ProseFigure]]] = {}
    counted: set[tuple[int, str]] = set()
    every_sentence = range(len(sentences))
    holding_literals = rule_sentences(text, starts)

    def figure(rule: ProseRule, field: str, value: float | None, index: int, span: tuple[int, int]) -> ProseFigure:
        s_start, s_end = sentences[index]
        return ProseFigure(field, value, rule.rule_id, text[s_start:s_end].strip(), s_start, s_end, *span)

    rules = prose_rules()
    for rule in rules:
        if rule.kind != "count":
            continue
        for index in holding_literals.get(rule.rule_id, ()) if rule.requires else every_sentence:
            for match in rule.pattern.finditer(text, *sentences[index]):
                usable, value = _value(match)
                start = match.start()
                if not usable or (
                    rule.not_after and rule.not_after.search(text[max(0, start - NOT_AFTER_WINDOW) : start])
                ):
                    continue
                field = rule.field
                if field.startswith("@"):
                    topic = _topic(text, start)
                    if topic is None:
                        continue
                    field = f"{topic}_{field[1:]}"
                counted.add((index, field))
                found.setdefault(index, []).append(
                    (rule.tier, figure(rule, field, value, index, (match.start("value"), match.end("value"))))
                )
    for rule in rules:
        if rule.kind != "zero":
            continue
        for index in holding_literals.get(rule.rule_id, ()) if rule.requires else every_sentence:
            if (index, rule.field) in counted:
                continue
            match = rule.pattern.search(text, *sentences[index])
            if match is None:
                continue
            # One "none" statement per field and sentence, and never beside a stated count.
            counted.add((index, rule.field))
            found.setdefault(index, []).append(
                (rule.tier, figure(rule, rule.field, 0.0, index, (match.start(), match.end())))
            )
    figures: list[tuple[int, ProseFigure]] = []
    for index in sorted(found):
        # One figure per field and position: two rules reading the same number keep the first.
        seen: set[tuple[str, int]] = set()
        for tier, item in sorted(found[index], key=lambda f: f[1].char_start):
            key = (item.field, item.char_start)
            if key not in seen:
                seen.add(key)
                figures.append((tier, item))
    best_tier: dict[str, int] = {}
    for tier, item in figures:
        best_tier[item.field] = min(tier, best_tier.get(item.field, tier))
    return [item for tier, item in figures if tier == best_tier[item.field]]
