"""Strict CSP: the header is set and no page carries inline script or style."""

import re

import pytest
from django.urls import reverse

from peyvand.web.tests.conftest import contact_post, inline_scripts

pytestmark = pytest.mark.django_db

STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.IGNORECASE)


def _pages(north_contact):
    return [
        reverse("web:contact_list"),
        reverse("web:contact_create"),
        reverse("web:contact_detail", args=[north_contact.public_id]),
        reverse("web:contact_edit", args=[north_contact.public_id]),
        reverse("web:contact_delete", args=[north_contact.public_id]),
        reverse("web:organization_list"),
        reverse("web:organization_create"),
        reverse("web:search") + "?q=ali",
        reverse("web:preferences"),
        reverse("web:token_list"),
        reverse("web:custom_field_list"),
        reverse("web:custom_field_create"),
        reverse("web:user_list"),
        reverse("web:user_create"),
        reverse("web:team_list"),
        "/no/such/page/",
    ]


def _check(response):
    html = response.content.decode()
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert inline_scripts(html) == []
    assert "<style" not in html
    assert not STYLE_ATTRIBUTE.search(html)


def test_every_page_has_csp_and_no_inline_code(client_for, north_contact):
    client = client_for("admin")
    for url in _pages(north_contact):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        _check(response)


def test_public_pages_have_csp_and_no_inline_code(client):
    _check(client.get(reverse("web:login")))


def test_error_form_has_no_inline_code(client_for):
    response = client_for("agent_n").post(reverse("web:contact_create"), contact_post(phones="1"))
    _check(response)


def test_htmx_is_configured_for_csp(client_for):
    html = client_for("agent_n").get(reverse("web:contact_list")).content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "django_htmx/htmx-2.min.js" in html


def test_csrf_is_enforced_on_web_posts(users, north_contact):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["agent_n"])
    response = client.post(reverse("web:contact_create"), contact_post())
    assert response.status_code == 403
