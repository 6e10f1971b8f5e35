"""Score a build against the development set's sidecars (``../shared/corpus/devset``): every printed cell.

A cell the warehouse leaves NULL where the sidecar has a number is a miss, never a pass; a number other than
the printed one is wrong (table 二 amounts compared in the unit their measure names, as the facts hold
them). Cells the sidecar lists as ``ambiguous`` (no reader can decide them) must be NULL.

    .venv/bin/python -m bench.devset ../shared/corpus/devset/tables --parser
    .venv/bin/python -m bench.devset ../shared/corpus/devset/tables --warehouse warehouse/devset-tables.duckdb

``--parser`` runs the parser in this process on the folder's files (seconds; what the tables look like to
it), ``--warehouse`` reads the published file of a ``make run`` over the same folder (the users' path).
Prints exact / missed / wrong per table, rendering and template, and with ``--misses N`` the first N misses.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.report import parse_rows

Cell = tuple[str, str, str]  # (table_code, row_code, column_code) as in marts.report_table_cells


def in_measure_unit(measure: str, value: float | None, unit: str | None) -> float | None:
    """A table 二 amount in the unit its measure names, as fct_proactive_disclosure stores it."""
    if value is None:
        return None
    if measure == "amount_cny" and unit == "万元":
        return round(value * 10000, 6)
    if measure == "amount_10k_cny" and unit == "元":
        return round(value / 10000, 6)
    return value


@dataclass(frozen=True)
class Sidecar:
    """One report's expected values."""

    source_path: str
    data: dict

    @property
    def rendering(self) -> str:
        return self.data.get("render", {}).get("table_style") or "none"

    @property
    def template(self) -> str:
        return self.data["report"].get("template_version") or "none"


def sidecars(folder: Path) -> Iterator[Sidecar]:
    """The sidecars of ``<folder>`` in ``<folder>_gold``, sorted by path."""
    gold = folder.with_name(folder.name + "_gold")
    for path in sorted(gold.rglob("*.json")):
        if path.name.startswith("_"):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        yield Sidecar(data["source_path"], data)


def expected_cells(sidecar: Sidecar) -> dict[Cell, float | None]:
    """The table cells a table-era report prints, in the warehouse's codes (None: printed blank)."""
    if sidecar.template not in ("fmt2019", "fmt2021") or sidecar.data["report"].get("parse_status") == "rejected":
        return {}
    facts = sidecar.data.get("facts", {})
    cells: dict[Cell, float | None] = {}
    for applicant, measures in facts.get("applications", {}).items():
        for measure, value in measures.items():
            cells[("table3", measure, applicant)] = value
    for applicant, outcomes in facts.get("outcomes", {}).items():
        for outcome, value in outcomes.items():
            cells[("table3", outcome, applicant)] = value
    for result, value in facts.get("reviews", {}).items():
        cells[("table4", "reviews_and_litigation", f"review.{result}")] = value
    for route, results in facts.get("litigation", {}).items():
        for result, value in results.items():
            cells[("table4", "reviews_and_litigation", f"{route}.{result}")] = value
    for item, measures in facts.get("proactive", {}).items():
        for measure, value in measures.items():
            cells[("table2", item, measure)] = value
    for path in sidecar.data.get("ambiguous", []):
        if path[0] == "proactive":
            cells[("table2", path[1], path[2])] = None
    return {key: None if value is None else float(value) for key, value in cells.items()}


def ambiguous_cells(sidecar: Sidecar) -> set[Cell]:
    return {("table2", p[1], p[2]) for p in sidecar.data.get("ambiguous", []) if p[0] == "proactive"}


def parsed_cells_by_parser(folder: Path, paths: list[str]) -> dict[str, dict[Cell, float | None]]:
    """Cells the parser reads from each file, run in this process."""
    rows = []
    for path in paths:
        raw = (folder / path).read_bytes()
        decoded = decode_report_bytes(raw, Path(path).suffix.lower())
        if decoded.text is not None and decoded.rejection is None:
            rows.append((path, decoded.text, path))
    out: dict[str, dict[Cell, float | None]] = defaultdict(dict)
    for start in range(0, len(rows), 200):
        tables = parse_rows(rows[start : start + 200])
        for record in tables["table_cells"]:
            report_id, table, row, column = record[0], record[1], record[2], record[3]
            out[report_id][(table, row, column)] = in_measure_unit(column, record[7], record[9])
    return out


def parsed_cells_in_warehouse(warehouse: Path) -> dict[str, dict[Cell, float | None]]:
    """Cells of every report in the published file, by source path."""
    out: dict[str, dict[Cell, float | None]] = defaultdict(dict)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        for path, table, row, column, value, unit in conn.execute(
            "select r.source_path, c.table_code, c.row_code, c.column_code, c.value, c.unit "
            "from marts.report_table_cells c join marts.dim_report r using (report_id)"
        ).fetchall():
            out[path][(table, row, column)] = in_measure_unit(column, value, unit)
    return out


@dataclass
class Score:
    """Cell outcomes (exact, missed, wrong, guessed) per group: all, non-zero, table, rendering, template."""

    groups: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[str] = field(default_factory=list)

    def exact_share(self, group: str) -> float:
        counts = self.groups[group]
        return 100 * counts["exact"] / (sum(counts.values()) or 1)

    def table(self) -> str:
        lines = [f"{'group':28} {'cells':>7} {'exact %':>8} {'missed':>7} {'wrong':>6} {'guessed':>8}"]
        for group in sorted(self.groups, key=lambda g: (g != "all", g != "non-zero", g)):
            counts = self.groups[group]
            lines.append(
                f"{group:28} {sum(counts.values()):7} {self.exact_share(group):8.2f} {counts['missed']:7} "
                f"{counts['wrong']:6} {counts['guessed']:8}"
            )
        return "\n".join(lines)


def score(folder: Path, got: dict[str, dict[Cell, float | None]], keep_misses: int = 0) -> Score:
    """Compare every expected cell of the folder's sidecars with what was read."""
    result = Score()
    for sidecar in sidecars(folder):
        expected = expected_cells(sidecar)
        if not expected:
            continue
        read = got.get(sidecar.source_path, {})
        ambiguous = ambiguous_cells(sidecar)
        for key, value in expected.items():
            parsed = read.get(key)
            if key in ambiguous:
                outcome = "exact" if parsed is None else "guessed"
            elif parsed == value:
                outcome = "exact"
            elif parsed is None:
                outcome = "missed"
            else:
                outcome = "wrong"
            groups = ["all", f"table {key[0]}", f"rendering {sidecar.rendering}", f"template {sidecar.template}"]
            if value not in (None, 0.0) and key not in ambiguous:
                groups.append("non-zero")
            for group in groups:
                result.groups[group][outcome] += 1
            if outcome != "exact" and len(result.misses) < keep_misses:
                result.misses.append(
                    f"{outcome:7} {sidecar.source_path} {sidecar.rendering} {key} gold={value} got={parsed}"
                )
    return result


def score_parser(folder: Path, keep_misses: int = 0) -> Score:
    """Score the parser run in this process on the folder's table-era files."""
    folder = folder.resolve()
    paths = [s.source_path for s in sidecars(folder) if expected_cells(s)]
    return score(folder, parsed_cells_by_parser(folder, paths), keep_misses)


def main() -> None:
    """Score one devset folder by the parser or by a published warehouse."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--parser", action="store_true")
    source.add_argument("--warehouse", type=Path)
    parser.add_argument("--misses", type=int, default=0)
    args = parser.parse_args()
    if args.parser:
        result = score_parser(args.folder, args.misses)
    else:
        result = score(args.folder.resolve(), parsed_cells_in_warehouse(args.warehouse), args.misses)
    print(result.table())
    for line in result.misses:
        print(line)


if __name__ == "__main__":
    main()
