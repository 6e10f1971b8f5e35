"""The code location loads and exposes exactly the expected assets, checks, job, schedule and sensor."""

from __future__ import annotations

import dagster as dg

from orchestration.definitions import defs

EXPECTED_PYTHON_ASSETS = {
    "landed_report_files",
    "region_reference",
    "review_verdicts",
    "parsed/reports",
    "parsed/sections",
    "parsed/table_cells",
    "parsed/prose_figures",
    "parsed/parse_issues",
    "pipeline/changed_reports",
    "published_warehouse",
    "static_report",
}
EXPECTED_DBT_MODELS = {
    "staging/stg_landing__landed_files",
    "staging/stg_landing__region_references",
    "staging/stg_landing__review_verdicts",
    "staging/stg_parsed__reports",
    "staging/stg_parsed__sections",
    "staging/stg_parsed__table_cells",
    "staging/stg_pipeline__changed_reports",
    "staging/stg_parsed__prose_figures",
    "staging/stg_parsed__parse_issues",
    "intermediate/int_reports_deduplicated",
    "intermediate/int_table_cells_canonical",
    "intermediate/int_prose_facts_selected",
    "marts/dim_report",
    "marts/dim_agency",
    "marts/dim_region",
    "marts/dim_year",
    "marts/fct_applications",
    "marts/fct_outcomes",
    "marts/fct_reviews",
    "marts/fct_litigation",
    "marts/fct_proactive_disclosure",
    "marts/report_table_cells",
    "marts/report_prose_figures",
    "marts/report_parse_issues",
    "marts/metrics_report",
    "marts/metrics_region_year",
    "quality/identity_checks",
    "quality/report_scorecard",
    "quality/check_coverage",
    "intermediate/int_checks_template_identities",
    "intermediate/int_report_sentence_hashes",
    "intermediate/int_report_sizes",
    "intermediate/int_fact_counts",
    "intermediate/int_checks_prose",
    "intermediate/int_checks_cross_report",
}
EXPECTED_SEEDS = {
    "reference/applicant_types",
    "reference/outcome_codes",
    "reference/legacy_outcome_crosswalk",
    "reference/review_results",
    "reference/litigation_routes",
    "reference/proactive_items",
    "reference/proactive_measures",
    "reference/template_versions",
    "reference/prose_field_facts",
    "reference/check_codes",
    "reference/inputs_not_printed_reasons",
}


def _keys() -> set[str]:
    return {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}


def test_asset_keys_are_the_expected_set() -> None:
    assert _keys() == EXPECTED_PYTHON_ASSETS | EXPECTED_DBT_MODELS | EXPECTED_SEEDS


def test_every_asset_has_a_group_and_a_description() -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.group_name and node.group_name != "default", key
        assert node.description, key


def test_gx_identity_checks_guard_the_identity_table_before_publishing() -> None:
    checks = {key.name: key.asset_key.to_user_string() for key in defs.resolve_asset_graph().asset_check_keys}
    for code in ("balance", "outcome_sum", "applicant_sum", "review_sum", "litigation_sum"):
        assert checks[f"gx_{code}"] == "quality/identity_checks"
    assert sum(name.startswith("unique_") for name in checks) >= 5  # dbt data tests appear as checks too


def test_schedule_and_sensor_drive_the_in_process_refresh_job() -> None:
    job = defs.resolve_job_def("refresh_warehouse")
    assert job.executor_def.name == dg.in_process_executor.name
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 6 * * *", "Asia/Shanghai")
    assert defs.resolve_sensor_def("raw_dir_changed").job_name == "refresh_warehouse"


def test_published_warehouse_depends_on_every_mart_and_the_identity_checks() -> None:
    graph = defs.resolve_asset_graph()
    parents = {k.to_user_string() for k in graph.get(dg.AssetKey("published_warehouse")).parent_keys}
    assert {k for k in EXPECTED_DBT_MODELS if k.startswith(("marts/", "quality/"))} <= parents


def test_dagster_shows_the_dbt_descriptions_of_models_and_columns() -> None:
    graph = defs.resolve_asset_graph()
    node = graph.get(dg.AssetKey(["marts", "metrics_report"]))
    assert node.description.startswith("Grain: one row per canonical report")
    columns = {c.name: c.description for c in node.metadata["dagster/column_schema"].columns}
    assert "予以公开 / （七）总计" in columns["grant_rate"]
    outcomes = graph.get(dg.AssetKey(["marts", "fct_outcomes"]))
    described = {c.name: c.description for c in outcomes.metadata["dagster/column_schema"].columns}
    assert all(described.values()), [name for name, text in described.items() if not text]
    assert "本机关不掌握相关政府信息" in described["outcome_code"]  # code tables with their Chinese labels


def test_static_report_follows_the_publish() -> None:
    graph = defs.resolve_asset_graph()
    parents = {k.to_user_string() for k in graph.get(dg.AssetKey("static_report")).parent_keys}
    assert parents == {"published_warehouse"}


def test_the_dbt_resource_reports_the_version_dbt_itself_prints() -> None:
    import re
    import subprocess

    from orchestration.dbt_project import DBT_EXECUTABLE
    from orchestration.resources import DbtCli

    resource = defs.resources["dbt"]
    assert isinstance(resource, DbtCli)
    printed = subprocess.run([str(DBT_EXECUTABLE), "--version"], capture_output=True, text=True, check=True).stdout
    assert str(resource._cli_version) == re.search(r"(\d+\.\d+\.\d+)", printed).group(1)
    assert resource._initialize_dbt_core_adapter([]) is None


def test_the_sensor_does_not_rebuild_what_the_published_build_landed(tmp_path, monkeypatch) -> None:
    from orchestration.defs.automation import raw_dir_changed
    from orchestration.settings import load_settings
    from orchestration.warehouse.landing import raw_dir_fingerprint, remember_fingerprint

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("政府信息公开工作年度报告", encoding="utf-8")
    monkeypatch.setenv("OGI_RAW_DIR", str(raw))
    monkeypatch.setenv("OGI_WORK_DIR", str(tmp_path / "work"))
    settings = load_settings()

    def evaluate(cursor: str | None):
        return raw_dir_changed(dg.build_sensor_context(cursor=cursor))

    # nothing built yet: a run
    first = evaluate(None)
    assert [r.run_key for r in first.run_requests] == [raw_dir_fingerprint(raw)]
    # `make run` built this folder (landing remembered it, publish promoted it): a new sensor has nothing to do
    remember_fingerprint(settings.landed_fingerprint, raw_dir_fingerprint(raw))
    assert evaluate(None).run_requests  # landed but never published: still a run
    remember_fingerprint(settings.published_fingerprint, raw_dir_fingerprint(raw))
    skipped = evaluate(None)
    assert not skipped.run_requests and skipped.cursor == raw_dir_fingerprint(raw)
    # a file arrives: a run
    (raw / "b.txt").write_text("新的报告", encoding="utf-8")
    assert [r.run_key for r in evaluate(skipped.cursor).run_requests] == [raw_dir_fingerprint(raw)]
