"""A synthetic corpus of reports with known answers, deterministic by seed, for benchmarks and tests at scale.

Each table-era report (2019 and 2021 formats) gets figures that obey the template's identities (or, for a
few, a deliberate source error), some blank cells, an agency and region drawn from the reference (valid in
the report year), a rendering from ``render.STYLES``, web chrome, sometimes spam, and filler prose so that
files span 2–20 KB. A fifth are prose-era reports (2008–2018): their figures are only in sentences, in the
phrasings of the real reports (Arabic or Chinese numerals, "未收到…" for none). Next to each
``<id>.txt``/``.html`` the expected values are written to ``expected.jsonl`` (``table3``/``table4`` cells,
``prose`` figures).
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from bench.synthetic.render import STANDARD_COLUMNS, STYLES, ReportFigures, render_report
from orchestration.parsing import maps
from orchestration.parsing.regions import REGIONS_FILE

COLUMNS = STANDARD_COLUMNS[:-1]  # the six applicant columns; 总计 is computed from them
FILLER = (
    "我单位认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。",
    "进一步完善政府信息公开工作机制，明确分管领导和工作人员，确保各项工作落到实处。",
    "加强政策解读和回应关切，及时发布与群众切身利益密切相关的政策文件。",
    "规范依申请公开办理流程，严格按照法定时限答复申请人，提升答复质量。",
    "加强政府网站和政务新媒体管理，优化栏目设置，提高信息发布的时效性。",
    "组织开展政府信息公开业务培训，提高工作人员的业务能力和保密意识。",
)
CHROME_TOP = "您当前所在的位置: 首页 > 政务公开 > 政府信息公开年报\n字号: 大 中 小\n"
CHROME_BOTTOM = "\n扫一扫在手机打开当前页面\n上一篇: 无\n下一篇: 无\n责任编辑: 管理员 关闭窗口\n"
SPAM = "365bet体育投注_官方授权网站"


@dataclass(frozen=True)
class Expected:
    """What the parser should find in one synthetic report."""

    file: str
    template_version: str
    report_year: int
    region_code: str
    agency_name: str
    style: str
    polluted: bool
    source_error: bool
    table3: dict[str, int | None]
    table4: dict[str, int | None]
    prose: dict[str, int] | None = None


@cache
def _counties() -> list[tuple[str, str, int, int | None]]:
    """(code, name, valid_from, valid_to) of county-level divisions whose name is unique in the reference."""
    with gzip.open(REGIONS_FILE, "rb") as handle:
        frame = pl.read_csv(handle.read(), infer_schema=False)
    counties = frame.filter(pl.col("region_level") == "county")
    names = counties.group_by("region_name").agg(pl.col("region_code").n_unique().alias("codes"))
    unique = counties.join(names.filter(pl.col("codes") == 1), on="region_name")
    return [
        (
            r["region_code"],
            r["region_name"],
            int(r["valid_from_year"]),
            int(r["valid_to_year"]) if r["valid_to_year"] else None,
        )
        for r in unique.iter_rows(named=True)
        if r["region_name"].endswith(("县", "市", "旗")) and len(r["region_name"]) >= 3
    ]


def _figures(rng: random.Random, version: str, year: int, agency: str) -> ReportFigures:
    outcome_rows = [
        s.row_code
        for s in maps.table3_rows(version)
        if s.kind == "cells"
        and s.row_code not in ("new_received", "carried_over", "total_processed", "carried_forward")
    ]
    table3: dict[tuple[str, str], int | None] = {}
    for column in COLUMNS:
        busy = rng.random() < (0.8 if column == "natural_person" else 0.25)
        new = rng.randint(1, 300) if busy else 0
        carried = rng.randint(0, 10) if busy and rng.random() < 0.3 else 0
        forward = rng.randint(0, min(5, new + carried)) if new + carried else 0
        processed = new + carried - forward
        weights = [rng.random() ** 3 for _ in outcome_rows]
        scale = sum(weights) or 1.0
        counts = [int(processed * w / scale) for w in weights]
        counts[0] += processed - sum(counts)
        table3 |= {
            ("new_received", column): new,
            ("carried_over", column): carried,
            ("total_processed", column): processed,
            ("carried_forward", column): forward,
        }
        table3 |= {(row, column): count for row, count in zip(outcome_rows, counts, strict=True)}
    for row in {r for r, _ in table3}:
        table3[(row, "total")] = sum(table3[(row, c)] or 0 for c in COLUMNS)
    table4: dict[str, int | None] = {}
    for group in ("review", "direct", "after_review"):
        parts = [rng.choice([0, 0, 0, rng.randint(0, 20)]) for _ in range(4)]
        table4 |= {f"{group}.{r}": v for r, v in zip(("upheld", "corrected", "other", "pending"), parts, strict=True)}
        table4[f"{group}.total"] = sum(parts)
    table2: dict[tuple[str, str], float | None] = {}
    for spec in maps.table2_rows(version):
        for measure in spec.measures:
            value = float(rng.randint(0, 5000))
            if measure == "amount_10k_cny":
                value = round(rng.uniform(0, 900), 2)
            table2[(spec.item, measure)] = value
    return ReportFigures(version, agency, year, table2, table3, table4)


_CHINESE_DIGITS = "零一二三四五六七八九"


def _say(rng: random.Random, value: int) -> str:
    """A count as the reports print it: Arabic mostly, Chinese numerals for some small ones."""
    if value < 10 and rng.random() < 0.3:
        return _CHINESE_DIGITS[value]
    return str(value)


def _prose_report(rng: random.Random, agency: str, year: int) -> tuple[str, dict[str, int]]:
    """A prose-era report (no standard tables) and the figures its sentences state."""
    received = rng.choice([0, 0, rng.randint(1, 9), rng.randint(10, 400)])
    figures = {"applications_received": received}
    sentences = [f"{agency}{year}年政府信息公开工作年度报告", "一、概述"]
    sentences.append(f"根据《中华人民共和国政府信息公开条例》规定，现公布{year}年度政府信息公开工作情况。")
    disclosed = rng.randint(50, 6000)
    figures["proactively_disclosed"] = disclosed
    sentences.append(f"二、主动公开政府信息情况\n{year}年，我单位主动公开政府信息{disclosed}条。")
    sentences.append("三、依申请公开政府信息情况")
    if received == 0:
        sentences.append(f"{year}年，我单位未收到政府信息公开申请。")
    else:
        granted = rng.randint(0, received)
        partial = rng.randint(0, received - granted)
        refused = received - granted - partial
        figures |= {"legacy_granted": granted, "legacy_partially_granted": partial, "legacy_refused": refused}
        sentences.append(
            f"全年共受理政府信息公开申请{_say(rng, received)}件，其中同意公开{_say(rng, granted)}件，"
            f"同意部分公开{_say(rng, partial)}件，不予公开答复{_say(rng, refused)}件。"
        )
    sentences.append("四、因政府信息公开申请行政复议、提起行政诉讼的情况")
    reviews, lawsuits = rng.choice([0, 0, 0, rng.randint(1, 6)]), rng.choice([0, 0, 0, rng.randint(1, 4)])
    figures |= {"administrative_reconsiderations": reviews, "administrative_lawsuits": lawsuits}
    if reviews == 0 and lawsuits == 0:
        sentences.append("本年度未发生因政府信息公开申请行政复议和提起行政诉讼的情况。")
    else:
        sentences.append(f"本年度因政府信息公开申请行政复议{_say(rng, reviews)}件，行政诉讼{_say(rng, lawsuits)}件。")
    sentences.append("五、存在的主要问题及改进情况")
    return "\n".join(sentences) + "\n", figures


def generate(out_dir: Path, count: int, seed: int = 20261121) -> Iterator[Expected]:
    """Write ``count`` reports under ``out_dir`` (and ``expected.jsonl``); yield what each should parse to."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    counties = _counties()
    with (out_dir / "expected.jsonl").open("w", encoding="utf-8") as manifest:
        for index in range(count):
            version = rng.choice(["prose", "fmt2019", "fmt2021", "fmt2021", "fmt2021"])
            year = {"prose": rng.randint(2008, 2018), "fmt2019": rng.randint(2019, 2020)}.get(
                version, rng.randint(2021, 2025)
            )
            valid = [
                c for c in (rng.choice(counties) for _ in range(20)) if c[2] <= year and (c[3] is None or c[3] >= year)
            ]
            code, name, _, _ = valid[0] if valid else counties[0]
            agency = f"{name}人民政府"
            if version == "prose":
                yield _write_prose(out_dir, index, rng, agency, year, code, manifest)
                continue
            figures = _figures(rng, version, year, agency)
            blanks = rng.random() < 0.1
            if blanks:  # an agency that leaves empty rows blank instead of printing 0
                for key, value in list(figures.table3.items()):
                    if key[0].startswith(("withheld", "not_processed")) and value == 0:
                        figures.table3[key] = None
            source_error = rng.random() < 0.03
            if source_error:
                figures.table3[("total_processed", "total")] = (figures.table3[("total_processed", "total")] or 0) + 1
            style = rng.choice([s for s in STYLES if not (blanks and s == "glued")])
            text = render_report(figures, style)
            polluted = rng.random() < 0.02
            filler_target = rng.randint(1500, 18000)
            filler, filler_chars = [], 0
            while filler_chars * 3 < filler_target:
                filler.append(rng.choice(FILLER))
                filler_chars += len(filler[-1])
            if style == "html":
                text = text.replace("<body>", f"<body><p>{CHROME_TOP}</p>" + (f"<p>{SPAM}</p>" if polluted else ""), 1)
                text = text.replace("</body>", "<p>" + "".join(filler) + f"</p><p>{CHROME_BOTTOM}</p></body>")
            else:
                title, rest = text.split("\n", 1)
                text = CHROME_TOP + (SPAM + "\n" if polluted else "") + title + "\n" + rest
                text = (
                    text.replace("五、存在的主要问题及改进情况", "".join(filler) + "\n五、存在的主要问题及改进情况")
                    + CHROME_BOTTOM
                )
            suffix = "html" if style == "html" else "txt"
            name_on_disk = f"{index // 1000:04d}/{index:07d}.{suffix}"
            path = out_dir / name_on_disk
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            # A traditional-character copy is a mirror: the warehouse flags it polluted too.
            expected = Expected(
                name_on_disk,
                version,
                year,
                code,
                agency,
                style,
                polluted or style == "traditional",
                source_error,
                {f"{r}|{c}": v for (r, c), v in figures.table3.items()},
                figures.table4,
            )
            manifest.write(json.dumps(expected.__dict__, ensure_ascii=False) + "\n")
            yield expected


def _write_prose(
    out_dir: Path, index: int, rng: random.Random, agency: str, year: int, code: str, manifest
) -> Expected:  # type: ignore[no-untyped-def]
    text, figures = _prose_report(rng, agency, year)
    filler_target = rng.randint(1500, 18000)
    filler, filler_chars = [], 0
    while filler_chars * 3 < filler_target:
        filler.append(rng.choice(FILLER))
        filler_chars += len(filler[-1])
    text = CHROME_TOP + text.replace("五、存在的主要问题及改进情况", "".join(filler) + "\n五、存在的主要问题及改进情况")
    text += "".join(rng.choice(FILLER) for _ in range(3)) + CHROME_BOTTOM
    name_on_disk = f"{index // 1000:04d}/{index:07d}.txt"
    path = out_dir / name_on_disk
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    expected = Expected(name_on_disk, "prose", year, code, agency, "prose", False, False, {}, {}, figures)
    manifest.write(json.dumps(expected.__dict__, ensure_ascii=False) + "\n")
    return expected
