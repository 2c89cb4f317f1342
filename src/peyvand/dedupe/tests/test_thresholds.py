"""Thresholds typed as percentages, or as probabilities the way earlier versions asked."""

import pytest

from peyvand.dedupe.thresholds import threshold_parse, threshold_percent


@pytest.mark.parametrize(
    ("typed", "probability"),
    [
        ("90", 0.9), ("90%", 0.9), ("۹۰٪", 0.9), (" 87.5 ", 0.875), ("۸۷٫۵", 0.875),
        ("87/5", 0.875), ("0.9", 0.9), ("۰٫۵", 0.5), ("1", 1.0), ("1%", 0.01), ("150", 1.5),
        ("abc", None), ("", None), ("nan", None), ("inf", None),
    ],
)  # fmt: skip
def test_threshold_parse(typed, probability):
    assert threshold_parse(typed) == probability


@pytest.mark.parametrize(("probability", "shown"), [(0.9, "90"), (0.875, "87.5"), (0.99, "99")])
def test_threshold_percent(probability, shown):
    assert threshold_percent(probability) == shown
