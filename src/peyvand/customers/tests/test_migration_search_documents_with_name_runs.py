"""Migration 0014 rewrites stored search documents into the form the services now build."""

import importlib

import pytest

from peyvand.customers.models import Contact, Organization
from peyvand.customers.services import (
    ContactInput,
    EmailInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    organization_create,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "peyvand.customers.migrations.0014_search_documents_with_name_runs"
)


def test_old_documents_become_what_the_services_build(users):
    """Given records saved by the services (documents with name runs) and their documents
    turned back into the old form (the name written together as one term), when the
    migration runs forwards, then each document is exactly the one the services build."""
    from django.apps import apps

    agent = users["agent_n"]
    contact = contact_create(
        actor=agent,
        data=ContactInput(
            given_name="علی رضا",
            family_name="محمدی",
            emails=[EmailInput("ali@example.com")],
            phones=[PhoneInput("09121234567")],
        ),
    )
    one_word = contact_create(actor=agent, data=ContactInput(given_name="Sara"))
    organization = organization_create(
        actor=agent, data=OrganizationInput(name="شرکت ایده‌پردازان نو")
    )
    built = {
        "contact": contact.search_document,
        "one_word": one_word.search_document,
        "organization": organization.search_document,
    }
    migration.backwards(apps, None)
    old = Contact.objects.get(pk=contact.pk).search_document
    assert old == "علی رضا محمدی ali@example.com 989121234567 09121234567 علیرضامحمدی"
    assert Organization.objects.get(pk=organization.pk).search_document == (
        "شرکت ایدهپردازان نو شرکتایدهپردازاننو"
    )
    migration.forwards(apps, None)
    assert {
        "contact": Contact.objects.get(pk=contact.pk).search_document,
        "one_word": Contact.objects.get(pk=one_word.pk).search_document,
        "organization": Organization.objects.get(pk=organization.pk).search_document,
    } == built
    assert built["contact"] == (
        "علی رضا محمدی ali@example.com 989121234567 09121234567 \x1f علیرضامحمدی رضامحمدی"
    )
