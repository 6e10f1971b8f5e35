"""`make run`'s screen: step lines with their durations as Dagster prints them (ms, s, minutes)."""

from __future__ import annotations

import importlib.util
import re

from tests.gold import ROOT

_spec = importlib.util.spec_from_file_location("refresh_script", ROOT / "scripts" / "refresh.py")
assert _spec and _spec.loader
refresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(refresh)

PREFIX = (
    "2026-12-04 01:47:19 +0000 - dagster - DEBUG - refresh_warehouse - 0b150d8f-3e60-433f-8dbd-e393a6c87624 - 13758 - "
)


def test_step_durations_are_shown_in_every_unit_dagster_uses() -> None:
    screen = refresh.Screen()
    for took in ("64ms", "1.84s", "5m23s", "1h2m"):
        line = screen.line(
            f'{PREFIX}parsed_reports - STEP_SUCCESS - Finished execution of step "parsed_reports" in {took}.'
        )
        assert line is not None and re.search(rf"parsing done in {re.escape(took)}$", line), line


def test_a_failed_step_names_its_stage() -> None:
    line = refresh.Screen().line(f'{PREFIX}ogi_dbt_models - STEP_FAILURE - Execution of step "ogi_dbt_models" failed.')
    assert line is not None and "dbt FAILED" in line
