"""Who may open which page: every page renders for the roles that may see it, others get
403 (role) or 404 (record not visible). Which role may what is read from the access map
(``accounts.access.ROLE_CAPABILITIES``)."""

import pytest
from django.urls import reverse

from peyvand.accounts.access import Capability
from peyvand.accounts.tests.matrix import PEOPLE, Scope, holds, sees
from peyvand.customers.services import OrganizationInput, organization_create
from peyvand.web.tests.conftest import contact_post

pytestmark = pytest.mark.django_db

ROLES = ["admin", "manager_n", "agent_n", "viewer_n"]
NORTH_PEOPLE = [name for name in PEOPLE if sees(name, Scope.NORTH_RECORD)]


@pytest.fixture
def north_org(users):
    return organization_create(actor=users["agent_n"], data=OrganizationInput(name="Acme"))


def _pages(contact, org):
    return [
        reverse("web:contact_list"),
        reverse("web:contact_detail", args=[contact.public_id]),
        reverse("web:organization_list"),
        reverse("web:organization_detail", args=[org.public_id]),
        reverse("web:search") + "?q=ali",
        reverse("web:preferences"),
        reverse("web:token_list"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_read_pages_render_for_every_role(client_for, north_contact, north_org, role):
    client = client_for(role)
    for url in _pages(north_contact, north_org):
        response = client.get(url)
        assert response.status_code == 200, url


def test_home_is_the_start_page(client_for):
    """``/`` is the start page (see test_home.py), not a redirect to the contact list."""
    response = client_for("agent_n").get(reverse("web:home"))
    assert response.status_code == 200
    assert response.templates[0].name == "web/home.html"


def test_anonymous_is_sent_to_login(client, north_contact):
    response = client.get(reverse("web:contact_detail", args=[north_contact.public_id]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login") + "?next=")


@pytest.mark.parametrize(
    "role", [name for name in NORTH_PEOPLE if holds(name, Capability.RECORD_CHANGE)]
)
def test_writers_see_edit_and_open_forms(client_for, north_contact, north_org, role):
    client = client_for(role)
    detail = client.get(north_contact.get_absolute_url()).content.decode()
    assert 'id="edit"' in detail
    for url in [
        reverse("web:contact_create"),
        reverse("web:contact_edit", args=[north_contact.public_id]),
        reverse("web:organization_create"),
        reverse("web:organization_edit", args=[north_org.public_id]),
    ]:
        assert client.get(url).status_code == 200, url


def test_delete_button_only_for_who_may_delete(client_for, north_contact):
    """Given the people who see a record, the delete button shows exactly to those whose role
    may delete; another who posts the delete anyway gets 403."""
    for role in ["admin", "manager_n", "agent_n"]:
        page = client_for(role).get(north_contact.get_absolute_url()).content.decode()
        assert ('id="delete"' in page) is holds(role, Capability.RECORD_DELETE), role
    assert not holds("agent_n", Capability.RECORD_DELETE)
    response = client_for("agent_n").post(
        reverse("web:contact_delete", args=[north_contact.public_id])
    )
    assert response.status_code == 403
    north_contact.refresh_from_db()


def test_viewer_sees_no_edit_buttons_and_gets_403_on_writes(client_for, north_contact, north_org):
    """Given a viewer, the record shows no edit/delete buttons, and every write answers 403
    with nothing changed."""
    client = client_for("viewer_n")
    detail = client.get(north_contact.get_absolute_url()).content.decode()
    assert 'id="edit"' not in detail
    assert 'id="delete"' not in detail
    listing = client.get(reverse("web:contact_list")).content.decode()
    assert 'id="new-contact"' not in listing

    edit_url = reverse("web:contact_edit", args=[north_contact.public_id])
    assert client.get(edit_url).status_code == 403
    assert client.get(reverse("web:contact_create")).status_code == 403
    response = client.post(edit_url, contact_post(given_name="Changed", version="1"))
    assert response.status_code == 403
    assert client.post(reverse("web:contact_create"), contact_post()).status_code == 403
    delete_url = reverse("web:contact_delete", args=[north_contact.public_id])
    assert client.post(delete_url).status_code == 403
    org_edit = reverse("web:organization_edit", args=[north_org.public_id])
    assert client.post(org_edit, {"name": "Changed"}).status_code == 403

    north_contact.refresh_from_db()
    north_org.refresh_from_db()
    assert (north_contact.given_name, north_contact.version) == ("علی", 1)
    assert north_org.name == "Acme"


def test_other_team_gets_404_on_north_records(client_for, north_contact, north_org):
    client = client_for("agent_s")
    for url in [
        reverse("web:contact_detail", args=[north_contact.public_id]),
        reverse("web:contact_edit", args=[north_contact.public_id]),
        reverse("web:organization_detail", args=[north_org.public_id]),
        reverse("web:organization_edit", args=[north_org.public_id]),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert 'id="error-404"' in response.content.decode()
    response = client.post(
        reverse("web:contact_edit", args=[north_contact.public_id]),
        contact_post(given_name="Hijack", owner="agent_s", version="1"),
    )
    assert response.status_code == 404
    north_contact.refresh_from_db()
    assert north_contact.given_name == "علی"


def test_other_team_does_not_find_north_contact_in_lists(client_for, north_contact):
    client = client_for("agent_s")
    page = client.get(reverse("web:contact_list")).content.decode()
    assert "علی رضایی" not in page
    search = client.get(reverse("web:contact_list") + "?q=علی").content.decode()
    assert "علی رضایی" not in search


def test_manager_deletes_after_confirmation(client_for, users, north_contact):
    client = client_for("manager_n")
    url = reverse("web:contact_delete", args=[north_contact.public_id])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert 'id="confirm-delete"' in confirm.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert client.get(north_contact.get_absolute_url()).status_code == 404


def test_forbidden_page_uses_the_layout(client_for):
    response = client_for("agent_n").get(reverse("web:custom_field_list"))
    page = response.content.decode()
    assert response.status_code == 403
    assert 'id="error-403"' in page
    assert 'id="global-search"' in page


def test_unknown_url_is_404_in_layout(client_for):
    response = client_for("agent_n").get("/contacts/doesnotexist1234/")
    assert response.status_code == 404
    assert 'id="error-404"' in response.content.decode()


BUTTONS = {  # element id on the page → the capability that shows it
    "edit": Capability.RECORD_CHANGE,
    "merge": Capability.RECORD_MERGE,
    "delete": Capability.RECORD_DELETE,
}
LIST_BUTTONS = {"new-contact": Capability.RECORD_CHANGE, "import-link": Capability.RECORD_IMPORT}


@pytest.mark.parametrize("role", NORTH_PEOPLE)
def test_buttons_and_menus_follow_the_access_map(client_for, north_contact, role):
    """Given anyone who sees a record, its page, the list and the menu show exactly the
    buttons and settings links whose capability the role holds in the map."""
    client = client_for(role)
    detail = client.get(north_contact.get_absolute_url()).content.decode()
    listing = client.get(reverse("web:contact_list")).content.decode()

    shown = {name: f'id="{name}"' in detail for name in BUTTONS}
    shown |= {name: f'id="{name}"' in listing for name in LIST_BUTTONS}
    shown["settings-menu"] = reverse("web:custom_field_list") in listing
    expected = {name: holds(role, cap) for name, cap in {**BUTTONS, **LIST_BUTTONS}.items()}
    expected["settings-menu"] = holds(role, Capability.SETTINGS_MANAGE)
    assert shown == expected
