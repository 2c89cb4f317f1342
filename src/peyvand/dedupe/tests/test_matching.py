"""Pure matching functions (``dedupe.matching``): names across spellings and scripts, places,
addresses, email and web domains."""

import pytest

from peyvand.common.persian import search_key
from peyvand.dedupe.matching import (
    address_similarity,
    email_domain,
    is_free_mail,
    latin_to_persian,
    name_similarity,
    same_domain,
    same_place,
    skeleton,
    website_domain,
)

# Common Iranian names as they are written in Latin letters and in Persian.
SAME_PEOPLE = [
    ("Ali Rezaei", "علی رضائی"),
    ("Mohammad Hosseini", "محمد حسینی"),
    ("Fatemeh Ahmadi", "فاطمه احمدی"),
    ("Zahra Mohammadi", "زهرا محمدی"),
    ("Hossein Karimi", "حسین کریمی"),
    ("Reza Ghasemi", "رضا قاسمی"),
    ("Maryam Jafari", "مریم جعفری"),
    ("Mohammadreza Moradi", "محمدرضا مرادی"),
    ("Mohammad Reza Moradi", "محمدرضا مرادی"),
    ("Morteza Mousavi", "مرتضی موسوی"),
    ("Mostafa Hashemi", "مصطفی هاشمی"),
    ("Mahdi Sadeghi", "مهدی صادقی"),
    ("Mehdi Rahimi", "مهدی رحیمی"),
    ("Amir Kazemi", "امیر کاظمی"),
    ("Sara Ebrahimi", "سارا ابراهیمی"),
    ("Narges Yousefi", "نرگس یوسفی"),
    ("Javad Najafi", "جواد نجفی"),
    ("Hamid Bagheri", "حمید باقری"),
    ("Esmaeil Taheri", "اسماعیل طاهری"),
    ("Leila Akbari", "لیلا اکبری"),
    ("Masoumeh Alavi", "معصومه علوی"),
    ("Ahmad Esmaeili", "احمد اسماعیلی"),
    ("Zeinab Hosseinzadeh", "زینب حسین‌زاده"),
    ("Davood Kiani", "داوود کیانی"),
    ("Nasrin Shirazi", "نسرین شیرازی"),
    ("Mahmoud Tehrani", "محمود تهرانی"),
    ("Ebrahim Khosravi", "ابراهیم خسروی"),
    ("Omid Habibi", "امید حبیبی"),
    ("Mojtaba Sharifi", "مجتبی شریفی"),
    ("Yasaman Heidari", "یاسمن حیدری"),
    ("Hasan Abbasi", "حسن عباسی"),
    ("Shirin Zamani", "شیرین زمانی"),
    ("Parisa Soltani", "پریسا سلطانی"),
    ("Zohreh Ghorbani", "زهره قربانی"),
    ("Vahid Mirzaei", "وحید میرزایی"),
    ("Saeed Azizi", "سعید عزیزی"),
    ("Elham Rezaei", "الهام رضایی"),
    ("Abolfazl Rostami", "ابوالفضل رستمی"),
]


@pytest.mark.parametrize(("latin", "persian"), SAME_PEOPLE)
def test_latin_and_persian_spellings_of_common_names_score_at_least_85(latin, persian):
    """Given a common name in Latin letters and in Persian, then they score >= 85 (either way
    round), and never 100: across scripts it stays a guess."""
    assert 85 <= name_similarity(latin, persian) <= 95
    assert name_similarity(persian, latin) == name_similarity(latin, persian)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Ali Rezaei", "علی رضوی", 81),  # Rezaei is not Rezavi
        ("Hossein Ahmadi", "حسن احمدی", 81),  # Hossein is not Hassan
        ("Ali Rezaei", "لیلا رضایی", 76),
        ("Ali", "علی رضایی", 63),  # a missing family name is a difference
        ("Mehdi Rahimi", "مجید رحیمی", 48),
    ],
)
def test_different_names_across_scripts_stay_below_85(a, b, expected):
    assert name_similarity(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("علي رضايي", "علی رضائی", 100),  # Arabic ي, hamza form of ئ
        ("محمدرضا", "محمد‌رضا", 100),  # joined / ZWNJ
        ("محمدرضا", "محمد رضا", 100),  # joined / space
        ("علی رضایی", "رضایی علی", 100),  # family name first
        ("كاظم", "کاظم", 100),  # Arabic ك
        ("محمد حسینی", "محمد حسبنی", 90),  # one wrong letter
        ("علی رضایی", "علی رضوی", 82),
        ("علی رضایی", "علی کریمی", 75),
        ("Ali Rezaei", "ali rezaee", 90),
        ("", "علی", 0),
    ],
)
def test_same_script_names(a, b, expected):
    assert name_similarity(a, b) == expected


def test_organisation_names_ignore_legal_form_words():
    """«شرکت آکمه» and «آکمه», "Acme Ltd" and "ACME" are the same name; "Acme" and "Acne"
    are not quite."""
    assert name_similarity("شرکت آکمه", "آکمه", organization=True) == 100
    assert name_similarity("Acme Ltd", "ACME", organization=True) == 100
    assert name_similarity("Acme Ltd", "ACME", organization=False) == 73
    assert name_similarity("Acme", "Acne", organization=True) == 75


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ali Rezaei", "ly rzy"),
        ("علی رضائی", "ly rzy"),
        ("Fatemeh", "ftm"),  # the silent final ه / eh
        ("فاطمه", "ftm"),
        ("Mohammad", "mhmd"),  # doubled letters collapse
        ("Khosravi", "xsrvy"),  # kh is one class
        ("خسروی", "xsrvy"),
        ("Ghasemi", "qsmy"),  # gh = ق = غ
        ("غاسمی", "qsmy"),
    ],
)
def test_skeletons(name, expected):
    assert skeleton(name) == expected


@pytest.mark.parametrize(
    ("latin", "persian"),
    [
        ("Ali", "علی"),
        ("Reza", "رضا"),
        ("Rezaei", "رضائی"),
        ("Mohammadreza", "محمدرضا"),
        ("Hossein", "حسین"),
        ("Esmaeil", "اسماعیل"),
        ("Fatemeh", "فاطمه"),
        ("Zahra", "زهرا"),
        ("Ghasemi", "قاسمی"),
        ("Sadeghi", "صادقی"),
        ("Taheri", "طاهری"),
        ("Morteza", "مرتضی"),
    ],
)
def test_latin_words_are_spelled_the_persian_way_among_the_first_guesses(latin, persian):
    """The Persian spelling (in search-key form) is among the bounded list of guesses."""
    guesses = latin_to_persian(latin)
    assert search_key(persian) in guesses
    assert len(guesses) <= 64


def test_latin_to_persian_of_nothing_spellable():
    assert latin_to_persian("") == []
    assert latin_to_persian("123") == []


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("تهران", "Tehran", True),
        ("تهران", "طهران", True),  # old spelling
        ("Isfahan", "اصفهان", True),
        ("Esfahan", "اصفهان", True),
        ("Mashhad", "مشهد", True),
        ("شيراز", "شیراز", True),  # Arabic ي
        ("Shiraz", "Tabriz", False),
        ("تهران", "", False),
    ],
)
def test_same_place(a, b, expected):
    assert same_place(a, b) is expected


def test_address_similarity_ignores_word_order_and_digits():
    assert address_similarity("خیابان ولیعصر، پلاک ۱۲", "پلاک 12 خیابان ولیعصر") == 100
    assert address_similarity("خیابان ولیعصر، پلاک ۱۲", "خیابان آزادی، پلاک ۷") == 73  # < 90
    assert address_similarity("", "خیابان آزادی") == 0


def test_domains():
    assert email_domain(" Ali.Rezaei@Acme.CO.IR ") == "acme.co.ir"
    assert email_domain("no-at-sign") == ""
    assert email_domain("@acme.com") == ""
    assert website_domain("https://www.Acme.com/fa/about") == "acme.com"
    assert website_domain("acme.com") == "acme.com"
    assert website_domain("") == ""
    assert same_domain("mail.acme.com", "acme.com")
    assert not same_domain("notacme.com", "acme.com")
    assert [is_free_mail(d) for d in ("gmail.com", "chmail.ir", "yahoo.com", "acme.ir")] == [
        True,
        True,
        True,
        False,
    ]
