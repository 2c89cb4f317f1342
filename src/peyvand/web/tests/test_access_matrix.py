"""The web access matrix: every URL of the web UI × every role, with no leaks.

``MATRIX`` lists each URL name with the status every role must get on GET; ``POSTS`` the
writes.
``test_matrix_covers_every_url`` fails when a page is added without a row here.
Records: ``north_contact``/``north_org``/import job belong to agent_n (team North); agent_s is
in South and must get 404 for them (not 403: existence is not revealed).
"""

import pytest
from django.urls import get_resolver, reverse

from peyvand.customers.services import (
    CustomFieldInput,
    OrganizationInput,
    custom_field_create,
    organization_create,
)

pytestmark = pytest.mark.django_db

ROLES = ["admin", "manager_n", "agent_n", "agent_n2", "viewer_n", "agent_s", "anonymous"]
LOGIN = "login"  # anonymous users are redirected to the login page


def by_role(default, **overrides):
    result = dict.fromkeys(ROLES, default)
    result["anonymous"] = LOGIN
    result.update(overrides)
    return result


READ = by_role(200)
NORTH_READ = by_role(200, agent_s=404)
NORTH_WRITE = by_role(200, viewer_n=403, agent_s=404)
WRITERS = by_role(200, viewer_n=403)
ADMIN = by_role(403, admin=200)
# Agents and viewers are refused on their role before the record is looked up (403 reveals
# nothing about the record); a manager of another team would get 404.
NORTH_DELETE_GET = by_role(403, admin=200, manager_n=200)
POST_ONLY = by_role(405, anonymous=405)
OWN_IMPORT = by_role(404, admin=200, agent_n=200)  # an import is its uploader's (and admins')

MATRIX = {
    "home": (None, by_role(302)),
    "login": (None, by_role(302, anonymous=200)),  # signed in: sent home
    "logout": (None, POST_ONLY),
    "language": (None, POST_ONLY),
    "preferences": (None, READ),
    "token_list": (None, READ),
    "token_revoke": ("token", POST_ONLY),
    "search": (None, READ),
    "contact_list": (None, READ),
    "contact_create": (None, WRITERS),
    "contact_validate": (None, POST_ONLY),
    "contact_duplicates": (None, POST_ONLY),
    "contact_detail": ("contact", NORTH_READ),
    "contact_edit": ("contact", NORTH_WRITE),
    "contact_delete": ("contact", NORTH_DELETE_GET),
    "contact_export": (None, READ),
    "contact_merge": (None, WRITERS),  # without ids: the page that picks the other record
    "merge_detail": ("contact", by_role(404)),  # a contact's id is no merge's id
    "merge_undo": ("contact", POST_ONLY),
    "duplicate_review": (None, READ),
    "duplicate_run_start": (None, POST_ONLY),
    "duplicate_merge_above": (None, POST_ONLY),
    "duplicate_pair_skip": ("pair", POST_ONLY),
    "duplicate_pair_not_duplicate": ("pair", POST_ONLY),
    "organization_list": (None, READ),
    "organization_create": (None, WRITERS),
    "organization_validate": (None, POST_ONLY),
    "organization_duplicates": (None, POST_ONLY),
    "organization_detail": ("org", NORTH_READ),
    "organization_edit": ("org", NORTH_WRITE),
    "organization_delete": ("org", NORTH_DELETE_GET),
    "organization_export": (None, READ),
    "import_list": (None, WRITERS),
    "import_detail": ("job", OWN_IMPORT),
    "import_progress": ("job", by_role(404, admin=200, agent_n=200)),
    "import_apply": ("job", POST_ONLY),
    "import_cancel": ("job", POST_ONLY),
    "import_errors": ("job", by_role(404, admin=200, agent_n=200)),
    "settings": (None, by_role(403, admin=302)),  # admins land on the first tab
    "custom_field_list": (None, ADMIN),
    "custom_field_create": (None, ADMIN),
    "custom_field_edit": ("field", ADMIN),
    "custom_field_toggle": ("field", POST_ONLY),
    "custom_field_delete": ("field", ADMIN),
    "user_list": (None, ADMIN),
    "user_create": (None, ADMIN),
    "user_edit": ("user", ADMIN),
    "team_list": (None, ADMIN),
    "team_edit": ("team", ADMIN),
}

# Writes, POSTed by every role: (url name, argument, form data, expected status by role).
POSTS = [
    # Duplicate hints only read (the snapshot stays the same); viewers have no form to check.
    ("contact_duplicates", None, {"family_name": "رضایی"}, by_role(200, viewer_n=403)),
    ("organization_duplicates", None, {"name": "Acme"}, by_role(200, viewer_n=403)),
    ("contact_delete", "contact", {}, by_role(403, admin=302, manager_n=302)),
    ("organization_delete", "org", {}, by_role(403, admin=302, manager_n=302)),
    ("custom_field_toggle", "field", {}, by_role(403, admin=302)),
    ("import_cancel", "job", {}, by_role(404, admin=302, agent_n=302, viewer_n=404)),
    ("contact_merge", None, {}, by_role(200, viewer_n=403)),  # nothing chosen: the pick page
    ("merge_undo", "contact", {}, by_role(404, viewer_n=403)),
    # a detection run and its pairs belong to whoever started it (and admins)
    ("duplicate_run_start", None, {"threshold": "0.9"}, by_role(302, viewer_n=403)),
    ("duplicate_pair_skip", "pair", {}, by_role(404, admin=302, agent_n=302, viewer_n=403)),
    (
        "duplicate_pair_not_duplicate",
        "pair",
        {},
        by_role(404, admin=302, agent_n=302, viewer_n=403),
    ),
    (
        "duplicate_merge_above",
        None,
        {"threshold": "0.99"},
        by_role(404, admin=302, agent_n=302, viewer_n=403),
    ),
]


def test_matrix_covers_every_url():
    web_names = get_resolver().namespace_dict["web"][1].reverse_dict.keys()
    assert {n for n in web_names if isinstance(n, str)} == set(MATRIX)


@pytest.fixture
def world(users, north_contact, tmp_path, settings, teams):
    from peyvand.accounts.services import token_create
    from peyvand.customers.services.imports import import_job_create

    settings.PEYVAND_IMPORT_DIR = tmp_path / "imports"
    org = organization_create(actor=users["agent_n"], data=OrganizationInput(name="Acme"))
    field = custom_field_create(
        actor=users["admin"],
        data=CustomFieldInput(entity="contact", key="k", label="K", field_type="text"),
    )
    path = tmp_path / "p.csv"
    path.write_text("name,phone\nA,09121234567\n", encoding="utf-8")
    job = import_job_create(
        actor=users["agent_n"], entity="contact", source_path=path, original_name="p.csv"
    )
    token = token_create(user=users["agent_n"], name="t")
    pair = _duplicate_pair(users["agent_n"], north_contact)
    return {
        "pair": pair.pk,
        "contact": north_contact.public_id,
        "org": org.public_id,
        "field": field.pk,
        "job": job.public_id,
        "token": token.token.pk,
        "user": users["agent_n"].pk,
        "team": teams["north"].pk,
    }


def _duplicate_pair(agent, contact):
    """A finished detection run of ``agent`` proposing ``contact`` and its namesake."""
    from peyvand.customers.services import ContactInput, contact_create
    from peyvand.dedupe.models import DuplicatePair, DuplicateRun

    twin = contact_create(
        actor=agent, data=ContactInput(given_name=contact.given_name, family_name="رضایی")
    )
    run = DuplicateRun.objects.create(threshold=0.9, status="done", created_by=agent)
    low, high = sorted((contact.pk, twin.pk))
    return DuplicatePair.objects.create(
        run=run, contact_a_id=low, contact_b_id=high, probability=0.995, match_weight=9.0,
        cluster_id=low,
    )  # fmt: skip


def _client(role, client, client_for):
    return client if role == "anonymous" else client_for(role)


def _url(name, argument, world):
    return reverse(f"web:{name}", args=[world[argument]] if argument else [])


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(role, world, client, client_for):
    """Given a role, every web URL answers exactly as the matrix says."""
    http = _client(role, client, client_for)
    for name, (argument, expected) in MATRIX.items():
        response = http.get(_url(name, argument, world))
        want = expected[role]
        if want == LOGIN:
            assert response.status_code == 302, name
            assert response.url.startswith(reverse("web:login")), name
        else:
            assert response.status_code == want, (name, role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "argument", "data", "expected"), POSTS)
def test_writes_for_every_role(role, name, argument, data, expected, world, client, client_for):
    """Given a role, a POST is allowed or refused as the matrix says; refused changes nothing."""
    from peyvand.customers.models import Contact, CustomFieldDefinition, ImportJob, Organization
    from peyvand.dedupe.models import DuplicatePair, DuplicateRun

    def snapshot():
        return (
            Contact.objects.count(),
            Organization.objects.count(),
            list(CustomFieldDefinition.objects.values_list("is_active", flat=True)),
            list(ImportJob.objects.values_list("status", flat=True)),
            DuplicateRun.objects.count(),
            list(DuplicatePair.objects.values_list("status", flat=True)),
        )

    http = _client(role, client, client_for)
    before = snapshot()
    response = http.post(_url(name, argument, world), data)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("web:login"))
    else:
        assert response.status_code == want, (name, role, response.status_code)
    if response.status_code != 302 or want == LOGIN:
        assert snapshot() == before
    else:
        assert snapshot() != before
