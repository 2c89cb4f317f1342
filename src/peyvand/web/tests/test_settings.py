"""Admin settings: custom fields, users, teams; everyone else gets 403."""

import pytest
from django.urls import reverse

from peyvand.accounts.selectors import user_list
from peyvand.customers.selectors import (
    ContactFilters,
    contact_list,
    custom_field_definition_list,
)
from peyvand.web.tests.conftest import contact_post

pytestmark = pytest.mark.django_db

SETTINGS_PAGES = [
    ("web:settings", None),
    ("web:custom_field_list", None),
    ("web:custom_field_create", None),
    ("web:user_list", None),
    ("web:user_create", None),
    ("web:team_list", None),
]


@pytest.mark.parametrize("role", ["manager_n", "agent_n", "viewer_n"])
def test_non_admins_get_403_on_settings(client_for, users, teams, role):
    client = client_for(role)
    for name, _args in SETTINGS_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("web:user_edit", args=[users["agent_n"].pk])).status_code == 403
    assert client.get(reverse("web:team_edit", args=[teams["north"].pk])).status_code == 403
    response = client.post(
        reverse("web:custom_field_create"),
        {"entity": "contact", "label": "X", "field_type": "text"},
    )
    assert response.status_code == 403
    assert list(custom_field_definition_list(actor=users["admin"])) == []
    nav = client.get(reverse("web:contact_list")).content.decode()
    assert reverse("web:custom_field_list") not in nav


def test_admin_opens_every_settings_page(client_for, users, teams):
    client = client_for("admin")
    for name, _args in SETTINGS_PAGES:
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
    assert client.get(reverse("web:user_edit", args=[users["agent_n"].pk])).status_code == 200
    assert client.get(reverse("web:team_edit", args=[teams["north"].pk])).status_code == 200
    assert client.get(reverse("web:user_edit", args=[99999])).status_code == 404


def test_required_choice_field_is_then_required_on_the_contact_form(client_for, users):
    """Given an admin creates a required choice field, the contact form shows it as required,
    refuses to save without it and saves with a valid choice."""
    admin = client_for("admin")
    response = admin.post(
        reverse("web:custom_field_create"),
        {
            "entity": "contact",
            "label": "Customer tier",
            "key": "tier",
            "field_type": "choice",
            "required": "on",
            "choices": "طلایی\nنقره‌ای\n",
            "help_text": "How much they buy",
        },
    )
    assert response.status_code == 302
    (definition,) = custom_field_definition_list(actor=users["admin"], entity="contact")
    assert (definition.key, definition.required, definition.choices) == (
        "tier",
        True,
        ["طلایی", "نقره‌ای"],
    )

    agent = client_for("agent_n")
    form = agent.get(reverse("web:contact_create")).content.decode()
    assert 'id="id_cf_tier"' in form
    assert "How much they buy" in form
    assert "required-mark" in form

    refused = agent.post(reverse("web:contact_create"), contact_post())
    assert refused.status_code == 200
    assert "Customer tier is required." in refused.content.decode()
    assert list(contact_list(actor=users["agent_n"], filters=ContactFilters())) == []

    wrong = agent.post(reverse("web:contact_create"), contact_post(cf_tier="برنزی"))
    assert "Select a valid choice." in wrong.content.decode()

    saved = agent.post(reverse("web:contact_create"), contact_post(cf_tier="طلایی"))
    assert saved.status_code == 302
    detail = agent.get(saved.url).content.decode()
    assert "Customer tier" in detail
    assert "طلایی" in detail


def test_custom_field_edit_deactivate_and_delete(client_for, users):
    client = client_for("admin")
    client.post(
        reverse("web:custom_field_create"),
        {"entity": "contact", "label": "VIP", "field_type": "boolean"},
    )
    (definition,) = custom_field_definition_list(actor=users["admin"])
    edit_url = reverse("web:custom_field_edit", args=[definition.pk])
    response = client.post(edit_url, {"label": "Very important", "help_text": "x"})
    assert response.status_code == 302
    definition.refresh_from_db()
    assert definition.label == "Very important"
    assert definition.field_type == "boolean"

    client.post(reverse("web:custom_field_toggle", args=[definition.pk]))
    definition.refresh_from_db()
    assert definition.is_active is False
    form = client_for("agent_n").get(reverse("web:contact_create")).content.decode()
    assert "id_cf_vip" not in form

    client.post(reverse("web:custom_field_delete", args=[definition.pk]))
    assert list(custom_field_definition_list(actor=users["admin"], include_inactive=True)) == []


def test_custom_field_service_errors_are_shown(client_for, users):
    client = client_for("admin")
    response = client.post(
        reverse("web:custom_field_create"),
        {"entity": "contact", "label": "Tier", "field_type": "choice", "choices": ""},
    )
    assert response.status_code == 200
    assert "List at least one choice." in response.content.decode()


def test_admin_creates_and_edits_users(client_for, users, teams):
    client = client_for("admin")
    response = client.post(
        reverse("web:user_create"),
        {
            "username": "neda",
            "first_name": "ندا",
            "last_name": "",
            "email": "neda@example.com",
            "role": "agent",
            "teams": [teams["south"].pk],
            "language": "fa",
            "password": "a-long-and-unusual-passphrase-42",
        },
    )
    assert response.status_code == 302
    neda = user_list(actor=users["admin"]).get(username="neda")
    assert (neda.role, neda.language, neda.calendar_in_use) == ("agent", "fa", "jalali")
    assert neda.calendar == "auto"  # follows the language until she chooses one
    assert [t.name for t in neda.teams.all()] == ["South"]

    weak = client.post(
        reverse("web:user_create"),
        {"username": "weak", "role": "agent", "language": "en", "password": "123"},
    )
    assert weak.status_code == 200
    assert "This password is too short." in weak.content.decode()

    response = client.post(
        reverse("web:user_edit", args=[neda.pk]),
        {"role": "manager", "teams": [teams["north"].pk], "email": "", "first_name": "ندا"},
    )
    assert response.status_code == 302
    neda.refresh_from_db()
    assert (neda.role, neda.is_active) == ("manager", False)
    assert [t.name for t in neda.teams.all()] == ["North"]


def test_admin_cannot_deactivate_self(client_for, users):
    client = client_for("admin")
    response = client.post(reverse("web:user_edit", args=[users["admin"].pk]), {"role": "admin"})
    assert response.status_code == 403
    users["admin"].refresh_from_db()
    assert users["admin"].is_active is True


def test_admin_creates_and_renames_teams(client_for, users, teams):
    client = client_for("admin")
    assert client.post(reverse("web:team_list"), {"name": "West"}).status_code == 302
    duplicate = client.post(reverse("web:team_list"), {"name": "North"})
    assert duplicate.status_code == 200
    assert "already exists" in duplicate.content.decode()
    response = client.post(reverse("web:team_edit", args=[teams["south"].pk]), {"name": "Sud"})
    assert response.status_code == 302
    teams["south"].refresh_from_db()
    assert teams["south"].name == "Sud"
