"""Sign in and out; axes locks an account after repeated failures."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_and_logout(client, users):
    page = client.get(reverse("web:login")).content.decode()
    assert 'id="id_username"' in page
    assert 'id="id_password"' in page
    response = client.post(
        reverse("web:login"), {"username": "agent_n", "password": "pass-agent_n"}
    )
    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert client.get(reverse("web:contact_list")).status_code == 200

    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:contact_list")).status_code == 302


def test_wrong_password_says_so(client, users):
    response = client.post(reverse("web:login"), {"username": "agent_n", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()


def test_lockout_after_repeated_failures(client, users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        client.post(reverse("web:login"), {"username": "agent_n", "password": "nope"})
    response = client.post(reverse("web:login"), {"username": "agent_n", "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 429
    assert 'id="locked-out"' in page
    assert "Too many failed sign-in attempts (3)" in page
    locked = client.post(reverse("web:login"), {"username": "agent_n", "password": "pass-agent_n"})
    assert locked.status_code == 429
    assert client.get(reverse("web:contact_list")).status_code == 302
