"""customers.normalize: the one rule for emails, phones (with their kind), national IDs, names,
countries and websites, and its import fast paths agreeing with the full checks."""

import datetime as dt

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import given
from hypothesis import strategies as st

from peyvand.common.persian import search_key
from peyvand.customers import normalize


def _message(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        call(*args, **kwargs)
    return exc.value.messages[0]


# --- email ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Ali.Rezaei@Example.COM ", "ali.rezaei@example.com"),
        ("a@مثال.ir", "a@مثال.ir"),  # an internationalised domain (Django accepts it)
        ("ali۱۲@x.com", "ali12@x.com"),  # Persian digits typed on a Persian keyboard
        ("\u200eali@x.com\u200f", "ali@x.com"),  # direction marks copied from an RTL page
        ("o'brien+crm@mail.co.uk", "o'brien+crm@mail.co.uk"),
        ("", ""),
        (None, ""),
    ],
)
def test_email_is_stored_stripped_and_lower_cased(typed, stored):
    assert normalize.email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "a@b.c",  # a one-letter top-level domain: Django's EmailValidator refuses it
        ".a@x.com",  # a dot at the start of the local part
        "a.@x.com",
        "a..b@x.com",
        "ali@",
        "ali@x",
        "ali@-x.com",
        "a b@x.com",
        "x" * 250 + "@x.com",  # longer than the column (254)
    ],
)
def test_email_refuses_what_django_refuses(typed):
    assert _message(normalize.email, typed) == f"“{typed}” is not an email address."


@given(
    st.from_regex(
        r"[-a-z0-9.!#$%&'*+/=?^_`{}|~]{1,12}@[a-z0-9.-]{1,12}\.[a-z0-9-]{1,5}", fullmatch=True
    )
)
def test_email_fast_path_agrees_with_djangos_validator(address):
    """The import's fast pattern accepts exactly the ASCII addresses Django accepts."""
    try:
        validate_email(address)
        django_accepts = True
    except ValidationError:
        django_accepts = False
    try:
        ours = normalize.email(address) == address
    except ValidationError:
        ours = False
    assert ours == django_accepts


# --- phone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("09121234567", None, ("+989121234567", "mobile")),
        ("۰۹۱۲ ۱۲۳ ۴۵۶۷", None, ("+989121234567", "mobile")),
        ("+98 (912) 123-4567", None, ("+989121234567", "mobile")),
        ("۰۲۱-۸۸۷۷۶۶۵۵", None, ("+982188776655", "landline")),  # Tehran, a fixed line
        ("(021) 8877 6655", None, ("+982188776655", "landline")),
        ("٠٣١٣٢٢٢١١١١", None, ("+983132221111", "landline")),  # Arabic-Indic digits
        ("+44 20 7946 0958", None, ("+442079460958", "landline")),
        ("07911 123456", "GB", ("+447911123456", "mobile")),
        ("0044 7911 123456", None, ("+447911123456", "mobile")),
        ("+1 202 555 0123", None, ("+12025550123", "mobile")),  # fixed line or mobile
        ("+1 800 555 0123", None, ("+18005550123", "other")),  # toll free
    ],
)
def test_phone_is_e164_with_the_numbers_own_kind(typed, country, stored):
    assert normalize.phone(typed, country=country) == stored


@pytest.mark.parametrize("typed", ["0912", "09401234567", "abc", "+98 21", ""])
def test_phone_refuses_numbers_that_do_not_exist(typed):
    assert _message(normalize.phone, typed) == f"“{typed}” is not a valid phone number."


def test_phone_reads_a_national_number_in_the_given_country(settings):
    settings.PEYVAND_DEFAULT_COUNTRY = "GB"
    assert normalize.phone("020 7946 0958") == ("+442079460958", "landline")
    assert normalize.phone("021 8877 6655", country="IR") == ("+982188776655", "landline")


def test_phone_kind_of_a_stored_number():
    assert normalize.phone_kind("+982188776655") == "landline"
    assert normalize.phone_kind("+989121234567") == "mobile"
    assert normalize.phone_kind("+98") == "other"


_IR_FORMS = st.sampled_from(["0{}", "+98{}", "0098{}", "98{}", "{}", "+98 {}", "0{} "])


@given(st.from_regex(r"9[0-9]{9}", fullmatch=True), _IR_FORMS, st.booleans())
def test_iranian_mobile_fast_path_agrees_with_phonenumbers(national, form, persian):
    """Whatever the regex shortcut accepts, libphonenumber's full parse accepts as the same
    number and type; whatever it refuses is refused or read by the full parse."""
    typed = form.format(national)
    if persian:
        typed = typed.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    text = typed.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")).strip()
    text = "+" + text[2:] if text.startswith("00") else text
    try:
        parsed = phonenumbers.parse(text, "IR")
        valid = phonenumbers.is_valid_number(parsed)
    except phonenumbers.NumberParseException:
        valid = False
    if not valid:
        with pytest.raises(ValidationError):
            normalize.phone(typed, country="IR")
        return
    expected_kind = {
        phonenumbers.PhoneNumberType.MOBILE: "mobile",
        phonenumbers.PhoneNumberType.FIXED_LINE: "landline",
    }.get(phonenumbers.number_type(parsed), "other")
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    assert normalize.phone(typed, country="IR") == (e164, expected_kind)


# --- national IDs --------------------------------------------------------------------------


def test_iranian_national_id_has_its_check_digit():
    assert normalize.national_id("۰۰۱۳۵۴۲۴۱۹") == "0013542419"
    assert normalize.national_id("001-354241-9") == "0013542419"
    assert normalize.national_id("13542419") == "0013542419"  # a spreadsheet lost the zeros
    assert normalize.national_id("") == ""
    assert _message(normalize.national_id, "0013542418") == (
        "“0013542418” is not a valid Iranian national ID (check digit does not match)."
    )


def test_national_id_of_another_country_is_only_tidied():
    assert normalize.national_id("AB-123 45", country="DE") == "AB12345"
    assert _message(normalize.national_id, "1" * 21, country="DE") == (
        "Use at most 20 characters (this has 21)."
    )


def test_organisation_national_id_is_tidied_without_a_check_digit():
    assert normalize.organization_national_id(" ۱۰۱۰-۰۲۳۴۵۶۷ ") == "10100234567"
    assert normalize.organization_national_id(None) == ""


# --- names ---------------------------------------------------------------------------------


def test_display_name_keeps_zwnj_hamza_and_heh_with_hamza():
    """What is shown is what was typed, with Persian letters for Arabic-keyboard ones."""
    assert normalize.display_name("خانه\u0654 سبز") == "خانه\u0654 سبز"  # «خانهٔ سبز»
    assert normalize.display_name("خانۀ سبز") == "خانۀ سبز"
    assert normalize.display_name("ایده\u200cپردازان") == "ایده\u200cپردازان"
    assert normalize.display_name("مسئله  مؤسسه") == "مسئله مؤسسه"
    assert normalize.display_name("رأی") == "رأی"
    assert normalize.display_name("علي كريمي") == "علی کریمی"
    assert normalize.display_name("مُحَمَّد") == "محمد"  # vowel marks go, the hamza stayed


def test_name_key_folds_what_display_keeps():
    assert normalize.name_key("خانه\u0654 سبز") == normalize.name_key("خانه سبز") == "خانه سبز"
    assert normalize.name_key("ایده\u200cپردازان") == "ایدهپردازان"
    assert normalize.name_key("مؤسسه رأی") == normalize.name_key("موسسه رای")
    assert normalize.name_key("علي ۱۲") == "علی 12"


def test_display_name_longer_than_its_field_is_refused():
    assert normalize.display_name("ا" * 100, max_length=100) == "ا" * 100
    assert _message(normalize.display_name, "ا" * 101, max_length=100) == (
        "Use at most 100 characters (this has 101)."
    )


@given(st.text(alphabet="علیيكکهۀٔئؤأإآ\u0654\u200c ـَ۱2", max_size=30))
def test_display_is_stable_and_keys_agree(text):
    shown = normalize.display_name(text)
    assert normalize.display_name(shown) == shown
    assert normalize.name_key(shown) == search_key(text)


# --- country, website, birth date ------------------------------------------------------------


def test_country_from_a_code_or_a_name(settings):
    settings.PEYVAND_DEFAULT_COUNTRY = "DE"
    assert normalize.default_country() == "DE"
    assert normalize.country("") == "DE"
    assert normalize.country(" ir ") == "IR"
    assert normalize.country("Iran") == "IR"
    assert normalize.country("ایران") == "IR"
    assert normalize.country("United Kingdom") == "GB"
    assert normalize.country("UK") == "GB"
    assert _message(normalize.country, "Narnia") == (
        "“Narnia” is not a country: type its two-letter code (such as IR or DE)."
    )


def test_website_gets_a_scheme_and_must_be_an_address():
    assert normalize.website("example.ir") == "https://example.ir"
    assert normalize.website("http://x.com/a") == "http://x.com/a"
    assert normalize.website("  ") == ""
    assert _message(normalize.website, "not a site") == "“not a site” is not a web address."


def test_birth_date_in_either_calendar_and_not_in_the_future():
    assert normalize.birth_date("۱۳۷۰/۰۱/۱۵") == dt.date(1991, 4, 4)
    assert normalize.birth_date(dt.date(1991, 4, 4)) == dt.date(1991, 4, 4)
    assert normalize.birth_date("") is None
    assert _message(normalize.birth_date, "2999-01-01") == "The birth date is in the future."
