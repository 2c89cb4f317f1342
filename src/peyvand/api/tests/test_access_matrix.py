"""The access matrix: every API endpoint × every role, with no leaks and no denied writes.

Layout (conftest): teams North and South; ``north_contact``/``north_org`` belong to agent_n in
North; agent_s is in South. Expected statuses are computed from the access map
(``accounts.access.ROLE_CAPABILITIES``, through ``accounts.tests.matrix``): the whole rule set
of ``accounts.access`` seen through the API.
"""

import json
import re

import pytest

from peyvand.accounts.access import Capability
from peyvand.accounts.tests.matrix import PEOPLE, Scope, expected_status, holds, people_holding
from peyvand.api.urls import api
from peyvand.customers.models import Contact, CustomFieldDefinition, Organization, Tag
from peyvand.customers.services import (
    CustomFieldInput,
    OrganizationInput,
    custom_field_create,
    organization_create,
    tag_create,
)

ROLES = [*PEOPLE, "anonymous"]
C = Capability
NORTH, NOTHING = Scope.NORTH_RECORD, Scope.NOTHING


def _expect(method: str, capability: Capability | None, ok: int, **rule) -> dict[str, int]:
    """Each role's status, from the access map: a role that cannot change records only holds
    read-only tokens, so every write it sends is refused (403) before the endpoint runs."""
    result = {"anonymous": 401}
    for name in PEOPLE:
        if method != "GET" and not holds(name, C.RECORD_CHANGE):
            result[name] = 403
        else:
            result[name] = expected_status(name, capability, ok=ok, **rule)
    return result


def _row(method: str, path: str, body: dict | None, capability: Capability | None, ok: int,
         **rule) -> tuple:  # fmt: skip
    return (method, path, body, _expect(method, capability, ok, **rule))


# (method, path template, body, expected statuses by role): each row names the capability its
# endpoint needs and, for one record, whose record it is (``Scope``).
MATRIX = [
    _row("GET", "/contacts", None, C.RECORD_VIEW, 200),
    _row("GET", "/contacts/search?q=رضایی", None, C.RECORD_VIEW, 200),
    _row("POST", "/contacts", {"given_name": "New"}, C.RECORD_CHANGE, 201),
    # a check before saving: writers (viewers' tokens read)
    _row("POST", "/contacts/duplicates", {"given_name": "علی", "family_name": "رضایی"},
         C.RECORD_CHANGE, 200),
    _row("GET", "/contacts/{contact}", None, C.RECORD_VIEW, 200, scope=NORTH),
    _row("PATCH", "/contacts/{contact}", {"notes": "x"}, C.RECORD_CHANGE, 200, scope=NORTH),
    # the record is looked up first: another team's manager would get 404, not 403
    _row("DELETE", "/contacts/{contact}", None, C.RECORD_DELETE, 204, scope=NORTH,
         scope_first=True),
    _row("GET", "/contacts/{contact}/history", None, C.RECORD_VIEW, 200, scope=NORTH),
    # Merges: an empty list of others is refused (422) only after role and visibility; the
    # contact's id is no merge's id (404). Real merges per role: dedupe/tests/test_api_merge.py.
    _row("POST", "/contacts/{contact}/merge", {"others": []}, C.RECORD_MERGE, 422, scope=NORTH),
    _row("GET", "/merges/{contact}", None, C.RECORD_VIEW, 200, scope=NOTHING),
    _row("POST", "/merges/{contact}/undo", None, C.RECORD_MERGE, 200, scope=NOTHING),
    _row("GET", "/organizations", None, C.RECORD_VIEW, 200),
    _row("GET", "/organizations/search?q=north", None, C.RECORD_VIEW, 200),
    _row("POST", "/organizations", {"name": "Acme"}, C.RECORD_CHANGE, 201),
    _row("POST", "/organizations/duplicates", {"name": "North Trading"}, C.RECORD_CHANGE, 200),
    _row("GET", "/organizations/{org}", None, C.RECORD_VIEW, 200, scope=NORTH),
    _row("PATCH", "/organizations/{org}", {"industry": "x"}, C.RECORD_CHANGE, 200, scope=NORTH),
    _row("DELETE", "/organizations/{org}", None, C.RECORD_DELETE, 204, scope=NORTH,
         scope_first=True),
    _row("GET", "/organizations/{org}/history", None, C.RECORD_VIEW, 200, scope=NORTH),
    _row("GET", "/custom-fields", None, C.RECORD_VIEW, 200),
    _row("POST", "/custom-fields",
         {"entity": "contact", "key": "k2", "label": "K2", "field_type": "text"},
         C.SETTINGS_MANAGE, 201),
    _row("GET", "/custom-fields/{field}", None, C.RECORD_VIEW, 200),
    _row("PATCH", "/custom-fields/{field}", {"label": "Renamed"}, C.SETTINGS_MANAGE, 200),
    _row("DELETE", "/custom-fields/{field}", None, C.SETTINGS_MANAGE, 204),
    _row("GET", "/tags", None, C.RECORD_VIEW, 200),
    _row("POST", "/tags", {"name": "fresh"}, C.RECORD_CHANGE, 201),
    _row("DELETE", "/tags/{tag}", None, C.RECORD_DELETE, 204),
    _row("GET", "/me", None, None, 200),
]  # fmt: skip


def _api_routes() -> set[tuple[str, str]]:
    """Every (method, path) the API serves, read from ninja's own routers."""
    routes = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = re.sub(r"\{[^}]+\}", "{x}", ("/" + prefix.strip("/") + path).replace("//", "/"))
            for operation in path_view.operations:
                routes.update((method, full) for method in operation.methods)
    return routes


def _normalise(path: str) -> str:
    path = path.split("?")[0]
    for name in ("{contact}", "{org}", "{field}", "{tag}"):
        path = path.replace(name, "{x}")
    return path


def test_matrix_covers_every_endpoint():
    """Given the API's routes (OpenAPI and docs are public by design), all are in the matrix."""
    covered = {(method, _normalise(path)) for method, path, _, _ in MATRIX}
    assert _api_routes() == covered


@pytest.fixture
def world(users, north_contact, south_contact):
    north_org = organization_create(
        actor=users["agent_n"], data=OrganizationInput(name="North Trading")
    )
    organization_create(actor=users["agent_s"], data=OrganizationInput(name="North Star South"))
    field = custom_field_create(
        actor=users["admin"],
        data=CustomFieldInput(entity="contact", key="k1", label="K1", field_type="text"),
    )
    tag = tag_create(actor=users["admin"], name="vip")
    return {
        "contact": north_contact.public_id,
        "org": north_org.public_id,
        "field": field.pk,
        "tag": tag.pk,
        "south_contact": south_contact.public_id,
    }


def _snapshot():
    return (
        list(Contact.objects.order_by("pk").values_list("pk", "version", "notes")),
        list(Organization.objects.order_by("pk").values_list("pk", "version", "industry")),
        list(CustomFieldDefinition.objects.order_by("pk").values_list("pk", "label")),
        list(Tag.objects.order_by("pk").values_list("pk", "name")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX)
def test_access_matrix(role, method, path, body, expected, world, api_client_for, client):
    """Given a role, when it calls the endpoint, then it gets exactly the expected status;
    a denied write changes nothing and no list/search result leaks a South record to North."""
    http = client if role == "anonymous" else api_client_for(role, "write")
    url = "/api/v1" + path.format(**world)
    before = _snapshot()
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body else {}
    response = getattr(http, method.lower())(url, **kwargs)
    assert response.status_code == expected[role], (role, method, url, response.content[:300])
    if response.status_code >= 400:
        assert _snapshot() == before
        assert response.json()["detail"]
    if method == "GET" and response.status_code == 200 and role.endswith("_n"):
        text = response.content.decode()
        assert world["south_contact"] not in text
        assert "North Star South" not in text


@pytest.mark.parametrize("role", people_holding(Capability.RECORD_CHANGE))
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [(m, p, b) for m, p, b, _ in MATRIX if m != "GET"],
)
def test_read_only_token_cannot_write(role, method, path, body, world, api_client_for):
    """Given a read-scope token of a writer, when it writes, then 403 and nothing changes."""
    http = api_client_for(role, "read")
    before = _snapshot()
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body else {}
    response = getattr(http, method.lower())("/api/v1" + path.format(**world), **kwargs)
    assert response.status_code in {403, 404}
    assert _snapshot() == before
