"""The web access matrix: every URL of the web UI × every role, with no leaks.

``MATRIX`` lists each URL name with the status every role must get on GET; ``POSTS`` the
writes. Each row names the capability it needs; the statuses are computed from the access map
(``accounts.access.ROLE_CAPABILITIES``, through ``accounts.tests.matrix``).
``test_matrix_covers_every_url`` fails when a page is added without a row here.
Records: ``north_contact``/``north_org``/import job belong to agent_n (team North); agent_s is
in South and must get 404 for them (not 403: existence is not revealed).
"""

import pytest
from django.urls import get_resolver, reverse

from peyvand.accounts.access import Capability
from peyvand.accounts.tests.matrix import PEOPLE, Scope, expected_status
from peyvand.customers.services import (
    CustomFieldInput,
    OrganizationInput,
    custom_field_create,
    organization_create,
)

pytestmark = pytest.mark.django_db

ROLES = [*PEOPLE, "anonymous"]
LOGIN = "login"  # anonymous users are redirected to the login page
C = Capability
NORTH, OWN_JOB, NOTHING = Scope.NORTH_RECORD, Scope.AGENT_N_JOB, Scope.NOTHING


def by_role(default, **overrides):
    result = dict.fromkeys(ROLES, default)
    result["anonymous"] = LOGIN
    result.update(overrides)
    return result


def needs(capability: Capability | None, *, ok: int = 200, **rule) -> dict:
    """Each role's status for a URL needing ``capability`` (None: any signed-in user), read
    from the access map; ``scope``: whose record the URL names (404 for those who do not see
    it). Agents and viewers are refused on their role before the record is looked up (403
    reveals nothing about the record) unless ``scope_first``."""
    result = {name: expected_status(name, capability, ok=ok, **rule) for name in PEOPLE}
    return {**result, "anonymous": LOGIN}


POST_ONLY = by_role(405, anonymous=405)

MATRIX = {
    "home": (None, needs(None)),  # the start page
    "demo_load": (None, POST_ONLY),
    "login": (None, by_role(302, anonymous=200)),  # signed in: sent home
    "logout": (None, POST_ONLY),
    "language": (None, POST_ONLY),
    "preferences": (None, needs(None)),
    "token_list": (None, needs(None)),
    "token_revoke": ("token", POST_ONLY),
    "search": (None, needs(C.RECORD_VIEW)),
    "contact_list": (None, needs(C.RECORD_VIEW)),
    "contact_create": (None, needs(C.RECORD_CHANGE)),
    "contact_validate": (None, POST_ONLY),
    "contact_duplicates": (None, POST_ONLY),
    "contact_detail": ("contact", needs(C.RECORD_VIEW, scope=NORTH)),
    "contact_edit": ("contact", needs(C.RECORD_CHANGE, scope=NORTH)),
    "contact_delete": ("contact", needs(C.RECORD_DELETE, scope=NORTH)),
    "contact_export": (None, needs(C.RECORD_EXPORT)),
    "contact_merge": (None, needs(C.RECORD_MERGE)),  # without ids: the page picking the other
    "merge_detail": ("contact", needs(C.RECORD_VIEW, scope=NOTHING)),  # no merge has that id
    "merge_undo": ("contact", POST_ONLY),
    "duplicate_review": (None, needs(C.RECORD_VIEW)),
    "duplicate_run_start": (None, POST_ONLY),
    "duplicate_run_cancel": ("run", POST_ONLY),
    "duplicate_merge_above": (None, POST_ONLY),
    "duplicate_pair_skip": ("pair", POST_ONLY),
    "duplicate_pair_not_duplicate": ("pair", POST_ONLY),
    "organization_list": (None, needs(C.RECORD_VIEW)),
    "organization_create": (None, needs(C.RECORD_CHANGE)),
    "organization_validate": (None, POST_ONLY),
    "organization_duplicates": (None, POST_ONLY),
    "organization_detail": ("org", needs(C.RECORD_VIEW, scope=NORTH)),
    "organization_edit": ("org", needs(C.RECORD_CHANGE, scope=NORTH)),
    "organization_delete": ("org", needs(C.RECORD_DELETE, scope=NORTH)),
    "organization_export": (None, needs(C.RECORD_EXPORT)),
    "organization_member_search": ("org", needs(C.RECORD_VIEW, scope=NORTH)),
    "organization_member_add": ("org", POST_ONLY),
    "organization_member_remove": (("org", "contact"), POST_ONLY),
    "import_list": (None, needs(C.RECORD_IMPORT)),
    # an import is its uploader's (and of whoever sees every user's jobs)
    "import_detail": ("job", needs(None, scope=OWN_JOB)),
    "import_progress": ("job", needs(None, scope=OWN_JOB)),
    "import_apply": ("job", POST_ONLY),
    "import_cancel": ("job", POST_ONLY),
    "import_errors": ("job", needs(None, scope=OWN_JOB)),
    "settings": (None, needs(C.SETTINGS_MANAGE, ok=302)),  # lands on the first tab
    "custom_field_list": (None, needs(C.SETTINGS_MANAGE)),
    "custom_field_create": (None, needs(C.SETTINGS_MANAGE)),
    "custom_field_edit": ("field", needs(C.SETTINGS_MANAGE)),
    "custom_field_toggle": ("field", POST_ONLY),
    "custom_field_delete": ("field", needs(C.SETTINGS_MANAGE)),
    "user_list": (None, needs(C.SETTINGS_MANAGE)),
    "user_create": (None, needs(C.SETTINGS_MANAGE)),
    "user_edit": ("user", needs(C.SETTINGS_MANAGE)),
    "team_list": (None, needs(C.SETTINGS_MANAGE)),
    "team_edit": ("team", needs(C.SETTINGS_MANAGE)),
}

# Writes, POSTed by every role: (url name, argument, form data, expected status by role).
POSTS = [
    # Duplicate hints only read (the snapshot stays the same); only writers have a form to check.
    ("contact_duplicates", None, {"family_name": "رضایی"}, needs(C.RECORD_CHANGE)),
    ("organization_duplicates", None, {"name": "Acme"}, needs(C.RECORD_CHANGE)),
    ("contact_delete", "contact", {}, needs(C.RECORD_DELETE, scope=NORTH, ok=302)),
    ("organization_delete", "org", {}, needs(C.RECORD_DELETE, scope=NORTH, ok=302)),
    ("custom_field_toggle", "field", {}, needs(C.SETTINGS_MANAGE, ok=302)),
    ("import_cancel", "job", {}, needs(C.RECORD_IMPORT, scope=OWN_JOB, ok=302, scope_first=True)),
    ("contact_merge", None, {}, needs(C.RECORD_MERGE)),  # nothing chosen: the pick page
    ("merge_undo", "contact", {}, needs(C.RECORD_MERGE, scope=NOTHING)),
    # a detection run and its pairs belong to whoever started it (and who sees every job)
    ("duplicate_run_start", None, {"threshold": "0.9"}, needs(C.DUPLICATES_REVIEW, ok=302)),
    ("duplicate_run_cancel", "run", {}, needs(C.DUPLICATES_REVIEW, scope=OWN_JOB, ok=302)),
    ("duplicate_pair_skip", "pair", {}, needs(C.DUPLICATES_REVIEW, scope=OWN_JOB, ok=302)),
    (
        "duplicate_pair_not_duplicate",
        "pair",
        {},
        needs(C.DUPLICATES_REVIEW, scope=OWN_JOB, ok=302),
    ),
    (
        "duplicate_merge_above",
        None,
        {"threshold": "0.99"},
        needs(C.DUPLICATES_REVIEW, scope=OWN_JOB, ok=302),
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
        "run": _queued_run(users["agent_n"]).public_id,
        "contact": north_contact.public_id,
        "org": org.public_id,
        "field": field.pk,
        "job": job.public_id,
        "token": token.token.pk,
        "user": users["agent_n"].pk,
        "team": teams["north"].pk,
    }


def _queued_run(agent):
    """A detection run of ``agent`` waiting for a worker (one that can still be cancelled)."""
    from peyvand.dedupe.models import DuplicateRun

    return DuplicateRun.objects.create(threshold=0.9, status="queued", created_by=agent)


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
    names = argument if isinstance(argument, tuple) else (argument,) if argument else ()
    return reverse(f"web:{name}", args=[world[a] for a in names])


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
            list(DuplicateRun.objects.order_by("id").values_list("status", flat=True)),
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
