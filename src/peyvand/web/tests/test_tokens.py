"""Personal API tokens: the secret is shown once; revoking works."""

import pytest
from django.urls import reverse

from peyvand.accounts.selectors import token_list
from peyvand.accounts.services import token_authenticate, token_create

pytestmark = pytest.mark.django_db


def test_token_plaintext_is_shown_once_and_revoke_works(client_for, users):
    client = client_for("agent_n")
    response = client.post(reverse("web:token_list"), {"name": "sync", "scope": "write"})
    assert response.status_code == 302
    (token,) = token_list(actor=users["agent_n"])
    page = client.get(response.url).content.decode()
    assert 'id="new-token"' in page
    start = page.index('id="new-token-value"')
    value_start = page.index('value="', start) + len('value="')
    plaintext = page[value_start : page.index('"', value_start)]
    assert plaintext.startswith(f"pvd_{token.prefix}_")
    assert token_authenticate(plaintext) == token

    again = client.get(reverse("web:token_list")).content.decode()
    assert plaintext not in again
    assert 'id="new-token"' not in again
    assert f"pvd_{token.prefix}_" in again

    response = client.post(reverse("web:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert token_authenticate(plaintext) is None
    assert "Revoked" in client.get(reverse("web:token_list")).content.decode()


def test_viewer_is_offered_read_scope_only(client_for, users):
    client = client_for("viewer_n")
    page = client.get(reverse("web:token_list")).content.decode()
    assert 'value="write"' not in page
    response = client.post(reverse("web:token_list"), {"name": "x", "scope": "write"})
    assert response.status_code == 200
    assert list(token_list(actor=users["viewer_n"])) == []


def test_cannot_revoke_someone_elses_token(client_for, users):
    issued = token_create(user=users["agent_s"], name="theirs", scope="read")
    response = client_for("agent_n").post(reverse("web:token_revoke", args=[issued.token.pk]))
    assert response.status_code == 404
    assert token_authenticate(issued.plaintext) == issued.token
