"""Who published a report and where: the agency's full name, its kind, and its region.

The title usually names the publisher ("防城港市行政审批局2018年度…"). When it does not, or when spam stands
in its place, the body is read: the signature at the end, "由…编制", the metadata block, and the divisions
the text speaks of (weighted by the scope it uses: 全市, 全县/全区, 全镇/全街道), supported by the telephone
area code and the postcode of the contact block. A region is answered only when one code is clearly best;
otherwise it is None with the candidates named in a parse issue.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from orchestration.parsing.maps import literal_automaton, read_map
from orchestration.parsing.regions import (
    REGIONS_FILE,
    Division,
    code_names,
    divisions_by_code,
    divisions_by_name,
    resolve_region,
)

CLUES_FILE = REGIONS_FILE.with_name("region_clues.csv")
_AGENCY_SUFFIX = re.compile(
    r"(?:人民政府(?:办公厅|办公室)?|办事处|管委会|管理委员会|委员会|办公室|办公厅|局|厅|委|署|中心|院|街道|镇|乡)$"
)
_COMPILING_OFFICE = re.compile(r"(?:(?<=局)|(?<=委)|(?<=厅)|(?<=中心)|(?<=委员会))办公室$")
_GENERAL_OFFICE = re.compile(r"(?<=人民政府)(?:办公室|办公厅)$")
_PARTY_OFFICE = re.compile(r"(镇|乡|街道)党政(?:综合)?办(?:公室)?$")
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_STEM = re.compile(r"(?:市|地区|盟|自治州|州)$")
_SIGNATURE_LINE = re.compile(r"^[\u4e00-\u9fff()（）]{4,40}$")
_COMPILED_BY = re.compile(r"由([\u4e00-\u9fff]{2,30}?)(?:政务公开领导小组办公室|政务公开办公室|办公室)?(?:负责)?编制")
_PHONE = re.compile(r"(?<!\d)(0\d{2,3})\s*[-－—]\s*\d{7,8}(?!\d)")
_POSTCODE = re.compile(r"邮(?:政)?编(?:码)?\s*[:：]?\s*(\d{6})(?!\d)")
_PLATE = re.compile(
    r"([京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新][A-Z])\s*[·•]?\s*[A-Z0-9]{5}(?![A-Za-z0-9])"
)
_WEBSITE = re.compile(r"(?:www\.)?([a-z]{3,20})\.gov\.cn")
_SCOPES = (
    ("provincial", re.compile(r"全省|我省|本省|全自治区")),
    ("prefectural", re.compile(r"全市|我市|本市")),
    ("county", re.compile(r"全县|我县|本县|全区|我区|本区|全旗")),
    ("township", re.compile(r"全镇|我镇|本镇|全乡|我乡|本乡|全街道|我街道|本街道|我街|街道办")),
)


@dataclass(frozen=True)
class AgencyResolution:
    """The publisher as far as the report shows it."""

    agency_name: str | None
    region_code: str | None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Alias:
    name: str
    region_code: str
    full_name: str


@cache
def _aliases() -> tuple[_Alias, ...]:
    """Agencies named after no division (zones, new areas) and the region they govern (maps/agency_aliases.csv)."""
    rows = [_Alias(r["name"], r["region_code"], r["full_name"]) for r in read_map("agency_aliases.csv")]
    return tuple(sorted(rows, key=lambda a: len(a.name), reverse=True))


def _reference() -> tuple[dict[str, list[Division]], dict[str, str]]:
    """Divisions by name, and the name of every code (its latest version)."""
    return divisions_by_name(), code_names()


@cache
def _clues() -> dict[tuple[str, str], tuple[str, ...]]:
    out: dict[tuple[str, str], list[str]] = {}
    with CLUES_FILE.open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            out.setdefault((r["clue_kind"], r["clue"]), []).append(r["region_code"])
    return {k: tuple(v) for k, v in out.items()}


@cache
def _short_names() -> dict[str, tuple[str, ...]]:
    """Short place names ("衡水", "龙港") and the codes they may stand for."""
    return {clue: codes for (kind, clue), codes in _clues().items() if kind == "short_name"}


def _clue_codes(text: str) -> list[str]:
    """The codes the text's telephone area codes, postcodes, plate prefixes and gov websites point at.

    One entry per clue found; a website name shared by several places points at none of them.
    """
    clues = _clues()
    found: list[str] = []
    for pattern, kind, key in (
        (_PHONE, "area_code", lambda m: m.group(1)),
        (_POSTCODE, "postcode_prefix", lambda m: m.group(1)[:4]),
        (_PLATE, "plate", lambda m: m.group(1)),
        (_WEBSITE, "website", lambda m: m.group(1)),
    ):
        for match in pattern.finditer(text):
            codes = clues.get((kind, key(match)), ())
            if kind != "website" or len(codes) == 1:
                found += codes
    return found


@cache
def _automaton() -> object:
    """An Aho-Corasick automaton over full division names and short names (≥ 2 characters)."""
    by_name, _ = _reference()
    names = [name for name in by_name if len(name) >= 2]
    names += [c for kind, c in _clues() if kind == "short_name" and len(c) >= 2 and c not in by_name]
    return literal_automaton(names)


def _mentions(text: str) -> Counter[str]:
    """Division names (full or short) in the text, longest match at each place."""
    found: list[tuple[int, int, str]] = []
    for end, name in _automaton().iter(text):  # type: ignore[attr-defined]
        found.append((end - len(name) + 1, end + 1, name))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    counts: Counter[str] = Counter()
    covered_to = -1
    for start, end, name in found:
        if start < covered_to:
            continue
        counts[name] += 1
        covered_to = end
    return counts


def _is_spam(name: str, spam_terms: tuple[str, ...]) -> bool:
    lowered = name.lower()
    return any(term in lowered for term in spam_terms)


def _signature(text: str) -> str | None:
    """The agency signing the report: a short line of an agency name among the last lines."""
    lines = [line.strip() for line in text.strip().split("\n")[-8:]]
    for line in reversed(lines):
        if _SIGNATURE_LINE.match(line) and _AGENCY_SUFFIX.search(line) and "报告" not in line:
            return line
    return None


def _name_candidates(
    text: str, title_agency: str | None, spam_terms: tuple[str, ...], page_publisher: str | None = None
) -> list[str]:
    """Names of the publisher: the title's first, then the signature, "由…编制" and the page's metadata line.

    A government's report is signed, compiled and posted by its general office ("…人民政府办公室"): outside
    the title, that office stands for the government. An office's own report names itself in its title.
    """
    candidates = []
    if title_agency and not _is_spam(title_agency, spam_terms):
        candidates.append(title_agency)
    compiled_by = _COMPILED_BY.search(text[:6000])
    for name in (_signature(text), compiled_by.group(1) if compiled_by else None, page_publisher):
        if name and not _is_spam(name, spam_terms) and _AGENCY_SUFFIX.search(name):
            candidates.append(_GENERAL_OFFICE.sub("", name))
    return candidates


def _government_name(division: Division) -> str:
    """The official name of a division's government (or a subdistrict's office)."""
    _by_name, names = _reference()
    if division.level == "township":
        county = names.get(division.county_code or "", "")
        suffix = (
            "办事处" if division.name.endswith("街道") else ("" if division.name.endswith("办事处") else "人民政府")
        )
        return f"{county}{division.name}{suffix}"
    if division.level == "county" and division.name.endswith("区") and division.parent_names:
        # A municipal district's name repeats across cities: its government is named with its city.
        prefecture = division.parent_names[-1]
        if prefecture != division.name and not prefecture.endswith(("省", "自治区")):
            return f"{prefecture}{division.name}人民政府"
    return f"{division.name}人民政府"


def qualified_division_name(division: Division) -> str:
    """A division's name as an agency's full name begins with it: with the parents that make it unique.

    A municipal district carries its city ("无锡市南长区"), a township or subdistrict its county, and that
    county its city when it is a district ("北京市海淀区花园路街道", "勐腊县关累镇"); a county, county-level
    city or prefecture stands alone ("昌邑市", "衡阳市"). Provinces are never prefixed, except the four
    municipalities, which every division inside them names ("重庆市彭水苗族土家族自治县长生镇").
    """
    parents = [p for p in division.parent_names if not p.endswith(("省", "自治区")) and p not in ("市辖区", "县")]
    if parents and _STEM.sub("", parents[-1]) in division.name:
        parents = parents[:-1]  # a zone named after its city ("漯河经济技术开发区") is not prefixed again
    in_municipality = bool(parents) and parents[0] in MUNICIPALITIES
    if division.level == "township":
        county = parents[-1] if parents else ""
        city = parents[-2] if (county.endswith("区") or in_municipality) and len(parents) >= 2 else ""
        return f"{city}{county}{division.name}"
    if (
        division.level == "county"
        and (division.name.endswith("区") or in_municipality)
        and parents
        and parents[-1] != division.name
    ):
        return f"{parents[-1]}{division.name}"
    return division.name


def _division_of(region_code: str, year: int | None) -> Division | None:
    """The version of the code valid in ``year`` (its name then), else its latest."""
    versions = divisions_by_code().get(region_code, ())
    return next((d for d in versions if d.valid_in(year)), versions[-1] if versions else None)


def with_parents(name: str, region_code: str | None, year: int | None) -> str:
    """The name with the parent divisions it leaves out ("南长区交通运输局" → "无锡市南长区交通运输局").

    Only a name that begins with its own division's name (or a trailing part of its qualified name) is
    completed; a name that names another place, or none, is kept as printed.
    """
    division = _division_of(region_code, year) if region_code else None
    if division is None:
        return name
    qualified = qualified_division_name(division)
    if name.startswith(qualified):
        return name
    # cut points: where each component of the qualified name begins ("无锡市|南长区")
    parents = [p for p in division.parent_names if p in qualified]
    cuts = sorted({qualified.find(p) + len(p) for p in parents if qualified.find(p) >= 0} - {len(qualified)})
    for cut in cuts:
        if name.startswith(qualified[cut:]):
            return qualified[:cut] + name
    return name


def _publisher_not_office(name: str) -> str:
    """The agency, not the office inside it that compiled the report ("…交通运输局办公室" → "…交通运输局").

    A township's or subdistrict's 党政办公室 stands for its government.
    """
    name = _COMPILING_OFFICE.sub("", name)
    party = _PARTY_OFFICE.search(name)
    if party:
        name = name[: party.start()] + party.group(1) + ("办事处" if party.group(1) == "街道" else "人民政府")
    return name


def _full_name(name: str, region_code: str | None, year: int | None) -> str:
    """Complete a name printed as a bare division or zone ("龙港区" → "葫芦岛市龙港区人民政府")."""
    name = _publisher_not_office(name)
    by_name, _ = _reference()
    for alias in _aliases():
        if name == alias.name:
            return alias.full_name
    if name in by_name and region_code:
        division = next((d for d in by_name[name] if d.code == region_code and d.valid_in(year)), None)
        if division is not None and division.level != "township":
            return _government_name(division)
    division = _division_of(region_code, year) if region_code else None
    if division is not None and division.level != "township" and _is_bare_division(name, division):
        return _government_name(division)
    if name.endswith(("镇", "乡")):
        return f"{name}人民政府"
    if name.endswith("街道"):
        return f"{name}办事处"
    return name


def _is_bare_division(name: str, division: Division) -> bool:
    """Whether ``name`` is the division itself, with some of its parents ("潍坊市昌邑市", "阿里地区措勤县")."""
    if not name.endswith(division.name) or name == division.name:
        return False
    rest = name[: -len(division.name)]
    for parent in division.parent_names:
        rest = rest.removeprefix(parent)
    return rest == ""


def _region_from_aliases(name: str) -> str | None:
    for alias in _aliases():
        if alias.name in name:
            return alias.region_code
    return None


def _region_from_body(
    text: str, year: int | None, scope_level: str | None, among: tuple[str, ...] = ()
) -> tuple[Division | None, str | None]:
    """The division the body speaks of, with the clues that support it; None with the candidates if unclear.

    Candidates are the divisions named in full (three characters or more) and the prefectures named by their
    short name at least twice ("中国衡水"). A candidate scores by how often it is named (3 each), by its parents
    being named (2 each), by mentions of places inside it (1 each, short names included), by the telephone
    area code, postcode, licence-plate prefix and government website of the text (2 each), and by the scope
    the text speaks in (2: 全市 → a prefecture).
    A province is a candidate only when the text speaks of 全省. The best must be alone at the top.
    ``among`` (the divisions an ambiguous printed name may stand for, "青口镇" in Jiangsu or Fujian) limits
    the candidates to those: the body then only has to tell them apart, not outscore the city around them.
    """
    by_name, _names = _reference()
    mentions = _mentions(text)
    short = _short_names()
    inside: Counter[str] = Counter()  # mentions of places, by the 2- and 4-digit prefixes of their codes
    for name, count in mentions.items():
        codes = {d.code for d in by_name.get(name, []) if len(name) >= 3 and d.valid_in(year)} | set(
            short.get(name, ())
        )
        for code in codes:
            for prefix in {code[:2], code[:4], code[:6]}:
                inside[prefix] += count
    clue_codes = _clue_codes(text)
    clue_support: Counter[str] = Counter()
    for code in clue_codes:
        clue_support[code[:4]] += 2
    own: dict[str, tuple[int, Division]] = {}
    # A prefecture pointed at by the area code, postcode, plate or website is a candidate even if unnamed.
    for code in {c for c in clue_codes if c.endswith("00") and not c.endswith("0000")}:
        division = next((d for d in by_name.get(_names.get(code, ""), []) if d.code == code and d.valid_in(year)), None)
        if division is not None:
            own.setdefault(code, (0, division))
    for name, count in mentions.items():
        named = [d for d in by_name.get(name, []) if len(name) >= 3 and d.valid_in(year)]
        if name in short and count >= 2:
            named += [
                d
                for code in short[name]
                for d in by_name.get(_names.get(code, ""), [])
                if d.code == code and d.level == "prefectural" and d.valid_in(year)
            ]
        for division in named:
            if division.level == "provincial" and scope_level != "provincial":
                continue
            previous = own.get(division.code, (0, division))[0]
            own[division.code] = (previous + count, division)
    for code in among:
        division = _division_of(code, year)
        if division is not None:
            own.setdefault(code, (0, division))
    candidates: list[tuple[int, Division]] = []
    for count, division in own.values():
        if among and division.code not in among:
            continue
        significant = division.code[:6] if division.level == "township" else division.code.rstrip("0")
        significant = significant[: len(significant) + len(significant) % 2]
        descendants = inside[significant] - count if len(significant) < len(division.code) else 0
        parents_named = sum(mentions.get(p, 0) > 0 for p in division.parent_names)
        score = 3 * count + max(descendants, 0) + 2 * parents_named + clue_support[division.code[:4]]
        if scope_level and division.level == scope_level:
            score += 2
        candidates.append((score, division))
    if not candidates:
        return None, "no division is named in the text"
    candidates.sort(key=lambda c: (-c[0], c[1].code))
    best_score, best = candidates[0]
    rivals = [d for s, d in candidates[1:] if s == best_score and d.code != best.code]
    if rivals or best_score < 6:
        shown = ", ".join(f"{d.code} {d.name} ({s})" for s, d in candidates[:5])
        return None, f"the text does not single out one division: {shown}"
    return best, None


def _scope_level(text: str) -> str | None:
    counts = {level: len(pattern.findall(text)) for level, pattern in _SCOPES}
    level, count = max(counts.items(), key=lambda item: item[1])
    return level if count else None


def resolve_agency(
    text: str,
    title_agency: str | None,
    year: int | None,
    spam_terms: tuple[str, ...],
    page_publisher: str | None = None,
) -> AgencyResolution:
    """The agency's full name and region code, from the title and the body.

    Args:
        text: the normalized report text (chrome may still be present; signatures are at the end).
        title_agency: the publisher as printed in the title, if any.
        year: the report year, for the validity of division codes.
        spam_terms: the spam lexicon, so that a brand is never taken for the agency.
        page_publisher: the publisher of the page's metadata line (来源, 发布机构), if any.
    """
    notes: list[str] = []
    for candidate in _name_candidates(text, title_agency, spam_terms, page_publisher):
        alias_region = _region_from_aliases(candidate)
        match = resolve_region(candidate, year)
        region_code = match.region_code or alias_region
        if region_code is None and match.note:
            notes.append(f"'{candidate}': {match.note}")
        if region_code is None and not _AGENCY_SUFFIX.search(candidate) and candidate not in _reference()[0]:
            continue
        if region_code is None:
            body, why = _region_from_body(text, year, _scope_level(text), match.candidates)
            if body is not None and _consistent(candidate, body):
                region_code = body.code
            elif why:
                notes.append(why)
        # the official name in full: with its parents, 管委会 written out
        full = with_parents(_full_name(candidate, region_code, year), region_code, year).replace("管委会", "管理委员会")
        return AgencyResolution(full, region_code, notes)
    division, why = _region_from_body(text, year, _scope_level(text))
    if division is None:
        notes.append(f"no agency named in the title or signature, and {why}")
        return AgencyResolution(None, None, notes)
    notes.append(f"agency inferred from the body: {division.name} ({division.code})")
    return AgencyResolution(with_parents(_government_name(division), division.code, year), division.code, notes)


def _consistent(agency_name: str, division: Division) -> bool:
    """A body division may stand for an agency whose name names no division only if nothing contradicts it."""
    named = [n for n in _mentions(agency_name) if len(n) >= 3]
    return not named or division.name in named or any(n in division.parent_names for n in named)
