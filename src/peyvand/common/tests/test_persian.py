"""Persian normalisation: properties that hold for any text, and the cases users hit."""

from hypothesis import given
from hypothesis import strategies as st
from persiantools import characters, digits

from peyvand.common.persian import compact_key, normalize_text, search_key, to_ascii_digits

persian_text = st.text(
    alphabet=st.sampled_from(
        list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةۀأإآ ‌ـًٌٍَُِّْ۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789")
        + list("abcXYZ-@.")
    ),
    max_size=40,
)


@given(persian_text)
def test_normalize_is_idempotent(text):
    assert normalize_text(normalize_text(text)) == normalize_text(text)


@given(persian_text)
def test_search_key_is_idempotent_and_stable_under_normalize(text):
    assert search_key(search_key(text)) == search_key(text)
    assert search_key(normalize_text(text)) == search_key(text)


@given(persian_text)
def test_search_key_agrees_with_persiantools(text):
    """persiantools' Arabic→Persian letters and digit conversion do not change the key."""
    converted = digits.ar_to_fa(characters.ar_to_fa(text))
    assert search_key(converted) == search_key(text)
    assert search_key(digits.fa_to_en(converted)) == search_key(text)


@given(persian_text)
def test_key_has_no_arabic_letters_digits_or_zwnj(text):
    key = search_key(text)
    assert not set(key) & set("يكىة\u200c\u0640۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")


def test_arabic_keyboard_letters_become_persian():
    assert normalize_text("علي  كريمي") == "علی کریمی"


def test_diacritics_and_tatweel_are_removed():
    assert normalize_text("مُحَمَّد ــ رضا") == "محمد رضا"
    assert normalize_text("مـــحمد") == "محمد"


def test_zwnj_tidied_but_kept_between_letters():
    assert normalize_text("می\u200c\u200cخواهم") == "می\u200cخواهم"
    assert normalize_text("\u200cعلی \u200cرضا\u200c") == "علی رضا"


def test_variants_share_one_key():
    assert search_key("علي رضايي") == search_key("علی رضایی") == "علی رضایی"
    assert search_key("آرش") == search_key("ارش")
    assert compact_key("علی رضا") == compact_key("علی\u200cرضا") == compact_key("علیرضا")


def test_digits_fold_to_ascii():
    assert to_ascii_digits("۰۹۱۲٣٤٥") == "0912345"
    assert search_key("Tel ۰۹۱۲") == "tel 0912"


def _normalize_every_step(value: str) -> str:
    """normalize_text without its shortcuts: every replacement and regex, always."""
    import re
    import unicodedata

    from peyvand.common.persian import _STORE_TABLE

    text = unicodedata.normalize("NFKC", value).translate(_STORE_TABLE)
    text = re.sub(r"\u200c{2,}", "\u200c", text)
    text = re.sub(r"\u200c*(\s+)\u200c*", " ", text)
    return re.sub(r"\s+", " ", text).strip(" \u200c")


@given(st.text(alphabet="علیيكکهٔ\u0654\u200c \t\n\u00a0\u2009ab1۱٤ـ\u064e", max_size=30))
def test_normalize_shortcuts_change_nothing(text):
    """The fast paths (no ZWNJ, no double space…) give exactly the full treatment's result."""
    assert normalize_text(text) == _normalize_every_step(text)
