"""Cell semantics: blanks and placeholders are NULL, a printed 0 is zero, decorations parse."""

from __future__ import annotations

import pytest

from orchestration.parsing.cells import parse_cell


@pytest.mark.parametrize("raw", ["", "   ", "/", "—", "-", "--", "无", "不适用"])
def test_blank_and_placeholder_cells_are_null_not_zero(raw: str) -> None:
    cell = parse_cell(raw)
    assert cell.value is None
    assert cell.state == ("blank" if not raw.strip() else "placeholder")


@pytest.mark.parametrize(
    ("raw", "value", "state", "unit"),
    [
        ("0", 0.0, "zero", None),
        ("0件", 0.0, "zero", "件"),
        ("1,234", 1234.0, "number", None),
        ("+1036", 1036.0, "number", None),
        ("-3", -3.0, "number", None),
        ("251000元", 251000.0, "number", "元"),
        ("96171.6", 96171.6, "number", None),
        ("12万元", 12.0, "number", "万元"),
    ],
)
def test_decorated_numbers_parse(raw: str, value: float, state: str, unit: str | None) -> None:
    cell = parse_cell(raw)
    assert (cell.value, cell.state, cell.unit) == (value, state, unit)


def test_text_is_not_a_number() -> None:
    assert parse_cell("详见附件").state == "text"
    assert parse_cell("详见附件").value is None
