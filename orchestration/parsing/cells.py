"""Cell text to value and cell state.

A blank cell, "/", "—", "无" or "不适用" is NULL with its own state; "0" is a stated zero. Decorations seen in
real files ("0件", "1,234", "+1036", "251000元", "96171.6") are parsed; the raw text is always kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from orchestration.parsing.maps import cell_placeholders

CELL_STATES = ("number", "zero", "blank", "placeholder", "text")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}\b)")
_NUMBER = re.compile(r"^(?P<sign>[+-])?(?P<digits>\d+(?:\.\d+)?)(?P<unit>件|条|个|项|人次|次|份|家|元|万元)?$")


@dataclass(frozen=True)
class CellValue:
    """A parsed cell: its numeric value (None when not a number), state and printed unit."""

    value: float | None
    state: str
    unit: str | None = None


@lru_cache(maxsize=65536)
def parse_cell(raw: str) -> CellValue:
    """Parse one printed cell.

    Args:
        raw: the cell text as printed (after NFKC normalization).

    Returns:
        The value and one of ``CELL_STATES``. Numbers keep their sign; units are reported separately so that
        the caller can convert money (元 vs 万元) per measure.
    """
    text = raw.strip()
    if not text:
        return CellValue(None, "blank")
    if text in cell_placeholders():
        return CellValue(None, "placeholder")
    compact = _THOUSANDS.sub("", text.replace(" ", ""))
    match = _NUMBER.match(compact)
    if not match:
        return CellValue(None, "text")
    value = float(match["digits"])
    if match["sign"] == "-":
        value = -value
    return CellValue(value, "zero" if value == 0 else "number", match["unit"])
