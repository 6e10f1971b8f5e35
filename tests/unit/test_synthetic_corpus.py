"""The synthetic corpus is deterministic, obeys the identities, and parses back to its expected values."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic.corpus import generate
from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.report import parse_report


def test_same_seed_same_corpus(tmp_path: Path) -> None:
    first = list(generate(tmp_path / "a", 15, seed=3))
    second = list(generate(tmp_path / "b", 15, seed=3))
    assert first == second
    assert (tmp_path / "a" / first[0].file).read_bytes() == (tmp_path / "b" / second[0].file).read_bytes()


def test_generated_reports_parse_back_to_their_expected_values(tmp_path: Path) -> None:
    right = total = prose_reports = 0
    for expected in generate(tmp_path, 40, seed=11):
        path = tmp_path / expected.file
        parsed = parse_report("x", decode_report_bytes(path.read_bytes(), path.suffix).text or "", path.name)
        assert parsed.template_version == expected.template_version
        assert parsed.report_year == expected.report_year
        assert parsed.region_code == expected.region_code, (expected.file, expected.agency_name)
        assert parsed.is_polluted == expected.polluted
        if expected.prose is not None:  # a prose-era report: every stated figure, exactly, once
            prose_reports += 1
            found = {(f.field, f.value) for f in parsed.figures}
            assert found == {(field, float(value)) for field, value in expected.prose.items()}, expected.file
            continue
        cells = {f"{c.row_code}|{c.column_code}": c.value for c in parsed.cells if c.table_code == "table3"}
        for key, value in expected.table3.items():
            total += 1
            got = cells.get(key)
            right += got == (None if value is None else float(value))
            assert got is None or value is None or got == value, "never a wrong number"
    assert right / total > 0.99
    assert prose_reports >= 5
