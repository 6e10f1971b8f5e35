"""Split runs of digits that a text extraction glued together, using the tables' own identities.

Archived copies often print a table row as one digit string: ``801000081`` is 80|1|0|0|0|0|81. A row of
table 三 obeys 总计 = sum of the six applicant columns, and table 四's three groups obey 维持+纠正+其他+尚未审结 =
总计. Enumerating every split that satisfies the identity (with no leading zeros except a lone 0, and never
across a printed space) tells whether the split is certain. Only a unique split is used; anything else is
reported as ambiguous so the caller can store NULL and keep the raw run.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

MAX_CANDIDATES = 64
"""More candidate splits than this for one row means the row is hopelessly ambiguous; stop enumerating."""
MAX_CELL_DIGITS = 7
"""No count in one report's table reaches ten million: a split needing a longer number is not considered."""
MAX_RUN_DIGITS = 60
"""A longer run is not one table row; it is left unsplit."""


def _prefix(boundaries: frozenset[int], length: int) -> frozenset[int]:
    return frozenset(b for b in boundaries if b < length)


def _parts(
    digits: str,
    boundaries: frozenset[int],
    start: int,
    count: int,
    ceiling: int | None = None,
    stop: int | None = None,
    budget: int | None = None,
) -> Iterator[list[int]]:
    """Every way to cut digits[start:] into ``count`` numbers, honouring forced boundaries.

    With ``ceiling``, no number may exceed it (every cell of a row is at most the row's total); with
    ``budget``, the numbers together may not exceed it. Both keep the search small.
    """
    if budget is not None and budget < 0:
        return
    if stop is not None:
        # Partial consumption: ``count`` numbers taken from digits[start:], leaving the rest (up to ``stop``).
        yield from _prefix_parts(digits, boundaries, start, count, stop)
        return
    remaining = len(digits) - start
    if count == 0:
        if remaining == 0:
            yield []
        return
    if remaining < count:
        return
    if count == 1:
        # The last number is the whole rest (the loop below would try every shorter one and discard it).
        if remaining > MAX_CELL_DIGITS or (remaining > 1 and digits[start] == "0"):
            return
        if any(start < b < len(digits) for b in boundaries):
            return
        head = int(digits[start:])
        if (ceiling is None or head <= ceiling) and (budget is None or head <= budget):
            yield [head]
        return
    max_len = min(remaining - (count - 1), MAX_CELL_DIGITS)
    if remaining > count * MAX_CELL_DIGITS:
        return
    for length in range(1, max_len + 1):
        end = start + length
        # A printed separator inside a number is impossible: the number must end at or before it.
        if any(start < b < end for b in boundaries):
            break
        if length > 1 and digits[start] == "0":
            break
        head = int(digits[start:end])
        if ceiling is not None and head > ceiling:
            break
        for tail in _parts(
            digits, boundaries, end, count - 1, ceiling, budget=None if budget is None else budget - head
        ):
            yield [head, *tail]


def _prefix_parts(digits: str, boundaries: frozenset[int], start: int, count: int, stop: int) -> Iterator[list[int]]:
    """``count`` numbers read from ``start``, not necessarily reaching the end, never past ``stop``."""
    if count == 0:
        yield []
        return
    for length in range(1, MAX_CELL_DIGITS + 1):
        end = start + length
        if end > stop or any(start < b < end for b in boundaries):
            break
        if length > 1 and digits[start] == "0":
            break
        head = int(digits[start:end])
        for tail in _prefix_parts(digits, boundaries, end, count - 1, stop):
            yield [head, *tail]


def _respects_boundaries(cuts: list[int], boundaries: frozenset[int]) -> bool:
    return boundaries <= set(cuts)


def split_row_with_total(run: str, parts: int) -> list[list[int]]:
    """All splits of a run into ``parts`` numbers where the last equals the sum of the others.

    Args:
        run: the printed run; spaces inside it are kept as forced boundaries ("500000 5").
        parts: how many numbers the row holds (7 for table 三: six applicant columns and 总计).

    Returns:
        The candidate splits (at most ``MAX_CANDIDATES + 1``); one element means the split is certain.
    """
    return split_row(run, parts, lambda values: sum(values[:-1]) == values[-1])


def split_row(run: str, parts: int, holds: Callable[[list[int]], bool], others_per_total: int = 1) -> list[list[int]]:
    """All splits of a run into ``parts`` numbers, the last being the row's total, for which ``holds``.

    The total is chosen first (a suffix of the run); every other number is at most the total, so the search
    is bounded by the run's length and the total's size rather than by all ways to cut the run.
    """
    digits, boundaries = _digits_and_boundaries(run)
    found: list[list[int]] = []
    if len(digits) > MAX_RUN_DIGITS:
        return found
    splits = (
        [*head, total]
        for total_len in range(1, min(len(digits) - parts + 1, MAX_CELL_DIGITS) + 1)
        if (total_text := digits[len(digits) - total_len :]) == "0" or not total_text.startswith("0")
        for total in (int(total_text),)
        if not any(len(digits) - total_len < b < len(digits) for b in boundaries)
        # The other cells are each at most the total and add up to at most ``others_per_total`` times it
        # (once for the template's columns, twice with a 法人 subtotal column).
        for head in _parts(
            digits[: len(digits) - total_len],
            _prefix(boundaries, len(digits) - total_len),
            0,
            parts - 1,
            total,
            budget=others_per_total * total,
        )
    )
    for split in splits:
        if not _respects_boundaries(_cut_positions(split, digits), boundaries):
            continue
        if holds(split):
            found.append(split)
            if len(found) > MAX_CANDIDATES:
                break
    return found


def split_groups_with_totals(run: str, groups: int, group_size: int) -> list[list[int]]:
    """All splits of a run into ``groups`` groups of ``group_size`` numbers, each ending in its sum.

    Group by group from the left: each group's candidates obey its own identity before the rest of the run
    is considered, which keeps the search to a few hundred steps for table 四's fifteen numbers.
    """
    digits, boundaries = _digits_and_boundaries(run)
    if len(digits) > MAX_RUN_DIGITS:
        return []
    found: list[list[int]] = []

    def extend(start: int, done: list[int]) -> None:
        if len(found) > MAX_CANDIDATES:
            return
        if len(done) == groups * group_size:
            if start == len(digits):
                found.append(done)
            return
        later = groups * group_size - len(done) - group_size
        for group in _parts(digits, boundaries, start, group_size, None, len(digits) - later):
            if sum(group[:-1]) != group[-1]:
                continue
            end = start + sum(len(str(v)) for v in group)
            if end in boundaries or end == len(digits) or not any(start < b < end for b in boundaries):
                extend(end, done + group)

    extend(0, [])
    return [split for split in found if _respects_boundaries(_cut_positions(split, digits), boundaries)]


def split_one_digit_each(run: str, parts: int) -> list[int] | None:
    """The only split that needs no identity: as many digits as cells, or a run that only one way of cutting
    leaves without a number printed with a leading zero ("0054" in three cells is 0|0|54)."""
    digits, boundaries = _digits_and_boundaries(run)
    if len(digits) == parts:
        return [int(d) for d in digits]
    splits = []
    for split in _parts(digits, boundaries, 0, parts):
        splits.append(split)
        if len(splits) > 1:
            return None
    return splits[0] if splits else None


def _digits_and_boundaries(run: str) -> tuple[str, frozenset[int]]:
    digits = []
    boundaries = set()
    for ch in run:
        if ch.isdigit():
            digits.append(ch)
        elif digits:
            boundaries.add(len(digits))
    joined = "".join(digits)
    return joined, frozenset(b for b in boundaries if 0 < b < len(joined))


def _cut_positions(split: list[int], digits: str) -> list[int]:
    positions = []
    at = 0
    for value in split[:-1]:
        at += len(str(value))
        positions.append(at)
    return positions


Option = TypeVar("Option")


def only_combination(
    options: Sequence[Sequence[Option]], holds: Callable[[tuple[Option, ...]], bool], limit: int
) -> tuple[Option, ...] | None:
    """The one way of taking an option per slot that satisfies ``holds``, or None.

    None when no way or more than one does (the search stops at the second), or when there are more than
    ``limit`` ways to try: a split is kept only where the identities leave exactly one reading.
    """
    if math.prod(len(slot) for slot in options) > limit:
        return None
    found: tuple[Option, ...] | None = None
    for combo in itertools.product(*options):
        if holds(combo):
            if found is not None:
                return None
            found = combo
    return found
