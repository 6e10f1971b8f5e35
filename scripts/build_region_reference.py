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
import sys
from pathlib import Path

import polars as pl

OUTPUT = Path(__file__).resolve().parents[1] / "orchestration" / "reference" / "regions.csv.gz"
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
    county_frame = pl.DataFrame(rows)
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


def main() -> None:
    """Write the reference file from the shared data folder given on the command line."""
    source_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/regions")
    frame = build(source_dir)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        frame.write_csv(handle)
    print(f"wrote {frame.height} rows to {OUTPUT}")


if __name__ == "__main__":
    main()
