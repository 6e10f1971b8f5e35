"""The static report's bar charts: round ticks, gaps kept in place, a legend of visible series only."""

from __future__ import annotations

import re

import pytest

from orchestration.warehouse.svg_charts import Series, nice_ticks, stacked_bars


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (154, [0, 50, 100, 150, 200]),
        (4, [0, 1, 2, 3, 4]),
        (1, [0, 1]),
        (0, [0, 1]),
        (72_804, [0, 20_000, 40_000, 60_000, 80_000]),
    ],
)
def test_nice_ticks_are_round_and_reach_the_peak(peak: float, ticks: list[float]) -> None:
    assert nice_ticks(peak) == ticks


def test_a_category_without_data_keeps_its_slot_and_says_why() -> None:
    chart = stacked_bars(
        "t", [2019, 2020, 2021], [Series("a", "#000", [3, None, 5])], missing={2020: "no report of this year"}
    )
    assert re.findall(r'data-category="(\d+)"', chart) == ["2019", "2020", "2021"]
    assert 'data-missing="no report of this year" data-category="2020"' in chart
    assert re.findall(r">(20\d\d)</text>", chart) == ["2019", "2020", "2021"]


def test_the_legend_lists_only_series_with_a_visible_bar_and_names_the_others() -> None:
    chart = stacked_bars("t", [1, 2], [Series("county", "#111", [4, 2]), Series("township", "#222", [0, None])])
    assert re.findall(r'data-legend="([^"]+)"', chart) == ["county"]
    assert "not drawn (no non-zero value): township" in chart


def test_percent_bars_split_each_total_on_a_quarter_axis() -> None:
    chart = stacked_bars("t", [1], [Series("a", "#1", [1]), Series("b", "#2", [3])], percent=True)
    assert re.findall(r'data-tick="([\d.]+)"', chart) == ["0", "0.25", "0.5", "0.75", "1.0"]
    heights = [float(h) for h in re.findall(r'height="([\d.]+)" fill', chart)]
    assert heights[1] == pytest.approx(3 * heights[0])
