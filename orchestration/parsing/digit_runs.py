"""Split runs of digits that a text extraction glued together, using the tables' own identities.

Archived copies often print a table row as one digit string: ``801000081`` is 80|1|0|0|0|0|81. A row of
table 三 obeys 总计 = sum of the six applicant columns, and table 四's three groups obey 维持+纠正+其他+尚未审结 =
总计. Enumerating every split that satisfies the identity (with no leading zeros except a lone 0, and never
across a printed space) tells whether the split is certain. Only a unique split is used; anything else is
reported as ambiguous so the caller can store NULL and keep the raw run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

MAX_CANDIDATES = 64
"""More candidate splits than this for one row means the row is hopelessly ambiguous; stop enumerating."""


def _parts(digits: str, boundaries: frozenset[int], start: int, count: int) -> Iterator[list[int]]:
    """Every way to cut digits[start:] into ``count`` numbers, honouring forced boundaries."""
    remaining = len(digits) - start
    if count == 0:
        if remaining == 0:
            yield []
        return
    if remaining < count:
        return
    max_len = remaining - (count - 1)
    for length in range(1, max_len + 1):
        end = start + length
        # A printed separator inside a number is impossible: the number must end at or before it.
        if any(start < b < end for b in boundaries):
            break
        if length > 1 and digits[start] == "0":
            break
        head = int(digits[start:end])
        for tail in _parts(digits, boundaries, end, count - 1):
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


def split_row(run: str, parts: int, holds: Callable[[list[int]], bool]) -> list[list[int]]:
    """All splits of a run into ``parts`` numbers for which the row's identity ``holds``."""
    digits, boundaries = _digits_and_boundaries(run)
    found: list[list[int]] = []
    for split in _parts(digits, boundaries, 0, parts):
        if not _respects_boundaries(_cut_positions(split, digits), boundaries):
            continue
        if holds(split):
            found.append(split)
            if len(found) > MAX_CANDIDATES:
                break
    return found


def split_groups_with_totals(run: str, groups: int, group_size: int) -> list[list[int]]:
    """All splits of a run into ``groups`` groups of ``group_size`` numbers, each ending in its sum."""
    digits, boundaries = _digits_and_boundaries(run)
    found: list[list[int]] = []
    for split in _parts(digits, boundaries, 0, groups * group_size):
        if not _respects_boundaries(_cut_positions(split, digits), boundaries):
            continue
        chunks = [split[i : i + group_size] for i in range(0, len(split), group_size)]
        if all(sum(chunk[:-1]) == chunk[-1] for chunk in chunks):
            found.append(split)
            if len(found) > MAX_CANDIDATES:
                break
    return found


def split_one_digit_each(run: str, parts: int) -> list[int] | None:
    """The only split that needs no identity: as many digits as cells."""
    digits, _ = _digits_and_boundaries(run)
    return [int(d) for d in digits] if len(digits) == parts else None


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
