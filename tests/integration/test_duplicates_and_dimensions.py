"""Duplicates resolve to one canonical report per agency-year; dimensions carry the gold agency and region."""

from __future__ import annotations

import pytest

from tests import gold
from tests.integration.conftest import PipelineRun, run_refresh

SEED = gold.RAW_DIR / "seeds" / "003_a53f3851dc57af3f.txt"


@pytest.fixture(scope="module")
def duplicates_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    root = tmp_path_factory.mktemp("duplicates")
    raw = root / "raw"
    (raw / "copy").mkdir(parents=True)
    text = SEED.read_text(encoding="utf-8")
    (raw / "a.txt").write_text(text, encoding="utf-8")
    (raw / "copy" / "a.txt").write_text(text, encoding="utf-8")  # byte-identical copy
    (raw / "mirror.txt").write_text("365bet体育投注_官方授权网站\n" + text, encoding="utf-8")  # hijacked mirror
    # the same report inside a site's frame: longer, not more complete (the first path stays canonical)
    framed = "平潭综合实验区门户网站\n\n\n" + text + "\n\n\n版权所有：平潭综合实验区管理委员会  地址：平潭县潭城镇\n"
    (raw / "framed.txt").write_text(framed, encoding="utf-8")
    (raw / "unrelated.txt").write_bytes((gold.RAW_DIR / "seeds" / "004_9c37f1e5967ec932.txt").read_bytes())
    result = run_refresh(raw, root / "out" / "ogi.duckdb", root / "work")
    assert result.success
    return PipelineRun(result, root / "out" / "ogi.duckdb", raw, root / "work")


def test_one_canonical_report_per_agency_year_and_the_others_point_to_it(duplicates_run: PipelineRun) -> None:
    rows = {
        path: (canonical, duplicate_of, polluted)
        for path, canonical, duplicate_of, polluted in duplicates_run.query(
            "select r.source_path, r.is_canonical, d.source_path, r.is_polluted "
            "from marts.dim_report r left join marts.dim_report d on d.report_id = r.duplicate_of"
        )
    }
    assert rows == {
        "a.txt": (True, None, False),
        "copy/a.txt": (False, "a.txt", False),
        "mirror.txt": (False, "a.txt", True),
        "framed.txt": (False, "a.txt", False),
        "unrelated.txt": (True, None, False),
    }
    (count,) = duplicates_run.query(
        "select count(distinct report_id) from marts.fct_applications where agency_id = "
        "(select agency_id from marts.dim_report where source_path = 'a.txt')"
    )[0]
    assert count == 1


def test_agencies_carry_kind_level_and_region_of_the_gold(sample_run: PipelineRun) -> None:
    for report in gold.all_gold():
        if "agency_kind" not in report.data:
            continue
        relative = report.raw_path.relative_to(gold.RAW_DIR).as_posix()
        rows = sample_run.query(
            "select a.agency_kind, a.admin_level, a.region_code from marts.dim_report r "
            "join marts.dim_agency a using (agency_id) where r.source_path = ?",
            [relative],
        )
        expected = (report.data["agency_kind"], report.data["admin_level"], report.data["region_code"])
        assert rows == [expected], relative


def test_region_dimension_knows_the_history_of_a_reused_name(sample_run: PipelineRun) -> None:
    rows = sample_run.query(
        "select region_code, prefecture_name, valid_from_year, valid_to_year from marts.dim_region "
        "where region_name in ('龙港区', '龙港市') order by region_code"
    )
    assert rows == [("211403", "葫芦岛市", 1994, None), ("330383", "温州市", 2019, None)]
    assert sample_run.query("select count(*) from marts.dim_region")[0][0] > 50000
