"""Figures stated in sentences: applications received, reconsiderations, lawsuits, items disclosed.

The rules are data (``maps/prose_rules.csv``): a field, a kind (``count`` reads the named group ``value``;
``zero`` is a statement that none occurred, such as "未收到…申请" or "没有…行政复议"), and a regex. Within one
sentence a stated count beats a "none" statement for the same field. Every figure keeps its sentence and
the spans of the sentence and of the figure in the normalized text.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from orchestration.parsing.maps import MAPS_DIR

_SENTENCE = re.compile(r"[^。!?\n]+[。!?]?")


@dataclass(frozen=True)
class ProseRule:
    """One extraction rule from ``maps/prose_rules.csv``."""

    rule_id: str
    field: str
    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class ProseFigure:
    """A figure found in prose, with its evidence."""

    field: str
    value: float
    rule_id: str
    sentence: str
    sentence_start: int
    sentence_end: int
    char_start: int
    char_end: int


@cache
def prose_rules() -> tuple[ProseRule, ...]:
    """The extraction rules, in file order."""
    with (MAPS_DIR / "prose_rules.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(
            ProseRule(r["rule_id"], r["field"], r["kind"], re.compile(r["pattern"])) for r in csv.DictReader(handle)
        )


def extract_prose_figures(text: str) -> list[ProseFigure]:
    """Every figure the rules find, sentence by sentence, in text order."""
    figures: list[ProseFigure] = []
    for sentence_match in _SENTENCE.finditer(text):
        sentence = sentence_match.group()
        base = sentence_match.start()
        counted: set[str] = set()
        found: list[ProseFigure] = []
        for rule in prose_rules():
            if rule.kind != "count":
                continue
            for match in rule.pattern.finditer(sentence):
                value = float(match.group("value"))
                if "multiplier" in match.groupdict() and match.group("multiplier"):
                    value *= 10000
                counted.add(rule.field)
                found.append(
                    ProseFigure(
                        rule.field,
                        value,
                        rule.rule_id,
                        sentence.strip(),
                        base,
                        sentence_match.end(),
                        base + match.start("value"),
                        base + match.end("value"),
                    )
                )
        for rule in prose_rules():
            if rule.kind != "zero" or rule.field in counted:
                continue
            match = rule.pattern.search(sentence)
            if match:
                counted.add(rule.field)
                found.append(
                    ProseFigure(
                        rule.field,
                        0.0,
                        rule.rule_id,
                        sentence.strip(),
                        base,
                        sentence_match.end(),
                        base + match.start(),
                        base + match.end(),
                    )
                )
        # One figure per field and position: two rules reading the same number keep the first.
        seen: set[tuple[str, int]] = set()
        for figure in sorted(found, key=lambda f: f.char_start):
            key = (figure.field, figure.char_start)
            if key not in seen:
                seen.add(key)
                figures.append(figure)
    return figures
