"""Score a published warehouse against the development set beyond the table cells (the prose issue's table).

Per folder: prose figures (the facts of prose-era reports in the ``fct_*`` marts, and the key figures
stated beside the tables in ``report_prose_figures``), the publisher (full agency name exact and loose:
one of the sidecar's accepted display forms), the title, the region code, duplicates and polluted pages
found, the injected source errors flagged ``fail`` by the check they break, and false alarms on clean
reports. A figure the warehouse leaves NULL where the sidecar has a number is a miss.

    .venv/bin/python -m bench.devset_reports ../shared/corpus/devset/prose --warehouse <published.duckdb>
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from bench.devset import Sidecar, sidecars

# key figures beside the tables -> the prose field the parser writes
KEY_FIGURE_FIELDS = {
    "prose_new_received": "applications_received",
    "prose_total_processed": "replies_total",
    "prose_carried_over": "carried_over",
    "prose_carried_forward": "carried_forward",
    "prose_reviews_total": "administrative_reconsiderations",
    "prose_litigation_total": "administrative_lawsuits",
    "prose_disclosed": "legacy_granted",
    "prose_partially_disclosed": "legacy_partially_granted",
    "proactive_total": "proactively_disclosed",
}
# injected source errors -> (check_code, how the scope is matched)
INJECTED_CHECKS = {"prose_table_mismatch": "prose_vs_table", "cross_year_mismatch": "carry_over_vs_prior_year"}
# the checks an injected error must trip: a failure of one of them on a clean report is a false alarm
ALARM_CHECKS = {
    "balance",
    "outcome_sum",
    "applicant_sum",
    "review_sum",
    "litigation_sum",
    "prose_vs_table",
    "prose_outcome_sum",
    "carry_over_vs_prior_year",
}
# the sidecar's check names where the warehouse names a check differently for prose-era reports
PROSE_CHECK_NAMES = {"outcome_sum": "prose_outcome_sum"}


@dataclass
class Tally:
    """Outcome counts per metric (exact / missed / wrong, found / not found, ...)."""

    metrics: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, metric: str, outcome: str, example: str = "", keep: int = 8) -> None:
        self.metrics[metric][outcome] += 1
        if outcome not in ("exact", "found", "clean") and len(self.examples[metric]) < keep:
            self.examples[metric].append(f"{outcome}: {example}")

    def table(self) -> str:
        lines = [f"{'metric':34} {'n':>5} {'good %':>7}  outcomes"]
        for metric, counts in sorted(self.metrics.items()):
            total = sum(counts.values())
            good = counts["exact"] + counts["found"] + counts["clean"]
            detail = ", ".join(f"{k} {v}" for k, v in counts.most_common())
            lines.append(f"{metric:34} {total:5} {100 * good / (total or 1):7.1f}  {detail}")
        return "\n".join(lines)


def _warehouse_rows(conn: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Per source path: the report's row, its agency, its facts and prose figures, its failed checks."""
    reports: dict[str, dict] = {}
    for path, rid, title, status, canonical, dup, polluted, name, code in conn.execute(
        "select r.source_path, r.report_id, r.title, r.parse_status, r.is_canonical, r.duplicate_of, "
        "r.is_polluted, a.agency_name, a.region_code "
        "from marts.dim_report r left join marts.dim_agency a using (agency_id)"
    ).fetchall():
        reports[path] = {
            "report_id": rid,
            "title": title,
            "parse_status": status,
            "is_canonical": canonical,
            "duplicate_of": dup,
            "is_polluted": polluted,
            "agency_name": name,
            "region_code": code,
            "facts": {},
            "prose": defaultdict(set),
            "failed": set(),
            "checks": Counter(),
        }
    by_id = {row["report_id"]: row for row in reports.values()}
    measures = ("new_received", "carried_over", "total_processed", "carried_forward")
    queries = [
        *(
            f"select report_id, 'applications', applicant_type, '{m}', {m} from marts.fct_applications"
            for m in measures
        ),
        "select report_id, 'outcomes', applicant_type, outcome_code, count from marts.fct_outcomes",
        "select report_id, 'reviews', review_result, null, count from marts.fct_reviews",
        "select report_id, 'litigation', litigation_route, litigation_result, count from marts.fct_litigation",
    ]
    for sql in queries:
        for rid, kind, first, second, value in conn.execute(sql).fetchall():
            if rid in by_id:
                by_id[rid]["facts"][(kind, first, second)] = None if value is None else float(value)
    for rid, name, value in conn.execute("select report_id, field, value from marts.report_prose_figures").fetchall():
        if rid in by_id:
            by_id[rid]["prose"][name].add(float(value))
    for rid, code, status in conn.execute(
        "select report_id, check_code, status from quality.identity_checks"
    ).fetchall():
        if rid in by_id:
            by_id[rid]["checks"][status] += 1
            if status == "fail":
                by_id[rid]["failed"].add(code)
    return reports


def _expected_facts(sidecar: Sidecar) -> dict[tuple[str, str, str | None], float | None]:
    facts = sidecar.data.get("facts", {})
    out: dict[tuple[str, str, str | None], float | None] = {}
    for applicant, measures in facts.get("applications", {}).items():
        for measure, value in measures.items():
            out[("applications", applicant, measure)] = value
    for applicant, outcomes in facts.get("outcomes", {}).items():
        for outcome, value in outcomes.items():
            out[("outcomes", applicant, outcome)] = value
    for result, value in facts.get("reviews", {}).items():
        out[("reviews", result, None)] = value
    for route, results in facts.get("litigation", {}).items():
        for result, value in results.items():
            out[("litigation", route, result)] = value
    return {k: None if v is None else float(v) for k, v in out.items()}


def _figure_outcome(expected: float | None, got: float | None) -> str:
    if got == expected:
        return "exact"
    return "missed" if got is None else "wrong"


def _score_fields(
    tally: Tally,
    car: Sidecar,
    title: str | None,
    agency_name: str | None,
    region_code: str | None,
    facts: dict[tuple[str, str, str | None], float | None],
    stated: dict[str, set],
) -> None:
    """Title, publisher, region, prose-era facts and key figures of one report, wherever they were read."""
    report, path = car.data["report"], car.source_path
    tally.add(
        "title", "exact" if title == report.get("title") else "wrong", f"{path}: {title!r} != {report.get('title')!r}"
    )
    aliases = {report.get("agency_name"), *report.get("agency_name_aliases", [])}
    tally.add(
        "agency exact",
        _figure_outcome(report.get("agency_name"), agency_name),
        f"{path}: {agency_name!r} != {report.get('agency_name')!r}",
    )
    tally.add(
        "agency loose",
        "exact" if agency_name in aliases else ("missed" if agency_name is None else "wrong"),
        f"{path}: {agency_name!r} not in {sorted(a for a in aliases if a)}",
    )
    tally.add(
        "region code",
        _figure_outcome(report.get("region_code"), region_code),
        f"{path}: {region_code} != {report.get('region_code')}",
    )
    if car.template == "prose":
        for key, value in _expected_facts(car).items():
            outcome = _figure_outcome(value, facts.get(key))
            tally.add("prose facts (prose-era reports)", outcome, f"{path} {key} gold={value} got={facts.get(key)}")
            if value:
                tally.add("prose facts non-zero", outcome, f"{path} {key}")
    for name_in_gold, value in car.data.get("key_figures", {}).items():
        field_name = KEY_FIGURE_FIELDS.get(name_in_gold)
        values = stated.get(field_name, set()) if field_name else set()
        outcome = "exact" if float(value) in values else ("missed" if not values else "wrong")
        tally.add("key figures beside tables", outcome, f"{path} {name_in_gold}={value} got={sorted(values)}")


def score_reports(folder: Path, warehouse: Path) -> Tally:
    """Every report-level goal of the prose issue, for one devset folder and its published warehouse."""
    tally = Tally()
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = _warehouse_rows(conn)
    cars = list(sidecars(folder))
    # agency-years whose report prints table 三, for the cross-year checks that need the year before
    with_tables = {
        (c.data["report"].get("agency_name"), c.data["report"].get("report_year"))
        for c in cars
        if c.template in ("fmt2019", "fmt2021") and c.data["report"].get("is_canonical")
    }
    for car in cars:
        report, got = car.data["report"], rows.get(car.source_path)
        path = car.source_path
        if got is None:
            tally.add("report in dim_report", "missing", path)
            continue
        tally.add("report in dim_report", "found")
        if report.get("parse_status") == "rejected":
            tally.add("rejected as rejected", "found" if got["parse_status"] == "rejected" else "kept", path)
            continue
        if got["parse_status"] == "rejected":
            tally.add("readable report rejected", "rejected", path)
            continue
        injected = car.data.get("injected", [])
        duplicate = report.get("duplicate_of") is not None
        if duplicate:
            flagged = got["duplicate_of"] is not None and not got["is_canonical"]
            tally.add("duplicates found (recall)", "found" if flagged else "not found", path)
        elif got["duplicate_of"] is not None:
            tally.add("duplicates found (precision)", "false duplicate", f"{path} -> {got['duplicate_of']}")
        else:
            tally.add("duplicates found (precision)", "clean")
        if report.get("is_polluted"):
            tally.add("polluted found", "found" if got["is_polluted"] else "not found", path)
        elif got["is_polluted"]:
            tally.add("polluted false alarm", "false alarm", path)
        if duplicate:
            continue  # a duplicate's own fields are not its facts (facts hold canonical reports only)
        _score_fields(tally, car, got["title"], got["agency_name"], got["region_code"], got["facts"], got["prose"])
        for item in injected:
            kind = item.get("kind")
            if kind == "arith_error":
                for named, _scope in item.get("broken", []):
                    check = PROSE_CHECK_NAMES.get(named, named) if car.template == "prose" else named
                    tally.add(
                        "injected arithmetic error flagged",
                        "found" if check in got["failed"] else "not found",
                        f"{path} {check} {item.get('cell')}",
                    )
            elif kind in INJECTED_CHECKS:
                check = INJECTED_CHECKS[kind]
                outcome = "found" if check in got["failed"] else "not found"
                detail = f"{path} {check} ({got['checks'].get('not_assessable', 0)} checks not assessable)"
                tally.add(f"injected {kind} flagged", outcome, detail)
                prior = (report.get("agency_name"), report["report_year"] - 1)
                if kind == "cross_year_mismatch" and prior in with_tables:
                    tally.add(f"injected {kind} flagged (prior table in the set)", outcome, detail)
        if not [i for i in injected if i.get("kind") in ("arith_error", *INJECTED_CHECKS)]:
            alarms = got["failed"] & ALARM_CHECKS
            tally.add(
                "false alarms on clean reports", "false alarm" if alarms else "clean", f"{path}: {sorted(alarms)}"
            )
            others = got["failed"] - ALARM_CHECKS
            tally.add("other warnings on clean reports", "warned" if others else "clean", f"{path}: {sorted(others)}")
    return tally


def main() -> None:
    """Score one devset folder's published warehouse."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--warehouse", type=Path)
    source.add_argument("--parser", action="store_true", help="the parser alone, in this process (seconds)")
    parser.add_argument("--examples", action="store_true", help="print up to 5 misses per metric")
    args = parser.parse_args()
    folder = args.folder.resolve()
    tally = score_by_parser(folder) if args.parser else score_reports(folder, args.warehouse)
    print(tally.table())
    if args.examples:
        for metric, lines in sorted(tally.examples.items()):
            print(f"\n{metric}:")
            for line in lines:
                print(f"  {line}")


def _fact_of_field() -> dict[str, tuple[str, str, str | None]]:
    """Prose field -> the sidecar's fact key, from the seed that maps fields to facts (plus replies_total)."""
    out: dict[str, tuple[str, str, str | None]] = {}
    seed = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "prose_field_facts.csv"
    with seed.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table = row["fact_table"]
            if table == "fct_applications":
                out[row["field"]] = ("applications", "total", row["measure"])
            elif table == "fct_outcomes":
                out[row["field"]] = ("outcomes", "total", row["outcome_code"])
            elif table == "fct_reviews":
                out[row["field"]] = ("reviews", row["result_code"], None)
            elif table == "fct_litigation":
                out[row["field"]] = ("litigation", "unspecified", row["result_code"])
    out.setdefault("replies_total", ("applications", "total", "total_processed"))
    return out


def score_by_parser(folder: Path) -> Tally:
    """The report-level goals the parser alone decides (no dbt): title, agency, region, prose figures.

    Seconds instead of a ``make run``; the first statement of each field stands for the fact, as in
    ``int_prose_facts_selected``. Duplicates, rejected files and cross-report checks need the warehouse.
    """
    from orchestration.parsing.decode import decode_report_bytes
    from orchestration.parsing.report import parse_report

    tally = Tally()
    fact_of = _fact_of_field()
    for car in sidecars(folder):
        report = car.data["report"]
        if report.get("parse_status") == "rejected" or report.get("duplicate_of"):
            continue
        path = car.source_path
        decoded = decode_report_bytes((folder / path).read_bytes(), Path(path).suffix.lower())
        if decoded.text is None or decoded.rejection is not None:
            tally.add("readable report rejected", "rejected", path)
            continue
        parsed = parse_report(path, decoded.text, path)
        first: dict[str, float | None] = {}
        stated: dict[str, set] = defaultdict(set)
        for item in sorted(parsed.figures, key=lambda f: f.char_start):
            first.setdefault(item.field, item.value)
            if item.value is not None:
                stated[item.field].add(item.value)
        facts = {fact_of[f]: v for f, v in first.items() if f in fact_of}
        _score_fields(tally, car, parsed.title, parsed.agency_name, parsed.region_code, facts, stated)
    return tally


if __name__ == "__main__":
    main()
