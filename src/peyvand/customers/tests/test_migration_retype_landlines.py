"""Migration 0013: phones stored as "mobile" whose number is a fixed line become "landline"."""

import importlib

import pytest
from django.apps import apps

from peyvand.customers.models import ContactPhone
from peyvand.customers.services import ContactInput, PhoneInput, contact_create

pytestmark = pytest.mark.django_db

migration = importlib.import_module("peyvand.customers.migrations.0013_retype_landline_phones")


def test_fixed_lines_stored_as_mobile_are_retyped_in_batches(users, monkeypatch):
    """Given phones stored before kinds came from numbers (all "mobile") and one the user
    marked "work", when the migration runs in batches of two, then only the fixed lines that
    were "mobile" become "landline"; backwards, they are "mobile" again."""
    contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="Ali",
            phones=[
                PhoneInput("09121234567"),
                PhoneInput("02188776655"),
                PhoneInput("+44 20 7946 0958"),
                PhoneInput("+1 202 555 0123"),
                PhoneInput("03132221111", kind="work"),
            ],
        ),
    )
    ContactPhone.objects.exclude(kind="work").update(kind="mobile")
    monkeypatch.setattr(migration, "BATCH", 2)

    migration.retype_landlines(apps, None)

    assert sorted(ContactPhone.objects.values_list("number", "kind")) == [
        ("+12025550123", "mobile"),  # the US: fixed line or mobile, left as it was
        ("+442079460958", "landline"),
        ("+982188776655", "landline"),
        ("+983132221111", "work"),
        ("+989121234567", "mobile"),
    ]

    migration.landlines_back_to_mobile(apps, None)

    assert sorted(ContactPhone.objects.values_list("kind", flat=True)) == [
        "mobile", "mobile", "mobile", "mobile", "work"
    ]  # fmt: skip
