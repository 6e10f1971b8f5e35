"""The old-style 统计表 of prose-era reports: the year's column, never the cumulative one as a year's figure.

Rows such as 受理依申请公开信息总数, 对申请的答复数 (同意公开/同意部分公开/否决公开),
行政复议数 and 行政诉讼数 come with a unit and two columns, 本年度 and 历年累计
(``maps/stat_table_rows.csv``; a row's code is the prose field it means, so prose and table figures meet
in the facts). Both columns are kept as printed. Archived copies glue the two numbers ("条4251516"); they
are split by the table's own sums (a total = its "其中" rows, in each column) and by a year never exceeding
the running total. A run the sums cannot decide stays NULL with a parse issue; a sum the report itself
breaks decides nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from orchestration.parsing.cells import parse_cell
from orchestration.parsing.digit_runs import only_combination
from orchestration.parsing.maps import label_regex, read_map
from orchestration.parsing.tables import Cell, Issue, TableResult

_HEADER = re.compile(r"指标名称")
_YEAR_HEADER = re.compile(r"((?:19|20)\d{2})\s*年\s*度")
_CUMULATIVE_HEADER = re.compile(label_regex("历年累计"))
STAT_COLUMN_CODES = ("year", "cumulative")
"""The 统计表's two value columns: this year and the total over the years."""
_UNIT = r"\s*(?:条|件|个|人次|次|元|万元)?"
_MARKER = r"(?:其\s*中\s*[:]?\s*)?(?:\d\s*[.、]\s*)?"
_TOKEN = re.compile(r"[^\s|]+")
MAX_COMBINATIONS = 20000


@dataclass(frozen=True)
class StatRow:
    """A row of the 统计表 and the total it belongs to."""

    row_code: str
    parent_code: str | None
    pattern: re.Pattern[str]


def _family_sums_hold(combo: tuple[tuple[int | None, int | None], ...]) -> bool:
    """A parent row equals the sum of its children in both columns, where all of them are stated."""
    total, parts = combo[0], combo[1:]
    return all(
        total[col] is None or any(p[col] is None for p in parts) or total[col] == sum(p[col] for p in parts)
        for col in (0, 1)
    )


@cache
def stat_rows() -> tuple[StatRow, ...]:
    """The rows of ``maps/stat_table_rows.csv`` with their label patterns (marker and unit included)."""
    rows = []
    for r in read_map("stat_table_rows.csv"):
        labels = "|".join(label_regex(x) for x in sorted(r["labels"].split(";"), key=len, reverse=True))
        rows.append(StatRow(r["row_code"], r["parent_code"] or None, re.compile(f"{_MARKER}(?:{labels}){_UNIT}")))
    return tuple(rows)


@dataclass
class _Found:
    row: StatRow
    label: str
    start: int
    end: int
    tokens: list[re.Match[str]]


def _two_way_splits(run: str) -> list[tuple[int, int]]:
    """Splits of a glued run into (year, cumulative) with no leading zeros and year ≤ cumulative."""
    out = []
    for cut in range(1, len(run)):
        left, right = run[:cut], run[cut:]
        if (len(left) > 1 and left[0] == "0") or (len(right) > 1 and right[0] == "0"):
            continue
        if int(left) <= int(right):
            out.append((int(left), int(right)))
    return out


def parse_stat_table(text: str, stated: dict[str, set[float]] | None = None) -> TableResult:
    """Read the 统计表 if the report has one: both columns per row, with spans.

    Args:
        text: the normalized report text.
        stated: figures the prose of the same report states, by field (a row's code is its field): where the
            table's sums leave several splits of a glued run, the one whose year value the prose states wins.
    """
    result = TableResult()
    header = _HEADER.search(text)
    found = _find_rows(text, header.end()) if header else []
    if header is None or not found:
        return result
    columns = _columns(text[header.start() : found[0].start])
    candidates, spans = _candidate_pairs(found, columns, result.issues)
    chosen = _decide(found, candidates, stated or {})
    for row in found:
        _row_cells(text, row, columns, chosen.get(row.row.row_code), spans.get(row.row.row_code), result)
    return result


def _columns(header_text: str) -> list[tuple[str, str]]:
    """The two columns (code, printed label) in the order the header prints them."""
    year_match = _YEAR_HEADER.search(header_text)
    cumulative_match = _CUMULATIVE_HEADER.search(header_text)
    year_label = year_match.group(0).replace(" ", "") if year_match else "本年度"
    columns = [(STAT_COLUMN_CODES[0], year_label), (STAT_COLUMN_CODES[1], "历年累计")]
    if year_match and cumulative_match and cumulative_match.start() < year_match.start():
        columns.reverse()
    return columns


def _value_tokens(row: _Found) -> list[re.Match[str]]:
    return [t for t in row.tokens if parse_cell(t.group()).state != "text"]


def _candidate_pairs(
    found: list[_Found], columns: list[tuple[str, str]], issues: list[Issue]
) -> tuple[dict[str, list[tuple[int | None, int | None]]], dict[str, list[tuple[int, int] | None]]]:
    """Per row, the (year, cumulative) pairs its printed values allow, and the span of each printed value.

    Two values are one pair; one value on a spaced table (or one digit) is the first column's, with an issue;
    one glued digit run is every two-way split of it, for the table's sums to decide.
    """
    values: dict[str, list[tuple[int | None, int | None]]] = {}
    spans: dict[str, list[tuple[int, int] | None]] = {}
    spaced = any(len(f.tokens) == 2 for f in found)
    for f in found:
        tokens = _value_tokens(f)
        if len(tokens) == 2:
            parsed = [parse_cell(t.group()).value for t in tokens]
            values[f.row.row_code] = [tuple(int(v) if v is not None else None for v in parsed)]  # type: ignore[misc]
            spans[f.row.row_code] = [(tokens[0].start(), tokens[0].end()), (tokens[1].start(), tokens[1].end())]
        elif len(tokens) == 1 and (spaced or len(tokens[0].group()) == 1):
            value = parse_cell(tokens[0].group()).value
            values[f.row.row_code] = [(int(value) if value is not None else None, None)]
            spans[f.row.row_code] = [(tokens[0].start(), tokens[0].end()), None]
            issues.append(
                Issue(
                    "stat_cell_missing",
                    "warning",
                    f"统计表 row '{f.label}': one value for two columns, read as {columns[0][1]}",
                    tokens[0].start(),
                    tokens[0].end(),
                )
            )
        elif len(tokens) == 1 and tokens[0].group().isdigit():
            values[f.row.row_code] = _two_way_splits(tokens[0].group())
            spans[f.row.row_code] = [None, None]
        else:
            values[f.row.row_code] = []
    return values, spans


def _row_cells(
    text: str,
    row: _Found,
    columns: list[tuple[str, str]],
    pair: tuple[int | None, int | None] | None,
    printed_spans: list[tuple[int, int] | None] | None,
    result: TableResult,
) -> None:
    """The row's two cells from the chosen pair; without one, text cells keeping the run and an issue."""
    tokens = _value_tokens(row)
    raw_run = text[tokens[0].start() : tokens[-1].end()] if tokens else None
    if pair is None:
        why = "no value" if not tokens else f"the run '{raw_run}' cannot be split for certain by the table's sums"
        result.issues.append(
            Issue(
                "stat_cells_unreadable",
                "warning",
                f"统计表 row '{row.label}': {why}",
                tokens[0].start() if tokens else None,
                tokens[-1].end() if tokens else None,
            )
        )
    for index, (column_code, column_label) in enumerate(columns):
        value = pair[index] if pair is not None else None
        span = _span(text, printed_spans, index, tokens, pair)
        raw = text[span[0] : span[1]] if span else raw_run
        state = "text" if pair is None else ("blank" if value is None else ("zero" if value == 0 else "number"))
        result.cells.append(
            Cell(
                "stat_table",
                row.row.row_code,
                column_code,
                row.label,
                column_label,
                raw,
                None if value is None else float(value),
                state,
                None,
                span[0] if span else None,
                span[1] if span else None,
            )
        )


def _span(text: str, printed: list | None, index: int, tokens: list, pair: tuple | None) -> tuple[int, int] | None:
    if printed and printed[index] is not None:
        return printed[index]
    if pair is None or not tokens or pair[index] is None:
        return None
    start = tokens[0].start()
    offset = 0 if index == 0 else len(str(pair[0]))
    return (start + offset, start + offset + len(str(pair[index])))


def _find_rows(text: str, start: int) -> list[_Found]:
    """Every row label after the header, non-overlapping (the longer label wins), with the tokens after it."""
    matches = []
    for row in stat_rows():
        for match in row.pattern.finditer(text, start):
            matches.append((match.start(), -(match.end() - match.start()), match.end(), row, match))
    matches.sort(key=lambda m: (m[0], m[1]))
    kept: list[tuple[int, int, StatRow, re.Match[str]]] = []
    taken_to = -1
    seen_rows: set[str] = set()
    for begin, _neg, end, row, match in matches:
        if begin < taken_to or row.row_code in seen_rows:
            continue
        kept.append((begin, end, row, match))
        taken_to = end
        seen_rows.add(row.row_code)
    found = []
    for index, (begin, end, row, match) in enumerate(kept):
        stop = kept[index + 1][0] if index + 1 < len(kept) else len(text)
        tokens = []
        for token in _TOKEN.finditer(text, end, stop):
            if parse_cell(token.group()).state == "text":
                break
            tokens.append(token)
        label = re.sub(r"\s+", "", match.group())
        found.append(_Found(row, label, begin, end, tokens))
    return found


def _decide(
    found: list[_Found], values: dict[str, list], stated: dict[str, set[float]]
) -> dict[str, tuple[int | None, int | None]]:
    """A unique reading per row: by the row alone, by its family's sums (total = Σ 其中 rows, per column), or
    by the prose of the same report stating one candidate's year value."""
    values = {
        code: (
            agreeing
            if len(options) > 1 and len(agreeing := [o for o in options if o[0] in stated.get(code, ())]) == 1
            else options
        )
        for code, options in values.items()
    }
    chosen = {code: options[0] for code, options in values.items() if len(options) == 1}
    families: dict[str, list[str]] = {}
    for f in found:
        if f.row.parent_code and f.row.parent_code in values:
            families.setdefault(f.row.parent_code, []).append(f.row.row_code)
    for parent, children in families.items():
        members = [parent, *children]
        if all(code in chosen for code in members) or any(not values[code] for code in members):
            continue
        combo = only_combination([values[code] for code in members], _family_sums_hold, MAX_COMBINATIONS)
        if combo is not None:
            chosen.update(dict(zip(members, combo, strict=True)))
    return chosen
