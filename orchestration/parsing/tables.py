"""Find tables 二, 三 and 四 in a normalized report and read their cells in long form.

The parser is label-anchored: the rows of each table are searched in print order with the patterns of the
template's row map (``maps/table3_rows.csv`` ...); the text between one row label and the next holds that
row's cells. Cells are then read in whichever rendering the file uses: pipe-separated, whitespace-separated,
one per line, or glued into one digit run (split by the identities in ``digit_runs``). A cell that cannot be
read for certain is NULL with a parse issue that says why; it is never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from orchestration.parsing import maps
from orchestration.parsing.cells import CellValue, parse_cell
from orchestration.parsing.digit_runs import (
    only_combination,
    split_groups_with_totals,
    split_one_digit_each,
    split_row,
)

_TOKEN = re.compile(r"[^\s|]+")
_RUN_UNIT = re.compile(r"(?:万元|元|件|条|个|项|次|份|家)$")
_LEADING_VALUE = re.compile(r"[+-]?\d[\d.,]*(?:万元|人次|件|条|个|项|次|份|家|元)?")


class Cell(NamedTuple):
    """One table cell in long form, with where it was printed (a named tuple: ~150 per report, made fast)."""

    table_code: str
    row_code: str
    column_code: str
    row_label_zh: str
    column_label_zh: str
    raw_text: str | None
    value: float | None
    cell_state: str
    unit: str | None
    char_start: int | None
    char_end: int | None


_new_cell = tuple.__new__
"""``Cell(...)`` without its keyword handling: ``_new_cell(Cell, values)`` is twice as fast."""


@dataclass(frozen=True)
class Issue:
    """A parse issue: something in the file that could not be read for certain."""

    code: str
    severity: str  # "warning": data kept NULL; "error": a table could not be read at all
    message: str
    char_start: int | None = None
    char_end: int | None = None


@dataclass
class TableResult:
    """Cells and issues of one table."""

    cells: list[Cell] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


_Slot = tuple[str | None, int | None, int | None]
"""The printed text of one cell, before parsing: raw text and span (None when not printed). A plain tuple:
a report has ~200 of them."""
_UNPRINTED: _Slot = (None, None, None)
_DIGITS_ONLY = re.compile(r"[\s|\d]*")


class _RowPlace(NamedTuple):
    """Where a row's cells go: its table, row code and printed label, and its columns (code, label)."""

    table_code: str
    row_code: str
    row_label: str
    columns: list[tuple[str, str]]


class _RowRead(NamedTuple):
    """What was read for one row: cell slots, or a glued digit run awaiting the identities."""

    slots: list[_Slot] | None
    joined_run: str | None = None
    run_start: int | None = None
    run_end: int | None = None
    problem: str | None = None
    run_unit: str | None = None
    """A unit printed after a glued run ("00元"): it belongs to the run's last cell."""


def _first_text_token(text: str, start: int, end: int) -> int:
    """Position of the first text that is not a cell value (a header or label); cells stop there.

    A token may start with a value and run on into a label when a copy glued them ("0000000三、本年度…"):
    the value part is kept and the cut falls where the label begins.
    """
    if _DIGITS_ONLY.fullmatch(text, start, end):
        return end  # the common case: digits, spaces and pipes only, so no token is text
    for match in _TOKEN.finditer(text, start, end):
        if parse_cell(match.group()).state == "text":
            lead = _LEADING_VALUE.match(match.group())
            return match.start() + (lead.end() if lead else 0)
    return end


def _pipe_slots(segment: str, offset: int) -> list[_Slot]:
    """The cells of a pipe-separated segment starting at ``offset`` in the text, each with its span."""
    slots = []
    piece_start = offset
    for piece in segment.split("|"):
        stripped = piece.strip()
        if stripped:
            lead = piece_start + len(piece) - len(piece.lstrip())
            slots.append((stripped, lead, lead + len(stripped)))
        else:
            slots.append((stripped, piece_start, piece_start))
        piece_start += len(piece) + 1
    return slots


class PipeFrame(NamedTuple):
    """How a table's pipe rows are framed: a "|" opening and/or closing every line (markdown, flattened HTML).

    A frame pipe delimits no cell; without knowing the frame, "| 0 | 5 |" is ambiguous between two cells and
    four (blank, 0, 5, blank).
    """

    left: bool
    right: bool


NO_FRAME = PipeFrame(False, False)


def pipe_frame(text: str, start: int, end: int) -> PipeFrame:
    """The framing of the pipe lines in ``text[start:end]``: a side is framed when 80 % of them have it."""
    lines = [line.strip() for line in text[start:end].split("\n")]
    piped = [line for line in lines if "|" in line]
    if not piped:
        return NO_FRAME
    left = sum(line.startswith("|") for line in piped)
    right = sum(line.endswith("|") for line in piped)
    return PipeFrame(left >= 0.8 * len(piped), right >= 0.8 * len(piped))


class SeparatedRow(NamedTuple):
    """The cells on the rest of a row label's line, split at its separators ("|" or tab).

    ``short_is_blank``: a row with fewer cells than columns lost blank cells at its end (a tab-separated
    line whose trailing tabs were stripped), so the missing cells are blank, not unknown.
    """

    cells: list[_Slot]
    short_is_blank: bool


def _tab_slots(segment: str, offset: int) -> list[_Slot]:
    slots = []
    position = offset
    for piece in segment.split("\t"):
        stripped = piece.strip()
        lead = position + len(piece) - len(piece.lstrip())
        slots.append((stripped, lead, lead + len(stripped)) if stripped else (stripped, position, position))
        position += len(piece) + 1
    return slots


def separated_row(text: str, start: int, end: int, frame: PipeFrame) -> SeparatedRow | None:
    """The cells on the rest of a label's line (from ``start``), or None when that line has no separator.

    The first piece is the rest of the label's own cell; a frame pipe closes no cell; a text cell after the
    values is a remark column.
    """
    line_end = text.find("\n", start, end)
    stop = end if line_end < 0 else line_end
    segment = text[start:stop]
    if "|" in segment:
        slots = _pipe_slots(segment, start)[1:]
        if frame.right and slots and not slots[-1][0]:
            slots = slots[:-1]
        short_is_blank = False
    elif "\t" in segment.strip(" "):
        slots = _tab_slots(segment.rstrip(), start)[1:]
        short_is_blank = True
    else:
        return None
    while slots and slots[-1][0] and parse_cell(slots[-1][0]).state == "text":
        slots = slots[:-1]
    return SeparatedRow(slots, short_is_blank)


def value_windows(cells: list[_Slot], expected: int) -> list[int]:
    """Offsets ``k`` at which ``cells[k:k + expected]`` holds every value of the row (the rest blank or text)."""
    if len(cells) == expected:
        return [0]
    holding = [i for i, (raw, _, _) in enumerate(cells) if raw and parse_cell(raw).state != "text"]
    if not holding:
        return list(range(len(cells) - expected + 1))
    first, last = holding[0], holding[-1]
    return [k for k in range(max(0, last - expected + 1), min(first, len(cells) - expected) + 1)]


class Alignment(NamedTuple):
    """Where a table's values sit in its pipe rows: ``offset`` cells from the ``side`` (left or right)."""

    side: str
    offset: int


def table_alignment(rows: list[tuple[int, list[int]]], default: Alignment) -> Alignment | None:
    """The one alignment of the rows whose values can only sit in one place (None when they disagree).

    ``rows``: (cells printed, offsets where the values fit) per row. Grids flatten two ways: label spans to
    the left of the values (the values end every row: table 三 from HTML with colspans and rowspans) or
    padding to the right (the values follow the label: table 二's narrower blocks, tables copied with
    trailing empty cells). A row whose edge values are blank fits either reading; the rows that fit only one
    say which the table uses.
    """
    lefts, rights = set(), set()
    for spare, windows in rows:
        if len(windows) == 1:
            lefts.add(windows[0])
            rights.add(spare - windows[0])
    if not lefts:
        return default
    if len(rights) == 1:
        return Alignment("right", rights.pop())
    if len(lefts) == 1:
        return Alignment("left", lefts.pop())
    return None


def read_separated_row(row: SeparatedRow, expected: int, windows: list[int], alignment: Alignment | None) -> _RowRead:
    """The row's values: the only window that holds them all, or the table's alignment where several do."""
    cells = row.cells
    if not any(raw for raw, _, _ in cells):
        return _RowRead([_UNPRINTED] * expected)
    if len(cells) < expected:
        if row.short_is_blank or alignment == Alignment("left", 0):
            return _RowRead(
                [slot if slot[0] else _UNPRINTED for slot in cells] + [_UNPRINTED] * (expected - len(cells))
            )
        return _RowRead(None, problem=f"{len(cells)} cells printed where {expected} were expected")
    if not windows:
        return _RowRead(
            None, problem=f"{len(cells)} cells printed where {expected} were expected (more values than columns)"
        )
    if len(windows) > 1 and alignment is not None:
        wanted = alignment.offset if alignment.side == "left" else len(cells) - expected - alignment.offset
        windows = [wanted] if wanted in windows else []
    if len(windows) != 1:
        return _RowRead(
            None, problem=f"{len(cells)} cells printed where {expected} were expected (blank cells at its edges)"
        )
    k = windows[0]
    return _RowRead([slot if slot[0] else _UNPRINTED for slot in cells[k : k + expected]])


def read_rows(text: str, rows: list[tuple[int, int, int]], frame: PipeFrame, default: Alignment) -> list[_RowRead]:
    """Read each (label end, next label start, expected cells) row of one table; separated rows aligned together."""
    separated = [separated_row(text, start, end, frame) for start, end, _ in rows]
    windows = [
        value_windows(row.cells, expected) if row is not None and len(row.cells) >= expected else []
        for row, (_, _, expected) in zip(separated, rows, strict=True)
    ]
    alignment = table_alignment(
        [
            (len(row.cells) - expected, fits)
            for row, fits, (_, _, expected) in zip(separated, windows, rows, strict=True)
            if row is not None
        ],
        default,
    )
    return [
        read_separated_row(row, expected, fits, alignment)
        if row is not None
        else read_row_cells(text, start, end, expected)
        for row, fits, (start, end, expected) in zip(separated, windows, rows, strict=True)
    ]


def read_row_cells(text: str, start: int, end: int, expected: int) -> _RowRead:
    """Read the cells printed between a row label (ending at ``start``) and the next label (``end``)."""
    end = _first_text_token(text, start, end)
    segment = text[start:end]
    if "|" in segment:
        slots = _pipe_slots(segment, start)
        if slots and not slots[0][0]:
            slots = slots[1:]
        if any(raw for raw, _, _ in slots[expected:]):
            return _RowRead(None, problem=f"{len(slots)} cells printed where {expected} were expected")
        slots = slots[:expected] + [_UNPRINTED] * max(0, expected - len(slots))
        return _RowRead(slots)
    tokens = list(_TOKEN.finditer(text, start, end))
    if len(tokens) == expected:
        return _RowRead([(t.group(), t.start(), t.end()) for t in tokens])
    if not tokens:
        return _RowRead([_UNPRINTED] * expected)
    by_line = _line_slots(segment, start, expected)
    if by_line is not None:
        return _RowRead(by_line)
    unit_match = _RUN_UNIT.search(tokens[-1].group())
    unit = unit_match.group() if unit_match and tokens[-1].group()[: unit_match.start()].isdigit() else None
    last_digits_end = tokens[-1].end() - (len(unit) if unit else 0)
    if (
        len(tokens) < expected
        and all(t.group().isdigit() for t in tokens[:-1])
        and (tokens[-1].group().isdigit() or unit)
    ):
        run_start = tokens[0].start()
        return _RowRead(
            None,
            joined_run=text[run_start:last_digits_end],
            run_start=run_start,
            run_end=last_digits_end,
            run_unit=unit,
        )
    printed = text[tokens[0].start() : tokens[-1].end()]
    return _RowRead(
        None,
        problem=f"{len(tokens)} values printed ('{printed}') where {expected} were expected",
        run_start=tokens[0].start(),
        run_end=tokens[-1].end(),
    )


def _line_slots(segment: str, offset: int, expected: int) -> list[_Slot] | None:
    """One cell per line, blank cells as empty lines: the lines after the label line, if they fit exactly.

    The rest of the label's own line is skipped, and so is the line break before the next label; then there
    must be exactly ``expected`` lines of at most one value each, or this is not the one-per-line rendering.
    A value on the label's own line followed by empty lines is a paragraph, not a column of blank cells.
    """
    if "\n" not in segment:
        return None
    first, _, rest = segment.partition("\n")
    if first.strip() and not rest.strip():
        return None
    lines = segment.split("\n")
    positions = []
    at = offset
    for line in lines:
        positions.append(at)
        at += len(line) + 1
    pairs = list(zip(lines, positions, strict=True))
    if pairs and not pairs[0][0].strip():
        pairs = pairs[1:]
    if pairs and not pairs[-1][0].strip():
        pairs = pairs[:-1]
    if len(pairs) != expected or any(len(line.split()) > 1 for line, _ in pairs):
        return None
    slots = []
    for line, position in pairs:
        value = line.strip()
        lead = line.find(value) if value else 0
        slots.append((value, position + lead, position + lead + len(value)) if value else _UNPRINTED)
    return slots


def _printed(text: str, read: _RowRead) -> str | None:
    """The printed text of a row that could not be read, kept on its NULL cells."""
    if read.joined_run is not None:
        return read.joined_run
    if read.run_start is not None and read.run_end is not None:
        return text[read.run_start : read.run_end]
    return None


def _cells_from_slots(place: _RowPlace, slots: list[_Slot], parsed: list[CellValue] | None = None) -> list[Cell]:
    """The row's cells from its slots (``parsed``: the slots' ``parse_cell`` values, when already known)."""
    if parsed is None:
        parsed = [parse_cell(raw or "") for raw, _, _ in slots]
    table_code, row_code, row_label, columns = place
    return [
        _new_cell(
            Cell, (table_code, row_code, code, row_label, label, raw, cell.value, cell.state, cell.unit, start, end)
        )
        for (code, label), (raw, start, end), cell in zip(columns, slots, parsed, strict=True)
    ]


def _record_unreadable(result: TableResult, place: _RowPlace, text: str, read: _RowRead, message: str) -> None:
    """A row that could not be read for certain: a ``cells_unreadable`` warning saying why, and its cells NULL
    (state "text") with the printed run kept on each."""
    result.issues.append(Issue("cells_unreadable", "warning", message, read.run_start, read.run_end))
    raw = _printed(text, read)
    result.cells += [
        Cell(
            place.table_code,
            place.row_code,
            code,
            place.row_label,
            label,
            raw,
            None,
            "text",
            None,
            read.run_start,
            read.run_end,
        )
        for code, label in place.columns
    ]


def _find_rows(
    text: str, start: int, end: int, specs: tuple, result: TableResult, table_name: str
) -> list[tuple[object, int, int]]:
    """Locate row labels in print order; a row not found is reported, the search goes on after it."""
    found = []
    position = start
    for spec in specs:
        match = spec.pattern.search(text, position, end)
        if match is None:
            if getattr(spec, "kind", "cells") == "cells":
                result.issues.append(
                    Issue("row_not_found", "warning", f"{table_name}: row '{spec.label_zh}' not found")
                )
            continue
        found.append((spec, match.start(), match.end()))
        position = match.end()
    return found


# --- table 三 -----------------------------------------------------------------------------------------

_BALANCE_LEFT = ("new_received", "carried_over")
_BALANCE_RIGHT = ("total_processed", "carried_forward")
_NOT_OUTCOMES = frozenset({"new_received", "carried_over", "total_processed", "carried_forward"})
MAX_COMBINATIONS = 20000
"""Bound on the joint search over undecided glued rows (the product of their candidate counts)."""


def _column_holds(
    values: dict[str, list[int | None]], col: int, outcome_rows: list[str], balance: bool, outcome: bool
) -> bool:
    """Balance and/or outcome sum in one column; an identity with an unknown cell does not constrain."""

    def v(row: str) -> int | None:
        return values[row][col] if row in values else None

    if balance:
        parts = [v(r) for r in (*_BALANCE_LEFT, *_BALANCE_RIGHT)]
        if None not in parts and parts[0] + parts[1] != parts[2] + parts[3]:  # type: ignore[operator]
            return False
    if outcome:
        total = v("total_processed")
        parts = [v(r) for r in outcome_rows]
        if total is not None and parts and None not in parts and sum(parts) != total:  # type: ignore[arg-type]
            return False
    return True


def _table3_layout(header: str) -> list[tuple[str, str]]:
    """The columns of table 三 as its header prints them (``maps/table3_layouts.csv``)."""
    for _name, pattern, columns in maps.table3_layouts():
        if pattern is None or pattern.search(header):
            return list(columns)
    raise AssertionError("table3_layouts.csv needs a default layout")


def _row_identity(column_codes: list[str]) -> Callable[[list[int]], bool]:
    """总计 = the six applicant columns; a 法人 subtotal column, where printed, = the five organisation columns."""
    total = column_codes.index("total")
    subtotal = column_codes.index("legal_person_subtotal") if "legal_person_subtotal" in column_codes else None
    applicants = [i for i, c in enumerate(column_codes) if c not in ("total", "legal_person_subtotal")]
    organisations = [i for i in applicants if column_codes[i] != "natural_person"]

    def holds(values: list[int]) -> bool:
        if sum(values[i] for i in applicants) != values[total]:
            return False
        return subtotal is None or sum(values[i] for i in organisations) == values[subtotal]

    return holds


def parse_table3(text: str, start: int, end: int, template_version: str) -> TableResult:
    """Read table 三 (requests received and handled) between ``start`` and ``end``."""
    result = TableResult()
    found = _find_rows(text, start, end, maps.table3_rows(template_version), result, "table 三")
    header = text[start : found[0][1]] if found else ""
    columns = _table3_layout(header)
    width = len(columns)
    frame = pipe_frame(text, start, end)
    row_holds = _row_identity([code for code, _ in columns])
    cell_rows = [(spec, s, e) for spec, s, e in found]
    spans = []
    for index, (spec, _label_start, label_end) in enumerate(cell_rows):
        next_start = cell_rows[index + 1][1] if index + 1 < len(cell_rows) else end
        if spec.kind == "cells":
            spans.append((spec, (label_end, next_start, width)))
    row_reads = read_rows(text, [span for _, span in spans], frame, Alignment("right", 0))
    reads: dict[str, tuple[object, _RowRead]] = {
        spec.row_code: (spec, read) for (spec, _), read in zip(spans, row_reads, strict=True)
    }

    # Glued runs: candidates per row from the row identity, then the column identities across rows.
    candidates: dict[str, list[list[int]]] = {}
    known: dict[str, list[int | None]] = {}
    parsed: dict[str, list[CellValue]] = {}
    for row_code, (_spec, read) in reads.items():
        if read.slots is not None:
            parsed[row_code] = [parse_cell(raw or "") for raw, _, _ in read.slots]
            known[row_code] = [
                int(c.value) if c.value is not None and c.value.is_integer() else None for c in parsed[row_code]
            ]
        elif read.joined_run is not None:
            candidates[row_code] = split_row(read.joined_run, width, row_holds, 2 if width > 7 else 1)
    outcome_rows = [
        spec.row_code
        for spec in maps.table3_rows(template_version)
        if spec.kind == "cells" and spec.row_code not in _NOT_OUTCOMES
    ]
    resolved = _resolve_with_columns(candidates, known, outcome_rows)

    for row_code, (spec, read) in reads.items():
        place = _RowPlace("table3", row_code, spec.label_zh, columns)
        if read.slots is not None:
            result.cells += _cells_from_slots(place, read.slots, parsed[row_code])
        elif read.joined_run is not None and row_code in resolved:
            result.cells += _cells_from_split(place, read, resolved[row_code])
        else:
            why = read.problem or _ambiguity_message(read.joined_run, candidates.get(row_code, []))
            _record_unreadable(result, place, text, read, f"table 三 row '{spec.label_zh}': {why}")
    return result


def _ambiguity_message(run: str | None, candidates: list[list[int]]) -> str:
    if run is None:
        return "no cells could be read"
    if not candidates:
        return f"the digit run '{run}' has no split consistent with the identities; kept as printed, cells NULL"
    shown = "; ".join("|".join(map(str, c)) for c in candidates[:4])
    return f"the digit run '{run}' has {len(candidates)} splits consistent with the identities ({shown}); cells NULL"


def _resolve_with_columns(
    candidates: dict[str, list[list[int]]], known: dict[str, list[int | None]], outcome_rows: list[str]
) -> dict[str, list[int]]:
    """Pick each glued row's split: unique by itself, or the only combination the column identities allow.

    Only the identities that involve the undecided rows are used, and only in the columns where their
    candidate splits differ: a report whose own arithmetic is wrong elsewhere (say in 结转) still has its
    runs split by the sums that hold, and its printed totals are never "repaired".
    """
    resolved = {row: c[0] for row, c in candidates.items() if len(c) == 1}
    for row in _misread_rows(resolved, known, outcome_rows):
        del resolved[row]
    open_rows = [row for row, c in candidates.items() if len(c) > 1]
    combinations = 1
    for row in open_rows:
        combinations *= len(candidates[row])
    if not open_rows or combinations > MAX_COMBINATIONS:
        return resolved
    width = len(candidates[open_rows[0]][0])
    differing = [c for c in range(width) if any(len({cand[c] for cand in candidates[r]}) > 1 for r in open_rows)]
    balance = any(r in (*_BALANCE_LEFT, *_BALANCE_RIGHT) for r in open_rows)
    outcome = any(r in outcome_rows or r == "total_processed" for r in open_rows)
    base: dict[str, list[int | None]] = {**known, **resolved}  # type: ignore[dict-item]
    for row, cands in candidates.items():
        if not cands:
            base[row] = [None] * width  # unreadable: its identities cannot constrain anything

    def holds(combo: tuple[list[int], ...]) -> bool:
        values = {**base, **dict(zip(open_rows, combo, strict=True))}
        return all(_column_holds(values, c, outcome_rows, balance, outcome) for c in differing)

    combo = only_combination([candidates[row] for row in open_rows], holds, MAX_COMBINATIONS)
    if combo is not None:
        resolved.update(dict(zip(open_rows, combo, strict=True)))
    return resolved


def _misread_rows(
    resolved: dict[str, list[int]], known: dict[str, list[int | None]], outcome_rows: list[str]
) -> list[str]:
    """Rows whose only row-sum split breaks the column identities in two or more applicant columns.

    When the printed row itself does not add up (a source error in its 总计), the row identity can still
    admit exactly one split, and it is a misreading (16000236240224861 read as 1|600|0|236|2|4022|4861). A
    misprinted cell breaks the identities of its own column and of 总计; a split that breaks them in two or
    more other columns is not what was printed, so its cells stay NULL (a real error elsewhere in two columns
    costs a correct split, never a wrong number).
    """
    if not resolved:
        return []
    kept = dict(resolved)
    misread: list[str] = []
    width = len(next(iter(resolved.values())))
    while kept:
        values: dict[str, list[int | None]] = {**known, **kept}  # type: ignore[dict-item]
        broken = {}
        for row in kept:
            balance = row in (*_BALANCE_LEFT, *_BALANCE_RIGHT)
            outcome = row in outcome_rows or row == "total_processed"
            broken[row] = sum(not _column_holds(values, c, outcome_rows, balance, outcome) for c in range(width - 1))
        worst = max(broken.values())
        if worst < 2:
            break
        # the row breaking the most columns goes first: a misread row also breaks its neighbours' identities
        for row in [r for r, n in broken.items() if n == worst]:
            misread.append(row)
            del kept[row]
    return misread


def _cells_from_split(place: _RowPlace, read: _RowRead, split: list[int]) -> list[Cell]:
    """Cells of a glued run split for certain; each keeps its own span inside the run."""
    table_code, row_code, row_label, columns = place
    cells = []
    assert read.joined_run is not None and read.run_start is not None
    position = 0
    run = read.joined_run
    last = len(columns) - 1
    for index, ((code, label), value) in enumerate(zip(columns, split, strict=True)):
        printed = str(value)
        while not run[position].isdigit():
            position += 1
        start = read.run_start + position
        position += len(printed)
        cells.append(
            Cell(
                table_code,
                row_code,
                code,
                row_label,
                label,
                printed,
                float(value),
                "zero" if value == 0 else "number",
                read.run_unit if index == last else None,
                start,
                start + len(printed),
            )
        )
    return cells


# --- table 四 -----------------------------------------------------------------------------------------

_TABLE4_HEADER = re.compile(maps.label_regex("总计") + "|" + maps.label_regex("尚未审结"))
TABLE4_ROW_CODE = "reviews_and_litigation"
"""Table 四 is one row of fifteen values."""
_TABLE4_ROW_LABEL = "行政复议、行政诉讼"


def parse_table4(text: str, start: int, end: int) -> TableResult:
    """Read table 四 (reconsideration and litigation): 15 values after the header."""
    result = TableResult()
    columns = [(f"{g}.{r}", label) for g, r, label in maps.table4_columns()]
    header_end = start
    for match in _TABLE4_HEADER.finditer(text, start, end):
        header_end = match.end()
    if header_end == start:
        return _table4_without_header(text, start, end, columns)
    line_end = text.find("\n", header_end, end)
    if line_end >= 0 and not _TOKEN.search(text, header_end, line_end):
        header_end = line_end  # the rest of the header line holds no value: the values start on the next line
    values_end = _first_text_token(text, header_end, end)
    segment = text[header_end:values_end]
    if "|" in segment:
        frame = pipe_frame(text, start, values_end)
        slots = []
        for line_start, line in _lines(text, header_end, values_end):
            if "|" not in line:
                slots += [
                    (t.group(), t.start(), t.end()) for t in _TOKEN.finditer(text, line_start, line_start + len(line))
                ]
                continue
            pieces = _pipe_slots(line, line_start)
            if not any(raw for raw, _, _ in pieces):
                continue
            stripped = line.strip()
            if frame.left and stripped.startswith("|") and pieces and not pieces[0][0]:
                pieces = pieces[1:]
            if (frame.right or stripped.endswith("|")) and pieces and not pieces[-1][0]:
                pieces = pieces[:-1]
            slots += [slot if slot[0] else _UNPRINTED for slot in pieces]
        read = (
            _RowRead(slots)
            if len(slots) == len(columns)
            else _RowRead(None, problem=f"{len(slots)} cells printed where {len(columns)} were expected")
        )
    else:
        read = read_row_cells(text, header_end, values_end, len(columns))
    place = _RowPlace("table4", TABLE4_ROW_CODE, _TABLE4_ROW_LABEL, columns)
    if read.slots is not None:
        result.cells += _cells_from_slots(place, read.slots)
        return result
    if read.joined_run is not None:
        one_each = split_one_digit_each(read.joined_run, len(columns))
        if one_each is not None and all(sum(one_each[i : i + 4]) == one_each[i + 4] for i in (0, 5, 10)):
            splits = [one_each]
        else:
            splits = split_groups_with_totals(read.joined_run, 3, 5)
        if len(splits) == 1:
            result.cells += _cells_from_split(place, read, splits[0])
            return result
        why = _ambiguity_message(read.joined_run, splits)
    else:
        why = read.problem or "no values found"
    _record_unreadable(result, place, text, read, f"table 四: {why}")
    return result


_TABLE4_LEAD = re.compile(r"如下[:：]?|情况[:：]")
_SEPARATED_NUMBER = re.compile(r"(?<![\d.])\d+(?![\d.])")


def _table4_without_header(text: str, start: int, end: int, columns: list[tuple[str, str]]) -> TableResult:
    """Table 四 printed as its 15 numbers with the header lost (a flattened copy): read by position.

    Only when exactly 15 separate whole numbers follow the section's lead-in, and all three of its sums hold
    (维持 + 纠正 + 其他 + 尚未审结 = 总计 for 复议 and both kinds of 诉讼): three sums over fifteen numbers make a
    shifted or foreign run of numbers fail. Otherwise nothing is read, with the reason.
    """
    result = TableResult()
    lead = _TABLE4_LEAD.search(text, start, end)
    values_start = lead.end() if lead else start
    values_end = _first_text_token(text, values_start, end)
    numbers = list(_SEPARATED_NUMBER.finditer(text, values_start, values_end))
    values = [int(m.group()) for m in numbers]
    groups = [values[i : i + 5] for i in range(0, 15, 5)]
    if len(values) == len(columns) and all(sum(g[:4]) == g[4] for g in groups):
        slots = [(m.group(), m.start(), m.end()) for m in numbers]
        result.cells += _cells_from_slots(_RowPlace("table4", TABLE4_ROW_CODE, _TABLE4_ROW_LABEL, columns), slots)
        result.issues.append(
            Issue(
                "table_header_not_found",
                "warning",
                "table 四: no header printed; its 15 numbers read by position, all three of its sums hold",
                values_start,
                values_end,
            )
        )
        return result
    result.issues.append(Issue("table_header_not_found", "error", "table 四: header (总计) not found", start, end))
    return result


def _lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out = []
    position = start
    for line in text[start:end].split("\n"):
        out.append((position, line))
        position += len(line) + 1
    return out


# --- table 二 -----------------------------------------------------------------------------------------


def parse_table2(text: str, start: int, end: int, template_version: str) -> TableResult:
    """Read table 二 (proactive disclosure): each item row with the measures of its template version."""
    result = TableResult()
    specs = maps.table2_rows(template_version)
    frame = pipe_frame(text, start, end)
    found = _find_rows(text, start, end, specs, result, "table 二")
    spans = [
        (label_end, found[index + 1][1] if index + 1 < len(found) else end, len(spec.measures))
        for index, (spec, _label_start, label_end) in enumerate(found)
    ]
    for (spec, _, _), read in zip(found, read_rows(text, spans, frame, Alignment("left", 0)), strict=True):
        place = _RowPlace("table2", spec.item, spec.label_zh, [(m, m) for m in spec.measures])
        if read.slots is not None:
            result.cells += _cells_from_slots(place, read.slots)
            continue
        split = split_one_digit_each(read.joined_run, len(place.columns)) if read.joined_run else None
        if split is not None:
            result.cells += _cells_from_split(place, read, split)
            continue
        why = read.problem or (
            f"the digit run '{read.joined_run}' can be split in several ways and table 二 has no identity to "
            "choose one; cells NULL, run kept"
        )
        _record_unreadable(result, place, text, read, f"table 二 row '{spec.label_zh}': {why}")
    return result
