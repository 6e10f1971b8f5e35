"""A glued row whose printed total does not add up must not be "split" into numbers nobody printed.

The fixture is synthetic report 61085 of the 100,000-report benchmark corpus (seed 20261121): its （七）总计
row prints 160|0|0|236|240|224|861 glued as 16000236240224861, and 160+236+240+224 = 860, not 861 (a
deliberate source error). The only split obeying the row sum, 1|600|0|236|2|4022|4861, is a misreading.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.report import parse_report

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "synthetic" / "glued_total_row_source_error.txt"
PRINTED = {
    "new_received": [165, 0, 0, 238, 242, 228, 873],
    "total_processed": [160, 0, 0, 236, 240, 224, 861],
    "carried_forward": [5, 0, 0, 2, 2, 4, 13],
}


def _rows() -> dict[str, list[float | None]]:
    parsed = parse_report("x", decode_report_bytes(FIXTURE.read_bytes(), ".txt").text or "", FIXTURE.name)
    rows: dict[str, list[float | None]] = {}
    for cell in parsed.cells:
        if cell.table_code == "table3":
            rows.setdefault(cell.row_code, []).append(cell.value)
    return rows


def test_no_cell_of_the_report_is_a_number_that_was_not_printed() -> None:
    for row, values in _rows().items():
        printed = PRINTED.get(row)
        if printed is not None:
            assert all(v is None or v == p for v, p in zip(values, printed, strict=True)), row


def test_the_misread_total_row_stays_null() -> None:
    assert _rows()["total_processed"] == [None] * 7
