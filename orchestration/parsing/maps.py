"""Load the label, row and column maps that describe each template version.

The maps are data (``orchestration/maps/*.csv``): adding a label variant means adding a pattern to a row of
a CSV file, not a branch in code. Each label becomes a regex tolerant of the ways real files break a label:
spaces or line breaks between characters, punctuation present or missing, an item number ("1." "(一)" "一、")
present, missing or glued to the previous cell.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MAPS_DIR = Path(__file__).resolve().parents[1] / "maps"
_GAP = r"[\s\W_]*"  # between the characters of a label: nothing, spaces, newlines or punctuation
_CLOSERS = r"(?:\s*[)\]”\"’」』】])*"


def read_map(name: str) -> list[dict[str, str]]:
    """The rows of one CSV file in ``maps/`` as dicts (every parser map is read through here)."""
    with (MAPS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def label_regex(label: str) -> str:
    """A regex for a printed label that tolerates spacing and punctuation between its characters."""
    chars = [ch for ch in unicodedata.normalize("NFKC", label) if ch.isalnum()]
    # Closing brackets and quotes that end a label ("…稳定”", "…情形)") belong to it, not to the cells.
    return _GAP.join(re.escape(ch) for ch in chars) + _CLOSERS


def marker_regex(marker: str) -> str:
    """A regex for an item marker such as "一、", "(一)" or "1."."""
    marker = unicodedata.normalize("NFKC", marker)
    core = re.sub(r"[()、.]", "", marker)
    if marker.startswith("("):
        return r"\(\s*" + re.escape(core) + r"\s*\)\s*"
    return re.escape(core) + r"\s*[、.,]?\s*"


@dataclass(frozen=True)
class RowSpec:
    """One printed row (or heading) of a table and how to find it."""

    row_code: str
    kind: str  # "cells" (a row with values) or "heading" (a group label with no values)
    label_zh: str
    pattern: re.Pattern[str]
    item_marker: str = ""


@dataclass(frozen=True)
class Table2Row:
    """One row of table 二 in one template version, with the measures of its columns in order."""

    pattern: re.Pattern[str]
    """What the row's label matches (the label with its synonyms)."""
    section_zh: str
    item: str
    label_zh: str
    measures: tuple[str, ...]


def _row_pattern(marker: str, labels: list[str], require_marker: bool) -> re.Pattern[str]:
    """A row label with its optional item marker.

    A very short label ("其他", "总计") also occurs inside headers and sentences: without its marker it is only
    accepted where a row starts (after a line break, a pipe or a space).
    """
    alternatives = "|".join(label_regex(label) for label in sorted(labels, key=len, reverse=True))
    if not marker:
        return re.compile(f"(?:{alternatives})")
    marker_part = f"(?:{marker_regex(marker)})"
    if require_marker:
        return re.compile(f"(?:{marker_part}|(?<=[\\s|]))(?:{alternatives})")
    return re.compile(f"{marker_part}?(?:{alternatives})")


@cache
def table3_rows(template_version: str) -> tuple[RowSpec, ...]:
    """Rows of table 三 in print order for a template version."""
    rows = []
    for r in read_map("table3_rows.csv"):
        if template_version not in r["template_versions"].split(";"):
            continue
        labels = r["match_patterns"].split(";")
        # Very short labels ("其他", "总计") also occur in headers: see _row_pattern.
        require_marker = min(sum(ch.isalnum() for ch in x) for x in labels) <= 2
        rows.append(
            RowSpec(
                r["row_code"],
                r["kind"],
                r["label_zh"],
                _row_pattern(r["item_marker"], labels, require_marker),
                r["item_marker"],
            )
        )
    return tuple(rows)


@cache
def table3_columns() -> tuple[tuple[str, str], ...]:
    """(applicant_type, label_zh) of table 三's seven standard value columns, in print order."""
    return tuple(
        (r["applicant_type"], r["label_zh"]) for r in read_map("table3_columns.csv") if int(r["position"]) <= 7
    )


@cache
def table3_layouts() -> tuple[tuple[str, re.Pattern[str] | None, tuple[tuple[str, str], ...]], ...]:
    """Column layouts of table 三 (the template's seven columns, or with a 法人 subtotal column).

    Each is (layout, header pattern or None for the default, (column_code, label_zh) in print order); the first
    whose header pattern matches the table's header wins.
    """
    labels = {r["applicant_type"]: r["label_zh"] for r in read_map("table3_columns.csv")}
    out = []
    for r in read_map("table3_layouts.csv"):
        pattern = None
        if r["header_pattern"]:
            pattern = re.compile(".*".join(label_regex(part) for part in r["header_pattern"].split(".*")), re.S)
        out.append((r["layout"], pattern, tuple((c, labels[c]) for c in r["columns"].split(";"))))
    return tuple(sorted(out, key=lambda layout: layout[1] is None))


@cache
def table4_columns() -> tuple[tuple[str, str, str], ...]:
    """(group_code, result_code, label) of table 四's 15 values, in print order."""
    return tuple(
        (r["group_code"], r["result_code"], f"{r['group_label_zh']}/{r['result_label_zh']}")
        for r in read_map("table4_columns.csv")
    )


@cache
def table2_rows(template_version: str) -> tuple[Table2Row, ...]:
    """Rows of table 二 in print order for a template version."""
    return tuple(
        Table2Row(
            pattern=_row_pattern("", r["match_patterns"].split(";"), False),
            section_zh=r["section_zh"],
            item=r["item"],
            label_zh=r["label_zh"],
            measures=tuple(r["measures"].split(";")),
        )
        for r in read_map("table2_rows.csv")
        if r["template_version"] == template_version
    )


def literal_automaton(words: Iterable[str]) -> object:
    """An Aho-Corasick automaton over ``words``: ``.iter(text)`` yields (end index, word) for every occurrence,
    overlapping ones included, in one pass over the text."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


@cache
def mapped_cell_codes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every row code and every column code the table maps declare (tables 二 and 三, 四's columns, 统计表 rows)."""
    rows = {r["item"] for r in read_map("table2_rows.csv")}
    rows |= {r["row_code"] for r in read_map("table3_rows.csv")}
    rows |= {r["row_code"] for r in read_map("stat_table_rows.csv")}
    columns = {m for r in read_map("table2_rows.csv") for m in r["measures"].split(";")}
    columns |= {c for r in read_map("table3_layouts.csv") for c in r["columns"].split(";")}
    columns |= {f"{r['group_code']}.{r['result_code']}" for r in read_map("table4_columns.csv")}
    return tuple(sorted(rows)), tuple(sorted(columns))


@cache
def template_signatures() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(template_version, pattern) pairs; a 2021 signature wins over a 2019 one."""
    rows = sorted(read_map("template_signatures.csv"), key=lambda r: r["template_version"], reverse=True)
    return tuple((r["template_version"], re.compile(label_regex(r["signature"]))) for r in rows)


@cache
def section_patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(section_code, numeral, pattern) of the standard report sections."""
    out = []
    for r in read_map("sections.csv"):
        titles = "|".join(label_regex(t) for t in sorted(r["title_patterns"].split(";"), key=len, reverse=True))
        numeral = re.escape(r["numeral"])
        out.append((r["section_code"], r["numeral"], re.compile(rf"{numeral}\s*[、.]\s*(?:{titles})")))
    return tuple(out)


@cache
def cell_placeholders() -> frozenset[str]:
    """Printed cell texts that mean "no value" (and are therefore NULL, never 0)."""
    return frozenset(unicodedata.normalize("NFKC", r["text"]) for r in read_map("cell_placeholders.csv"))


@cache
def maps_digest() -> str:
    """A digest of every map file: part of the parser version, so a map change re-parses reports."""
    digest = hashlib.sha256()
    for path in sorted(MAPS_DIR.glob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
