"""Derive the project's region reference file from the shared administrative-division data.

Why a script: ``dim_region`` must cover every division with its history, but the raw sources
(``areacodes/result.csv`` for county level and above, the NBS township union for 9-digit codes)
come in different shapes. This script flattens both into one gzipped CSV that ships inside the
project (``orchestration/reference/regions.csv.gz``), so a clone builds without ``../shared``.
Re-run it only when the shared data changes::

    .venv/bin/python scripts/build_region_reference.py ../shared/data/regions
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import polars as pl

OUTPUT = Path(__file__).resolve().parents[1] / "orchestration" / "reference" / "regions.csv.gz"
CLUES_OUTPUT = OUTPUT.with_name("region_clues.csv")
LEVELS = {"省级": "provincial", "地级": "prefectural", "县级": "county"}


def _successor(code: str, successors: dict[str, list[str]], in_use: set[str]) -> str | None:
    """Follow successor links until a code in use today; the first full successor wins."""
    seen: set[str] = set()
    current = code
    while current not in in_use:
        if current in seen or current not in successors or not successors[current]:
            return None
        seen.add(current)
        current = successors[current][0]
    return current


def _nbs_county_years(source_dir: Path) -> pl.DataFrame:
    """Every county-level unit of the NBS editions 2015-2023 as (code, name, year)."""
    frames = []
    for path in sorted((source_dir / "nbs_tjyqhdm").glob("areas_*")):
        year = int(path.name.split("_")[1][:4])
        if path.name.endswith(".json.gz"):
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                frame = pl.DataFrame(json.load(handle)).select("code", "name")
        else:
            frame = pl.read_csv(path, infer_schema=False).select("code", "name")
        frames.append(frame.with_columns(pl.lit(year).alias("year")))
    return pl.concat(frames)


def _nbs_only_counties(source_dir: Path, counties: pl.DataFrame) -> pl.DataFrame:
    """County-level units that only the NBS statistical codes hold: development zones, 高新区, 管理区 (xx7x).

    GB/T 2260 (``areacodes``) has no such units, but their 管委会 publish reports and their townships' 9-digit
    codes sit under them, so the county level of those townships must exist in ``dim_region``. A unit's
    versions are the runs of NBS editions with one name; the last edition (2023) still in use has no end.
    """
    known = set(counties["region_code"].to_list())
    # "市辖区" (xx01) is NBS's placeholder for a city's districts, not a division
    years = _nbs_county_years(source_dir).filter(~pl.col("code").is_in(list(known)) & (pl.col("name") != "市辖区"))
    last_edition = years["year"].max()
    latest = counties.sort("valid_from_year", descending=True).unique("region_code", keep="first")
    names = dict(zip(latest["region_code"].to_list(), latest["region_name"].to_list(), strict=True))
    rows = []
    for (code,), group in years.sort("code", "year").group_by(["code"], maintain_order=True):
        runs: list[list] = []
        for name, year in group.select("name", "year").iter_rows():
            if runs and runs[-1][0] == name and runs[-1][2] == year - 1:
                runs[-1][2] = year
            else:
                runs.append([name, year, year])
        in_last_edition = runs[-1][2] == last_edition
        for index, (name, first, last) in enumerate(runs):
            still_in_use = index == len(runs) - 1 and in_last_edition
            prefecture = code[:4] + "00"
            rows.append(
                {
                    "region_code": code,
                    "region_name": name,
                    "region_level": "county",
                    "province_code": code[:2] + "0000",
                    "province_name": names.get(code[:2] + "0000"),
                    "prefecture_code": prefecture if prefecture in names else None,
                    "prefecture_name": names.get(prefecture),
                    "county_code": code,
                    "county_name": name,
                    "valid_from_year": first,
                    "valid_to_year": None if still_in_use else last,
                    "current_code": code if in_last_edition else None,
                    "source": "nbs_tjyqhdm",
                }
            )
    return pl.DataFrame(rows, schema_overrides={"valid_to_year": pl.Int64, "current_code": pl.Utf8})


def build(source_dir: Path) -> pl.DataFrame:
    """Return one row per division version, county level and above plus NBS townships."""
    counties = pl.read_csv(source_dir / "areacodes" / "result.csv", infer_schema=False).rename(
        {
            "代码": "region_code",
            "一级行政区": "province_name",
            "二级行政区": "prefecture_label",
            "名称": "region_name",
            "级别": "level_zh",
            "状态": "status_zh",
            "启用时间": "start_year",
            "变更/弃用时间": "end_year",
            "新代码": "successors",
        }
    )
    in_use = set(counties.filter(pl.col("status_zh") == "在用")["region_code"].to_list())
    successors: dict[str, list[str]] = {}
    for code, succ in counties.select("region_code", "successors").iter_rows():
        if succ:
            full = [s for s in succ.split(";") if "[" not in s]
            successors.setdefault(code, full or [s.split("[")[0] for s in succ.split(";")])
    rows = []
    for r in counties.iter_rows(named=True):
        code = r["region_code"]
        level = LEVELS[r["level_zh"]]
        prefecture = r["prefecture_label"] if r["prefecture_label"] not in (None, "", "直辖") else None
        rows.append(
            {
                "region_code": code,
                "region_name": r["region_name"],
                "region_level": level,
                "province_code": code[:2] + "0000",
                "province_name": r["province_name"],
                "prefecture_code": code[:4] + "00" if level != "provincial" and prefecture else None,
                "prefecture_name": prefecture if level != "provincial" else None,
                "county_code": code if level == "county" else None,
                "county_name": r["region_name"] if level == "county" else None,
                "valid_from_year": int(r["start_year"]),
                "valid_to_year": int(r["end_year"]) - 1 if r["end_year"] else None,
                "current_code": code if code in in_use and not r["end_year"] else _successor(code, successors, in_use),
                "source": "areacodes",
            }
        )
    county_frame = pl.concat(
        [pl.DataFrame(rows), _nbs_only_counties(source_dir, pl.DataFrame(rows))], how="vertical_relaxed"
    )
    latest_county = (
        county_frame.filter(pl.col("region_level") == "county")
        .sort("valid_from_year", descending=True)
        .unique("region_code", keep="first")
        .select("region_code", "county_name", "province_name", "prefecture_code", "prefecture_name")
    )
    towns = pl.read_csv(
        source_dir / "nbs_tjyqhdm" / "townships_2015_2023_union.csv.gz",
        schema_overrides={"code": pl.Utf8, "county_code": pl.Utf8},
    )
    last_year = towns["last_year"].max()
    town_frame = (
        towns.join(latest_county, left_on="county_code", right_on="region_code", how="left")
        .select(
            pl.col("code").alias("region_code"),
            pl.col("name").alias("region_name"),
            pl.lit("township").alias("region_level"),
            (pl.col("code").str.slice(0, 2) + "0000").alias("province_code"),
            "province_name",
            "prefecture_code",
            "prefecture_name",
            "county_code",
            "county_name",
            pl.col("first_year").alias("valid_from_year"),
            pl.when(pl.col("last_year") < last_year).then(pl.col("last_year")).alias("valid_to_year"),
            pl.when(pl.col("last_year") == last_year).then(pl.col("code")).alias("current_code"),
            pl.lit("nbs_tjyqhdm").alias("source"),
        )
        .unique(["region_code", "valid_from_year"], keep="first")
    )
    return pl.concat([county_frame, town_frame], how="vertical_relaxed").sort("region_code", "valid_from_year")


def build_clues(source_dir: Path) -> pl.DataFrame:
    """Clues that point at a region: short names, telephone area codes, postcode prefixes.

    Short names ("衡水", "龙港") come from the xiangyuecn tables (2023/2024); an area code names one prefecture
    (jionlp); a postcode's first four digits name the prefectures whose counties use them (china-region).
    Codes are today's: a clue supports a candidate whose current_code falls under it.
    """
    areas = pl.read_csv(
        source_dir / "areacity_xiangyuecn" / "ok_data_level3.csv", infer_schema=False, encoding="utf8-lossy"
    ).rename({"\ufeffid": "id"}, strict=False)
    areas = areas.with_columns(pl.col("ext_id").str.slice(0, 6).alias("code"))
    rows = [
        ("short_name", r["name"], r["code"], {"0": "provincial", "1": "prefectural", "2": "county"}[r["deep"]])
        for r in areas.iter_rows(named=True)
        if r["name"] and r["deep"] in ("0", "1", "2")
    ]
    provinces = {r["name"]: r["id"] for r in areas.iter_rows(named=True) if r["deep"] == "0"}
    prefectures = {(r["pid"], r["name"]): r["code"] for r in areas.iter_rows(named=True) if r["deep"] == "1"}
    for line in (source_dir / "phone_postcode" / "jionlp_landline_phone_area_code.txt").read_text("utf-8").splitlines():
        code, _, place = line.strip().partition(" ")
        province, _, city = place.partition("/")
        pid = provinces.get(province)
        target = prefectures.get((pid, city)) if pid else None
        if target is None and pid and province == city:
            target = f"{pid}0000"
        if target:
            rows.append(("area_code", code, target, "prefectural"))
    postcodes = pl.read_csv(source_dir / "phone_postcode" / "china_region_region.csv", infer_schema=False)
    postcodes = postcodes.rename({c: c.strip() for c in postcodes.columns}).with_columns(
        pl.col("zipCode").str.strip_chars()
    )
    for r in postcodes.iter_rows(named=True):
        pid = next((i for n, i in provinces.items() if r["province"].startswith(n)), None)
        city = next((c for (p, n), c in prefectures.items() if p == pid and r["city"].startswith(n)), None)
        if city and r["zipCode"] and len(r["zipCode"]) == 6:
            rows.append(("postcode_prefix", r["zipCode"][:4], city, "prefectural"))
    for r in areas.iter_rows(named=True):
        # Government sites name the place in pinyin: www.hengshui.gov.cn, www.pingtan.gov.cn.
        if r["deep"] in ("1", "2") and r["pinyin"]:
            level = "prefectural" if r["deep"] == "1" else "county"
            rows.append(("website", r["pinyin"].replace(" ", "").lower(), r["code"], level))
    full = {(r["ext_name"], r["pid"]): r["code"] for r in areas.iter_rows(named=True) if r["deep"] == "1"}
    province_full = {r["ext_name"]: r["id"] for r in areas.iter_rows(named=True) if r["deep"] == "0"}
    plates = pl.read_csv(source_dir / "areacodes" / "plate-codes.csv", infer_schema=False, encoding="utf8-lossy")
    plates = plates.rename({plates.columns[0]: "plate", plates.columns[1]: "place"})
    for r in plates.iter_rows(named=True):
        for province, pid in province_full.items():
            if r["place"].startswith(province):
                code = full.get((r["place"][len(province) :], pid))
                if code:
                    rows.append(("plate", r["plate"], code, "prefectural"))
    return pl.DataFrame(rows, schema=["clue_kind", "clue", "region_code", "region_level"], orient="row").unique(
        maintain_order=True
    )


def main() -> None:
    """Write the reference files from the shared data folder given on the command line."""
    source_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/regions")
    build_clues(source_dir).sort("clue_kind", "clue", "region_code").write_csv(CLUES_OUTPUT)
    frame = build(source_dir)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        frame.write_csv(handle)
    print(f"wrote {frame.height} rows to {OUTPUT}")


if __name__ == "__main__":
    main()
