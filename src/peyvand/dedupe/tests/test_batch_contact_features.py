"""The vectorised input table (``dedupe.batch.features.contact_features``) and the address forms
it carries: the same table as the record-by-record path, and house number / street from an
address line."""

import datetime as dt

import pytest

from peyvand.customers.models import Contact
from peyvand.customers.selectors.visibility import visible_q
from peyvand.customers.services import (
    AddressInput,
    ContactInput,
    EmailInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    organization_create,
)
from peyvand.dedupe.batch.features import (
    SCHEMA,
    ContactRecord,
    address_forms,
    contact_features,
    contact_records,
    feature_row,
    features_table,
)


@pytest.mark.parametrize(
    ("line", "city", "expected"),
    [
        # the plate number, not the number in the street's name
        ("تهران، خیابان ۱۷ شهریور، کوچه ۵، پلاک ۱۲", "تهران", ("12", "P*L=&L")),
        ("خیابان ۱۷ شهریور، پلاک ۱۲، طبقه ۳", "", ("12", "P*L=&L")),
        ("12 Hurley Street, Lakes Estate", "Kempsey", ("12", "hurleylakesestate")),
        # what an import without a street writes: the city as the line
        ("اصفهان", "اصفهان", (None, None)),
        ("", "تهران", (None, None)),
    ],
)
def test_address_forms_are_the_house_number_and_the_street_words(line, city, expected):
    assert address_forms(line, city) == expected


def test_a_name_in_one_field_and_split_on_the_other_has_the_same_whole_name():
    """Given «محمد رضا کریمی» as a display name only and as given «محمد رضا» + family
    «کریمی», then the whole-name key and skeleton are the same."""
    split = feature_row(ContactRecord(id=1, given_name="محمد رضا", family_name="کریمی"))
    whole = feature_row(ContactRecord(id=2, display_name="محمد رضا کریمی"))

    assert split["full_key"] == whole["full_key"] == "محمدرضاکریمی"
    assert split["name_skeleton"] == whole["name_skeleton"] == "mhmdrzkrymy"
    assert (whole["given_key"], whole["family_key"]) == (None, None)


@pytest.fixture
def contacts(users):
    """Contacts covering every column: several emails/phones (primary not first), two addresses,
    a generic mailbox, a display name only, Latin and Persian names, nothing but a name, and an
    organisation's address (not a contact's)."""
    actor = users["admin"]
    organization_create(
        actor=actor,
        data=OrganizationInput(
            name="پارس", addresses=[AddressInput(line="خیابان آزادی، پلاک ۱", city="تهران")]
        ),
    )
    made = [
        contact_create(
            actor=actor,
            data=ContactInput(
                given_name="علی", family_name="رضائی", birth_date=dt.date(1990, 1, 2),
                national_id="0012345679",
                emails=[EmailInput("a.rezaei+crm@x.ir"), EmailInput("b@x.ir", is_primary=True)],
                phones=[PhoneInput("09121234567"), PhoneInput("02188776655", is_primary=True)],
                addresses=[
                    AddressInput(line="خیابان ولیعصر، پلاک ۱۲", city="تهران",
                                 postal_code="۱۲۳۴۵-۶۷۸۹۰"),
                    AddressInput(line="-", city="کرج"),
                ],
            ),
        ),
        contact_create(
            actor=actor,
            data=ContactInput(
                display_name="Sara Karimi", emails=[EmailInput("info@acme.ir")],
                addresses=[AddressInput(line="Karaj", city="Karaj")],
            ),
        ),
        contact_create(actor=actor, data=ContactInput(given_name="Ali", family_name="Rezaei")),
        contact_create(
            actor=users["agent_s"],
            data=ContactInput(
                given_name="محمد رضا", family_name="کریمی", phones=[PhoneInput("09351112233")]
            ),
        ),
    ]  # fmt: skip
    return made


@pytest.mark.django_db
def test_contact_features_is_the_table_of_the_records(contacts):
    """Given contacts with every kind of value, when the input table is made from the
    database in one go, then it is exactly the table made record by record."""
    expected = features_table(contact_records(Contact.objects.all()))

    table = contact_features(Contact.objects.all())

    assert table.schema == SCHEMA
    assert table.to_pylist() == expected.to_pylist()
    first = table.to_pylist()[0]
    assert (first["email"], first["email_local"]) == ("b@x.ir", None)
    assert (first["phone"], first["house_number"], first["postal_code"]) == (
        "+982188776655", "12", "1234567890",
    )  # fmt: skip


@pytest.mark.django_db
def test_contact_features_of_a_filtered_queryset_has_only_its_contacts(users, contacts):
    """Given an agent who sees only some contacts, then the table has those contacts only,
    each with its own emails, phones and address."""
    visible = Contact.objects.filter(visible_q(users["agent_s"]))
    reads = []

    table = contact_features(visible, on_read=reads.append)

    assert table.column("unique_id").to_pylist() == sorted(visible.values_list("pk", flat=True))
    assert table.to_pylist() == features_table(contact_records(visible)).to_pylist()
    assert reads == []  # fewer contacts than one chunk: the caller reports the end
