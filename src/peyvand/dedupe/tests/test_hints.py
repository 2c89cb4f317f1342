"""Live duplicate hints (``dedupe.selectors.hints``): Persian variants, identity keys, reasons,
visibility."""

import pytest

from peyvand.customers.services import (
    AddressInput,
    ContactInput,
    EmailInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    organization_create,
)
from peyvand.dedupe.selectors.hints import (
    ContactDraft,
    OrganizationDraft,
    contact_duplicate_hints,
    organization_duplicate_hints,
)

pytestmark = pytest.mark.django_db


def _contact(actor, given, family, **fields):
    return contact_create(
        actor=actor, data=ContactInput(given_name=given, family_name=family, **fields)
    )


def _codes(hint):
    return [r.code for r in hint.reasons]


def test_arabic_letters_and_national_phone_find_the_persian_record(users):
    """Given «علی رضائی» saved with +98 912…, when «علي رضايي» is typed with 0912… (Arabic
    ي, Persian digits), then the saved contact is the only hint, for its phone and its name."""
    saved = _contact(users["agent_n"], "علی", "رضائی", phones=[PhoneInput("+989121234567")])
    _contact(users["agent_n"], "سارا", "کریمی")

    hints = contact_duplicate_hints(
        actor=users["agent_n"],
        draft=ContactDraft(given_name="علي", family_name="رضايي", phones=("۰۹۱۲ ۱۲۳ ۴۵۶۷",)),
    )

    assert [h.public_id for h in hints] == [saved.public_id]
    assert _codes(hints[0]) == ["same_phone", "same_name"]
    assert [r.text for r in hints[0].reasons] == ["same phone", "same name"]
    assert hints[0].score == 99  # phone 90 and name 100 × 0.9: 1 - (1 - 0.9) × (1 - 0.9)
    assert hints[0].display_name == "علی رضائی"


@pytest.mark.parametrize("saved_name", ["محمدرضا", "محمد‌رضا", "محمد رضا"])
@pytest.mark.parametrize("typed_name", ["محمدرضا", "محمد‌رضا", "محمد رضا"])
def test_zwnj_and_space_variants_are_the_same_name(users, saved_name, typed_name):
    """Given a given name saved joined, with a ZWNJ or with a space, when it is typed in any
    of the three ways with the same family name, then the saved contact is hinted as the same
    name."""
    saved = _contact(users["agent_n"], saved_name, "کریمی")

    hints = contact_duplicate_hints(
        actor=users["agent_n"], draft=ContactDraft(given_name=typed_name, family_name="کریمی")
    )

    assert [(h.public_id, h.score, _codes(h)) for h in hints] == [
        (saved.public_id, 90, ["same_name"])
    ]


def test_latin_name_finds_the_persian_record(users):
    """Given «علی رضائی» saved (no email, no phone), when "Ali Rezaei" is typed, then it is
    hinted on the name alone: 95% similar (a skeleton match across scripts is never 100),
    scored 86 (a name alone weighs 0.9)."""
    saved = _contact(users["agent_n"], "علی", "رضائی")
    _contact(users["agent_n"], "علی", "کریمی")
    _contact(users["agent_n"], "لیلا", "رضایی")

    hints = contact_duplicate_hints(
        actor=users["agent_n"], draft=ContactDraft(given_name="Ali", family_name="Rezaei")
    )

    assert [(h.public_id, h.score) for h in hints] == [(saved.public_id, 86)]
    assert [(r.code, r.text) for r in hints[0].reasons] == [("similar_name", "name 95% similar")]


def test_a_typo_in_a_name_is_hinted_with_its_similarity(users):
    """Given «محمد حسینی», when «محمد حسبنی» (one wrong letter) is typed, then the contact is
    hinted with the similarity rapidfuzz gives."""
    saved = _contact(users["agent_n"], "محمد", "حسینی")

    hints = contact_duplicate_hints(
        actor=users["agent_n"], draft=ContactDraft(given_name="محمد", family_name="حسبنی")
    )

    assert [(h.public_id, h.score) for h in hints] == [(saved.public_id, 81)]
    assert [r.text for r in hints[0].reasons] == ["name 90% similar"]


def test_same_city_raises_a_middling_name_and_is_named(users):
    """Given «علی احمدی» in «تهران», when «علی محمدی» is typed, then the name alone (88%,
    scored 79) is not hinted, but with the city "Tehran" it is: "name 88% similar, same city"."""
    saved = _contact(
        users["agent_n"], "علی", "احمدی", addresses=[AddressInput("خیابان آزادی", city="تهران")]
    )

    without_city = contact_duplicate_hints(
        actor=users["agent_n"], draft=ContactDraft(given_name="علی", family_name="محمدی")
    )
    with_city = contact_duplicate_hints(
        actor=users["agent_n"],
        draft=ContactDraft(given_name="علی", family_name="محمدی", city="Tehran"),
    )

    assert without_city == []
    assert [h.public_id for h in with_city] == [saved.public_id]
    assert [r.text for r in with_city[0].reasons] == ["name 88% similar", "same city"]
    assert with_city[0].score == 82  # (88 + (100 - 88) / 4) × 0.9


def test_identity_keys_each_give_their_reason(users):
    """Given three contacts with unrelated names, sharing with the draft its email (any case),
    its phone (another format) and its national ID (Persian digits), then each is hinted with
    its own key, national ID first."""
    agent = users["agent_n"]
    by_email = _contact(agent, "Parisa", "Soltani", emails=[EmailInput("p.soltani@acme.ir")])
    by_phone = _contact(agent, "Kaveh", "Nouri", phones=[PhoneInput("02188776655")])
    by_id = _contact(agent, "Omid", "Habibi", national_id="0013542419")

    hints = contact_duplicate_hints(
        actor=agent,
        draft=ContactDraft(
            given_name="Zahra",
            family_name="Mohammadi",
            emails=(" P.Soltani@ACME.ir ",),
            phones=("+98 21 8877 6655",),
            national_id="۰۰۱۳۵۴۲۴۱۹",
        ),
    )

    assert [(h.public_id, h.score, _codes(h)) for h in hints] == [
        (by_id.public_id, 100, ["same_national_id"]),
        (by_email.public_id, 95, ["same_email"]),
        (by_phone.public_id, 90, ["same_phone"]),
    ]


def test_agent_gets_no_hint_about_records_they_cannot_see(users):
    """Given «علی رضایی» with a phone, email and national ID owned by agent_n in North, when
    agent_s (South) types exactly the same contact, then there is no hint; admin gets it."""
    saved = _contact(
        users["agent_n"], "علی", "رضایی",
        emails=[EmailInput("ali@example.com")], phones=[PhoneInput("09121234567")],
        national_id="0013542419",
    )  # fmt: skip
    draft = ContactDraft(
        given_name="علی",
        family_name="رضایی",
        emails=("ali@example.com",),
        phones=("09121234567",),
        national_id="0013542419",
    )

    assert contact_duplicate_hints(actor=users["agent_s"], draft=draft) == []
    admin_hints = contact_duplicate_hints(actor=users["admin"], draft=draft)
    assert [(h.public_id, h.score) for h in admin_hints] == [(saved.public_id, 100)]
    assert _codes(admin_hints[0]) == ["same_national_id", "same_email", "same_phone", "same_name"]


def test_the_record_being_edited_is_not_its_own_duplicate(users, north_contact):
    """Given the saved «علی رضایی», when its own values are checked excluding its public id,
    then there is no hint."""
    draft = ContactDraft(
        given_name="علی", family_name="رضایی", emails=("ali@example.com",), phones=("09121234567",)
    )

    hints = contact_duplicate_hints(
        actor=users["agent_n"], draft=draft, exclude_public_id=north_contact.public_id
    )

    assert hints == []


def test_different_people_with_a_shared_first_name_are_not_hinted(users):
    """Given «علی کریمی» and «لیلا رضایی», when «علی رضایی» is typed, then neither is hinted:
    every word of a name must be close, not just one."""
    _contact(users["agent_n"], "علی", "کریمی")
    _contact(users["agent_n"], "لیلا", "رضایی")

    hints = contact_duplicate_hints(
        actor=users["agent_n"], draft=ContactDraft(given_name="علی", family_name="رضایی")
    )

    assert hints == []


def test_limit_and_order(users):
    """Given six contacts with the draft's phone, when five are asked for, then the five
    newest come (all at the phone's score)."""
    created = [
        _contact(users["agent_n"], f"Person{i}", "Shared", phones=[PhoneInput("02188776655")])
        for i in range(6)
    ]

    hints = contact_duplicate_hints(
        actor=users["agent_n"], draft=ContactDraft(phones=("02188776655",)), limit=5
    )

    assert [h.public_id for h in hints] == [c.public_id for c in reversed(created[1:])]
    assert {h.score for h in hints} == {90}


def test_half_typed_keys_are_ignored(users, north_contact):
    """Given a phone of four digits, an email without a domain and a national ID with a bad
    check digit, then nothing is looked up and there is no hint (and no error)."""
    draft = ContactDraft(phones=("0912",), emails=("ali@",), national_id="1234567890")

    assert contact_duplicate_hints(actor=users["agent_n"], draft=draft) == []


def test_organization_hints_by_name_website_and_phone(users):
    """Given «شرکت آکمه» with a website and a landline, when "آکمه" is typed with the same
    phone, then it is hinted for the phone and the same name (legal-form words ignored); a
    draft with only the website's domain finds it too."""
    acme = organization_create(
        actor=users["agent_n"],
        data=OrganizationInput(
            name="شرکت آکمه", website="https://www.acme.co.ir/fa", phone="02188776655"
        ),
    )
    organization_create(actor=users["agent_n"], data=OrganizationInput(name="شرکت پارس"))

    by_name = organization_duplicate_hints(
        actor=users["agent_n"], draft=OrganizationDraft(name="آکمه", phones=("021-88776655",))
    )
    by_site = organization_duplicate_hints(
        actor=users["agent_n"], draft=OrganizationDraft(name="", website="acme.co.ir")
    )

    assert [(h.public_id, _codes(h)) for h in by_name] == [
        (acme.public_id, ["same_phone", "same_name"])
    ]
    assert [(h.public_id, h.score, _codes(h)) for h in by_site] == [
        (acme.public_id, 90, ["same_website"])
    ]
    assert (
        organization_duplicate_hints(
            actor=users["agent_s"], draft=OrganizationDraft(name="آکمه", phones=("02188776655",))
        )
        == []
    )


@pytest.mark.parametrize(
    ("given", "family"), [("علی", "رضایی"), ("Ali", "Rezaei"), ("علي", "رضائي")]
)
def test_the_match_is_found_among_many_newer_namesakes(users, given, family):
    """Given «علی رضایی» and, saved after it, 60 other «… رضایی» (more than are re-ranked),
    when «علی رضایی» is typed in Persian, Latin or Arabic letters, then it is still the only
    hint: candidates sharing more of the typed words are re-ranked first."""
    saved = _contact(users["agent_n"], "علی", "رضایی")
    for index in range(60):
        _contact(users["agent_n"], f"نام{index}", "رضایی")

    hints = contact_duplicate_hints(
        actor=users["agent_n"], draft=ContactDraft(given_name=given, family_name=family)
    )

    assert [h.public_id for h in hints] == [saved.public_id]
