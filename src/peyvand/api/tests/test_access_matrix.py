"""The access matrix: every API endpoint × every role, with no leaks and no denied writes.

Layout (conftest): teams North and South; ``north_contact``/``north_org`` belong to agent_n in
North; agent_s is in South. Expected statuses below are the whole rule set of
``customers.selectors.visibility`` seen through the API.
"""

import json
import re

import pytest

from peyvand.api.urls import api
from peyvand.customers.models import Contact, CustomFieldDefinition, Organization, Tag
from peyvand.customers.services import (
    CustomFieldInput,
    OrganizationInput,
    custom_field_create,
    organization_create,
    tag_create,
)

ROLES = ["admin", "manager_n", "agent_n", "agent_n2", "viewer_n", "agent_s", "anonymous"]
WRITERS_N = {"admin", "manager_n", "agent_n", "agent_n2"}
READERS_N = WRITERS_N | {"viewer_n"}


def _expect(allowed: set[str], ok: int, *, invisible: set[str] = frozenset(), denied: int = 403):
    result = {}
    for role in ROLES:
        if role == "anonymous":
            result[role] = 401
        elif role in allowed:
            result[role] = ok
        elif role in invisible:
            result[role] = 404
        else:
            result[role] = denied
    return result


ALL = set(ROLES) - {"anonymous"}
# (method, path template, body, expected statuses by role)
MATRIX = [
    ("GET", "/contacts", None, _expect(ALL, 200)),
    ("GET", "/contacts/search?q=رضایی", None, _expect(ALL, 200)),
    ("POST", "/contacts", {"given_name": "New"}, _expect(ALL - {"viewer_n"}, 201)),
    ("POST", "/contacts/duplicates", {"given_name": "علی", "family_name": "رضایی"},
     _expect(ALL - {"viewer_n"}, 200)),  # a check before saving: writers (viewers' tokens read)
    ("GET", "/contacts/{contact}", None, _expect(READERS_N, 200, invisible={"agent_s"})),
    ("PATCH", "/contacts/{contact}", {"notes": "x"},
     _expect(WRITERS_N, 200, invisible={"agent_s"})),
    ("DELETE", "/contacts/{contact}", None,
     _expect({"admin", "manager_n"}, 204, invisible={"agent_s"})),
    ("GET", "/contacts/{contact}/history", None, _expect(READERS_N, 200, invisible={"agent_s"})),
    # Merges: an empty list of others is refused (422) only after role and visibility; the
    # contact's id is no merge's id (404). Real merges per role: dedupe/tests/test_api_merge.py.
    ("POST", "/contacts/{contact}/merge", {"others": []},
     _expect(WRITERS_N, 422, invisible={"agent_s"})),
    ("GET", "/merges/{contact}", None, _expect(set(), 200, invisible=ALL)),
    ("POST", "/merges/{contact}/undo", None, _expect(set(), 200, invisible=ALL - {"viewer_n"})),
    ("GET", "/organizations", None, _expect(ALL, 200)),
    ("GET", "/organizations/search?q=north", None, _expect(ALL, 200)),
    ("POST", "/organizations", {"name": "Acme"}, _expect(ALL - {"viewer_n"}, 201)),
    ("POST", "/organizations/duplicates", {"name": "North Trading"},
     _expect(ALL - {"viewer_n"}, 200)),
    ("GET", "/organizations/{org}", None, _expect(READERS_N, 200, invisible={"agent_s"})),
    ("PATCH", "/organizations/{org}", {"industry": "x"},
     _expect(WRITERS_N, 200, invisible={"agent_s"})),
    ("DELETE", "/organizations/{org}", None,
     _expect({"admin", "manager_n"}, 204, invisible={"agent_s"})),
    ("GET", "/organizations/{org}/history", None,
     _expect(READERS_N, 200, invisible={"agent_s"})),
    ("GET", "/custom-fields", None, _expect(ALL, 200)),
    ("POST", "/custom-fields",
     {"entity": "contact", "key": "k2", "label": "K2", "field_type": "text"},
     _expect({"admin"}, 201)),
    ("GET", "/custom-fields/{field}", None, _expect(ALL, 200)),
    ("PATCH", "/custom-fields/{field}", {"label": "Renamed"}, _expect({"admin"}, 200)),
    ("DELETE", "/custom-fields/{field}", None, _expect({"admin"}, 204)),
    ("GET", "/tags", None, _expect(ALL, 200)),
    ("POST", "/tags", {"name": "fresh"}, _expect(ALL - {"viewer_n"}, 201)),
    ("DELETE", "/tags/{tag}", None, _expect({"admin", "manager_n"}, 204)),
    ("GET", "/me", None, _expect(ALL, 200)),
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


@pytest.mark.parametrize("role", ["admin", "manager_n", "agent_n"])
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
