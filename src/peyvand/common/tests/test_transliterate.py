"""Persian labels spelled as Latin keys (``common.transliterate.latin_key``)."""

import pytest

from peyvand.common.transliterate import latin_key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("سطح وفاداری", "sth_vfadari"),
        ("علی", "ali"),
        ("شماره پرونده", "shmare_prunde"),
        ("نوع مشتري", "nu_mshtri"),  # Arabic yeh folds to Persian
        ("تاریخ تولد‌ها", "tarikh_tuldha"),  # ZWNJ joins the word
        ("آدرس دفتر", "adrs_dftr"),
        ("کد ۲", "kd_2"),
        ("VIP level", "vip_level"),
        ("Café — noir!", "cafe_noir"),
        ("🎉", ""),
    ],
)
def test_latin_key_spells_persian_letter_by_letter(label, key):
    assert latin_key(label) == key


def test_latin_key_is_cut_at_max_length_without_a_trailing_separator():
    assert latin_key("سطح وفاداری", max_length=4) == "sth"
