"""The deletion neighbourhood behind typo-tolerant search (common.typos)."""

import pytest

from peyvand.common.typos import close_words, typo_words, variant_rows, variants


def test_variants_are_the_word_and_its_single_deletions():
    assert variants("سارا") == {"سارا", "ارا", "سرا", "ساا", "سار"}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("رضاعی", "رضایی"),  # substitution
        ("conor", "connor"),  # deletion
        ("connnor", "connor"),  # insertion
        ("sraa", "sara"),  # two neighbours swapped
    ],
)
def test_words_one_edit_apart_share_a_variant(typed, stored):
    assert variants(typed) & variants(stored)
    assert close_words(typed, {stored}) == [stored]


def test_close_words_drops_false_friends_and_orders_by_distance():
    """«abcd»/«bcde» share the variant «bcd» but are two edits apart: a short word allows one."""
    assert close_words("abcd", {"bcde", "abce", "abcd"}) == ["abcd", "abce"]


def test_long_words_allow_two_edits():
    assert close_words("mohammadi", {"mohamady", "muhamady"}) == ["mohamady"]


def test_typo_words_keeps_name_words_of_four_letters_or_more():
    assert typo_words("علی رضایی 1234 sara") == {"رضایی", "sara"}


def test_variant_rows_pair_each_variant_with_its_word():
    rows = variant_rows({"sara"})
    assert ("sara", "sara") in rows and ("ara", "sara") in rows and len(rows) == 5
