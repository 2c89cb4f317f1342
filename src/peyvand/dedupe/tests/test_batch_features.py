"""The input table of batch detection (``dedupe.batch.features``): matching forms of names,
emails, phones and places, and reading them from the database."""

import datetime as dt

import pytest

from peyvand.customers.models import Contact
from peyvand.customers.services import (
    AddressInput,
    ContactInput,
    EmailInput,
    PhoneInput,
    contact_create,
)
from peyvand.dedupe.batch.features import (
    SCHEMA,
    ContactRecord,
    contact_records,
    feature_row,
    features_table,
    mailbox_name,
)


def _row(**fields) -> dict:
    return feature_row(ContactRecord(id=1, **fields))


def test_arabic_letters_hamza_and_latin_spelling_share_the_name_skeleton():
    """Given «علی رضائی», «علي رضايي» and "Ali Rezaei", when their features are made, then the
    two Persian spellings have one key and all three one consonant skeleton."""
    persian = _row(given_name="علی", family_name="رضائی")
    arabic = _row(given_name="علي", family_name="رضايي")
    latin = _row(given_name="Ali", family_name="Rezaei")

    assert persian["full_key"] == arabic["full_key"] == "علیرضایی"
    assert latin["full_key"] == "alirezaei"
    assert persian["name_skeleton"] == arabic["name_skeleton"] == latin["name_skeleton"] == "lyrzy"
    assert (persian["given_skeleton"], persian["family_skeleton"]) == ("ly", "rzy")


@pytest.mark.parametrize("given", ["محمدرضا", "محمد\u200cرضا", "محمد رضا", " محمد  رضا "])
def test_zwnj_and_spaces_inside_a_name_do_not_change_its_key(given):
    """Given a compound name written joined, with a ZWNJ or with spaces, then its key, fuzzy
    form and skeleton are the same."""
    row = _row(given_name=given, family_name="کریمی")

    assert row["given_key"] == "محمدرضا"
    assert row["full_key"] == "محمدرضاکریمی"
    assert row["name_fuzzy"] == "$H$JLRAYL=$="
    assert row["name_skeleton"] == "mhmdrzkrymy"


def test_fuzzy_form_writes_each_persian_letter_as_one_ascii_character():
    """Given a Persian name, then its fuzzy form has one ASCII character per letter (DuckDB's
    string distances count bytes)."""
    row = _row(given_name="سارا", family_name="کریمی")

    assert row["name_fuzzy"] == "OALAYL=$="
    assert row["name_fuzzy"].isascii()
    assert len(row["name_fuzzy"]) == len(row["full_key"])


def test_display_name_is_used_when_given_and_family_are_empty():
    row = _row(display_name="Sara  KARIMI")

    assert (row["given_key"], row["family_key"], row["full_key"]) == (None, None, "sarakarimi")
    assert row["name_skeleton"] == "srkrymy"


def test_empty_values_are_null_not_empty_strings():
    """Given a contact with nothing but an id, then every feature but the id is NULL (blocking
    rules and comparisons treat NULL as missing, "" as a value)."""
    row = _row()

    assert row["unique_id"] == 1
    assert {k: v for k, v in row.items() if k != "unique_id"} == dict.fromkeys(
        [n for n in SCHEMA.names if n != "unique_id"]
    )


def test_emails_phones_dates_ids_and_places():
    row = _row(
        emails=["ali.rezaei+crm@gmail.com", "a@x.ir"],
        phones=["+989121234567", "+982188776655"],
        birth_date="1990-01-02",
        national_id="0012345679",
        city="طهران",
        postal_code="۱۲۳۴۵-۶۷۸۹۰",
    )

    assert row["email"] == "ali.rezaei+crm@gmail.com"
    assert row["emails"] == ["ali.rezaei+crm@gmail.com", "a@x.ir"]
    assert row["email_local"] == "alirezaei"
    assert (row["phone"], row["phones"]) == ("+989121234567", ["+989121234567", "+982188776655"])
    assert (row["birth_date"], row["birth_year"]) == ("1990-01-02", "1990")
    assert row["national_id"] == "0012345679"
    assert row["city"] == _row(city="Tehran")["city"] == _row(city="تهران")["city"] == "thrn"
    assert row["postal_code"] == "1234567890"


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("Ali.Rezaei@gmail.com".lower(), "alirezaei"),
        ("info@acme.ir", None),
        ("sales+ir@acme.ir", None),
        ("abc@x.ir", None),  # too short to say anything
        ("no-at-sign", None),
    ],
)
def test_mailbox_name(email, expected):
    assert mailbox_name(email) == expected


def test_features_table_has_the_schema_and_one_row_per_record():
    table = features_table(
        [ContactRecord(id=5, given_name="علی"), ContactRecord(id=9, phones=["+989121234567"])]
    )

    assert table.schema == SCHEMA
    assert table.column("unique_id").to_pylist() == [5, 9]
    assert table.column("phones").to_pylist() == [None, ["+989121234567"]]


@pytest.mark.django_db
def test_contact_records_merge_children_by_contact_primary_first(users):
    """Given contacts with several emails, phones and addresses (and one with none), when they
    are read, then each record has its own values, the primary email and phone first and the
    first address's city."""
    actor = users["admin"]
    first = contact_create(
        actor=actor,
        data=ContactInput(
            given_name="علی", family_name="رضایی", birth_date=dt.date(1990, 1, 2),
            emails=[EmailInput("b@x.ir"), EmailInput("a@x.ir", is_primary=True)],
            phones=[PhoneInput("09121234567"), PhoneInput("021 8877 6655", is_primary=True)],
            addresses=[
                AddressInput(line="خیابان ولیعصر", city="تهران", postal_code="1234567890"),
                AddressInput(line="-", city="کرج"),
            ],
        ),
    )  # fmt: skip
    empty = contact_create(actor=actor, data=ContactInput(display_name="Nobody"))
    third = contact_create(
        actor=actor, data=ContactInput(given_name="Sara", emails=[EmailInput("s@y.ir")])
    )

    records = list(contact_records(Contact.objects.all()))

    assert [r.id for r in records] == [first.pk, empty.pk, third.pk]
    assert records[0] == ContactRecord(
        id=first.pk, given_name="علی", family_name="رضایی", display_name="علی رضایی",
        emails=["a@x.ir", "b@x.ir"], phones=["+982188776655", "+989121234567"],
        birth_date="1990-01-02", national_id="", city="تهران", postal_code="1234567890",
        address_line="خیابان ولیعصر",
    )  # fmt: skip
    assert records[1] == ContactRecord(id=empty.pk, display_name="Nobody")
    assert (records[2].emails, records[2].phones) == (["s@y.ir"], [])


@pytest.mark.django_db
def test_contact_records_of_a_filtered_queryset_read_only_those_children(users):
    actor = users["admin"]
    kept = contact_create(
        actor=actor, data=ContactInput(given_name="A", emails=[EmailInput("a@x.ir")])
    )
    contact_create(actor=actor, data=ContactInput(given_name="B", emails=[EmailInput("b@x.ir")]))

    records = list(contact_records(Contact.objects.filter(pk=kept.pk)))

    assert [(r.id, r.emails) for r in records] == [(kept.pk, ["a@x.ir"])]


def test_features_table_joins_its_batches(monkeypatch):
    """Given more records than one Arrow batch holds, then the table has them all, in order."""
    monkeypatch.setattr("peyvand.dedupe.batch.features.BATCH_ROWS", 2)

    table = features_table(ContactRecord(id=i, given_name=f"n{i}") for i in range(5))

    assert table.column("unique_id").to_pylist() == [0, 1, 2, 3, 4]
    assert table.column("given_key").to_pylist() == ["n0", "n1", "n2", "n3", "n4"]
    assert features_table([]).num_rows == 0
