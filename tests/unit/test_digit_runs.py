"""Glued digit runs are split only where the identities leave one reading."""

from __future__ import annotations

from orchestration.parsing.digit_runs import (
    split_groups_with_totals,
    split_one_digit_each,
    split_row_with_total,
)


def test_row_run_with_a_unique_split_is_split() -> None:
    assert split_row_with_total("801000081", 7) == [[80, 1, 0, 0, 0, 0, 81]]


def test_row_run_with_two_splits_reports_both() -> None:
    assert sorted(split_row_with_total("220000325", 7)) == [[2, 20, 0, 0, 0, 3, 25], [22, 0, 0, 0, 0, 3, 25]]


def test_printed_space_is_a_boundary_no_number_crosses() -> None:
    assert split_row_with_total("500000 5", 7) == [[5, 0, 0, 0, 0, 0, 5]]


def test_run_that_breaks_the_identity_has_no_split() -> None:
    assert split_row_with_total("1000002", 7) == []


def test_table4_run_splits_into_three_groups_by_their_totals() -> None:
    assert split_groups_with_totals("10203120001200000", 3, 5) == [[1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]]


def test_one_digit_per_cell_needs_no_identity_but_more_digits_do() -> None:
    assert split_one_digit_each("000", 3) == [0, 0, 0]
    assert split_one_digit_each("693665", 3) is None


def test_runs_too_long_for_a_row_are_not_split() -> None:
    assert split_row_with_total("1" * 61, 7) == []
    assert split_row_with_total("12345678" + "0" * 5 + "12345678", 7) == []  # no count of eight digits


def test_search_is_bounded_on_adversarial_runs() -> None:
    # Forty identical digits admit no split; the bounded search must say so (it takes milliseconds).
    assert split_row_with_total("5" * 40, 7) == []
    assert split_groups_with_totals("9" * 45, 3, 5) == []
