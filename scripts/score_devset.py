"""Score a build against the development set's sidecars (``../shared/corpus/devset``): every printed cell.

A cell the warehouse leaves NULL where the sidecar has a number is a miss, never a pass; a number other than
the printed one is wrong (table 二 amounts compared in the unit their measure names, as the facts hold
them). Cells the sidecar lists as ``ambiguous`` (no reader can decide them) must be NULL.

    .venv/bin/python scripts/score_devset.py ../shared/corpus/devset/tables --parser
    .venv/bin/python scripts/score_devset.py ../shared/corpus/devset/tables --warehouse /work/dev/tables/ogi.duckdb

``--parser`` runs the parser in this process on the folder's files (seconds; what the tables look like to
it), ``--warehouse`` reads the published file of a ``make run`` over the same folder (the users' path).
Prints exact / missed / wrong per table, rendering and template, and with ``--misses N`` the first N misses.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
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


def score(folder: Path, got: dict[str, dict[Cell, float | None]], show_misses: int) -> dict[str, float]:
    """Print the comparison; return the overall figures."""
    totals: dict[str, Counter] = defaultdict(Counter)
    misses: list[str] = []
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
                totals[group][outcome] += 1
            if outcome != "exact" and len(misses) < show_misses:
                misses.append(f"{outcome:7} {sidecar.source_path} {sidecar.rendering} {key} gold={value} got={parsed}")
    print(f"{'group':28} {'cells':>7} {'exact %':>8} {'missed':>7} {'wrong':>6} {'guessed':>8}")
    for group in sorted(totals, key=lambda g: (g != "all", g != "non-zero", g)):
        counts = totals[group]
        cells = sum(counts.values())
        print(
            f"{group:28} {cells:7} {100 * counts['exact'] / cells:8.2f} {counts['missed']:7} "
            f"{counts['wrong']:6} {counts['guessed']:8}"
        )
    for line in misses:
        print(line)
    overall = totals["all"]
    cells = sum(overall.values()) or 1
    return {"cells": cells, "exact": 100 * overall["exact"] / cells, "wrong": overall["wrong"]}


def main() -> None:
    """Score one devset folder by the parser or by a published warehouse."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--parser", action="store_true")
    source.add_argument("--warehouse", type=Path)
    parser.add_argument("--misses", type=int, default=0)
    args = parser.parse_args()
    folder = args.folder.resolve()
    if args.parser:
        paths = [s.source_path for s in sidecars(folder) if expected_cells(s)]
        got = parsed_cells_by_parser(folder, paths)
    else:
        got = parsed_cells_in_warehouse(args.warehouse)
    score(folder, got, args.misses)


if __name__ == "__main__":
    main()
