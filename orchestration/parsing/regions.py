"""Resolve the region of an agency from the division names in its name, valid in the report year.

A first, conservative resolver: it uses only full division names printed in the agency name ("防城港市",
"天柱县", "四平市铁东区…解放街道"), keeps the candidates valid in the report year, narrows them by the parent
names printed beside them, and answers only when one code remains. Anything else is None with the
candidates named, never a guess. Clues from the body (phone area codes, postcodes, plates, websites) are
left to the dimension work that deepens this.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache

import polars as pl

from orchestration.parsing.maps import MAPS_DIR

REGIONS_FILE = MAPS_DIR.parent / "reference" / "regions.csv.gz"
_LEVEL_RANK = {"provincial": 1, "prefectural": 2, "county": 3, "township": 4}
NBS_FIRST_YEAR = 2015
"""The township codes start with the 2015 NBS edition: an earlier report year is not evidence against them."""


@dataclass(frozen=True)
class Division:
    """One version of a division as the reference lists it."""

    code: str
    name: str
    level: str
    parent_names: tuple[str, ...]
    county_code: str | None
    valid_from: int
    valid_to: int | None

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        start = self.valid_from if not (self.level == "township" and self.valid_from == NBS_FIRST_YEAR) else 0
        return start <= year and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True)
class RegionMatch:
    """The resolved code, or None with the reason and the candidates."""

    region_code: str | None
    note: str | None
    candidates: tuple[str, ...] = ()


def divisions_by_name() -> dict[str, list[Division]]:
    """Every division version, by printed name ("解放街道办事处" also as "解放街道")."""
    return _divisions()


@cache
def divisions_by_code() -> dict[str, tuple[Division, ...]]:
    """Every version of every code, oldest first (太邱镇 until 2020, 太丘镇 since, under one code)."""
    out: dict[str, list[Division]] = {}
    for versions in _divisions().values():
        for division in versions:
            out.setdefault(division.code, []).append(division)
    return {code: tuple(sorted(v, key=lambda d: d.valid_from)) for code, v in out.items()}


@cache
def code_names() -> dict[str, str]:
    """The name of every code (its latest version); built once, read for every report."""
    return {d.code: d.name for versions in _divisions().values() for d in versions if not d.name.endswith("办事处")}


@cache
def _divisions() -> dict[str, list[Division]]:
    with gzip.open(REGIONS_FILE, "rb") as handle:
        frame = pl.read_csv(handle.read(), infer_schema=False)
    by_name: dict[str, list[Division]] = {}
    for r in frame.iter_rows(named=True):
        parents = tuple(n for n in (r["province_name"], r["prefecture_name"], r["county_name"]) if n)
        division = Division(
            r["region_code"],
            r["region_name"],
            r["region_level"],
            tuple(p for p in parents if p != r["region_name"]),
            r["county_code"],
            int(r["valid_from_year"]),
            int(r["valid_to_year"]) if r["valid_to_year"] else None,
        )
        by_name.setdefault(r["region_name"], []).append(division)
        if division.level == "township" and division.name.endswith("街道办事处"):
            by_name.setdefault(division.name.removesuffix("办事处"), []).append(division)
    return by_name


def _names_in(text: str) -> list[str]:
    """Division names that occur in the text, longest first, none inside a longer one found."""
    found: list[tuple[int, int, str]] = []
    names = _divisions()
    for length in range(min(len(text), 20), 1, -1):
        for start in range(len(text) - length + 1):
            piece = text[start : start + length]
            if piece in names and not any(s <= start and start + length <= e for s, e, _ in found):
                found.append((start, start + length, piece))
    found.sort()
    # Two-character names ("沙县", "新区") are too common as word parts: accept one only at the start of the
    # agency name or right after another division name.
    kept = [(s, e, n) for s, e, n in found if e - s > 2 or s == 0 or any(e0 == s for _, e0, _ in found)]
    return [name for _, _, name in kept]


def resolve_region(agency_name: str | None, report_year: int | None) -> RegionMatch:
    """The most specific division named in ``agency_name``, if exactly one code fits."""
    if not agency_name:
        return RegionMatch(None, None)
    names = _names_in(agency_name)
    if not names:
        return RegionMatch(None, f"no division name in '{agency_name}'")
    candidates_by_name = {n: [d for d in _divisions()[n] if d.valid_in(report_year)] for n in names}
    ordered = sorted(names, key=lambda n: max((_LEVEL_RANK[d.level] for d in candidates_by_name[n]), default=0))
    for name in reversed(ordered):
        others = [n for n in names if n != name]
        # Every higher-level name printed beside it must be one of its parents ("四平市铁东区" is not 鞍山's).
        narrowed = [
            d for d in candidates_by_name[name] if all(o in d.parent_names for o in others if _is_parent_level(o, d))
        ]
        codes = {d.code for d in narrowed}
        if len(codes) == 1:
            return RegionMatch(narrowed[0].code, None)
        if len(codes) > 1:
            shown = ", ".join(sorted(f"{d.code} {'/'.join(d.parent_names)}/{d.name}" for d in narrowed)[:6])
            return RegionMatch(None, f"'{name}' is ambiguous in {report_year}: {shown}", tuple(sorted(codes)))
    return RegionMatch(None, f"no division named in '{agency_name}' is valid in {report_year}")


def _is_parent_level(name: str, division: Division) -> bool:
    """Whether ``name`` can be a parent of ``division`` (a higher level that exists in the reference)."""
    ranks = [_LEVEL_RANK[d.level] for d in _divisions().get(name, [])]
    return bool(ranks) and min(ranks) < _LEVEL_RANK[division.level]
