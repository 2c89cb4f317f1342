"""The merge endpoints: POST /contacts/{id}/merge, GET /merges/{id}, POST /merges/{id}/undo."""

import json

import pytest

from peyvand.customers.models import Contact
from peyvand.dedupe.models import Merge
from peyvand.dedupe.tests.merge_world import overlapping_pair, world_dump

pytestmark = pytest.mark.django_db


def _post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_merge_read_and_undo_through_the_api(users, api_client_for):
    """Given two records, when agent_n POSTs a merge with a choice, then 201 with the merge
    summary and the merged record; GET answers the same merge; undo restores B (200) and a
    second undo is a 409."""
    a, b = overlapping_pair(users)
    http = api_client_for("agent_n")

    response = _post(
        http,
        f"/api/v1/contacts/{a.public_id}/merge",
        {"others": [b.public_id], "choices": {"given_name": b.public_id}},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    merge = Merge.objects.get()
    assert response["Location"] == f"/api/v1/merges/{merge.public_id}"
    assert response["ETag"] == f'"{a.public_id}-2"'
    assert body["merge"]["public_id"] == merge.public_id
    assert body["merge"]["survivor"] == a.public_id
    assert body["merge"]["merged"] == [b.public_id]
    assert body["merge"]["choices"]["given_name"] == b.public_id
    assert body["merge"]["created_by"] == "agent_n"
    assert body["merge"]["undone_at"] is None
    emails = next(r for r in body["merge"]["relations"] if r["model"] == "customers.contactemail")
    assert (emails["moved"], emails["combined"]) == (1, 1)
    assert body["survivor"]["given_name"] == "Ali"
    assert sorted(e["email"] for e in body["survivor"]["emails"]) == [
        "a.r@work.ir",
        "ali.home@example.com",
        "ali@example.com",
    ]

    read = http.get(f"/api/v1/merges/{merge.public_id}")
    assert read.status_code == 200
    assert read.json() == body["merge"]

    undone = _post(http, f"/api/v1/merges/{merge.public_id}/undo")
    assert undone.status_code == 200, undone.content
    assert undone.json()["undone_by"] == "agent_n"
    assert Contact.objects.filter(pk=b.pk).exists()

    again = _post(http, f"/api/v1/merges/{merge.public_id}/undo")
    assert again.status_code == 409
    assert again.json()["detail"] == "This merge was already undone."


@pytest.mark.parametrize(
    ("role", "scope", "status"),
    [
        ("admin", "write", 201),
        ("manager_n", "write", 201),
        ("agent_n2", "write", 201),
        ("agent_n", "read", 403),
        ("viewer_n", "read", 403),
        ("agent_s", "write", 404),
    ],
)
def test_merge_by_role(users, api_client_for, role, scope, status):
    """Given North records, each role gets exactly its status; a refusal changes nothing."""
    a, b = overlapping_pair(users)
    before = world_dump([a.pk, b.pk])

    response = _post(
        api_client_for(role, scope),
        f"/api/v1/contacts/{a.public_id}/merge",
        {"others": [b.public_id]},
    )

    assert response.status_code == status, response.content
    if status != 201:
        assert world_dump([a.pk, b.pk]) == before
        assert Merge.objects.count() == 0


@pytest.mark.parametrize(("role", "status"), [("viewer_n", 200), ("agent_s", 404)])
def test_reading_and_undoing_a_merge_by_role(users, api_client_for, role, status):
    """A North viewer may read a North merge but not undo it; agent_s sees no such merge."""
    a, b = overlapping_pair(users)
    merge_response = _post(
        api_client_for("agent_n"),
        f"/api/v1/contacts/{a.public_id}/merge",
        {"others": [b.public_id]},
    )
    merge_id = merge_response.json()["merge"]["public_id"]
    http = api_client_for(role)

    assert http.get(f"/api/v1/merges/{merge_id}").status_code == status
    undo = _post(http, f"/api/v1/merges/{merge_id}/undo")
    assert undo.status_code == (403 if role == "viewer_n" else 404)
    assert Merge.objects.get().undone_at is None


def test_invalid_choices_answer_422_with_the_field(users, api_client_for):
    a, b = overlapping_pair(users)

    response = _post(
        api_client_for("agent_n"),
        f"/api/v1/contacts/{a.public_id}/merge",
        {"others": [b.public_id], "choices": {"colour": a.public_id}},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "choices.colour", "message": "“colour” is not a field that can be chosen."}
    ]
