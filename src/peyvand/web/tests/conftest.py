"""Helpers for the web tests (the shared role fixtures live in src/peyvand/conftest.py)."""

import re

import pytest
from django.test import Client

from peyvand.accounts.services import user_create

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


@pytest.fixture
def fa_client(teams):
    """A Persian-speaking agent in team North (Jalali calendar, Tehran time)."""
    user = user_create(
        actor=None,
        username="maryam",
        password="pass-maryam",
        role="agent",
        teams=[teams["north"]],
        language="fa",
        validate_password_strength=False,
    )
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def inline_scripts(html: str) -> list[str]:
    """Every <script> tag without a src attribute."""
    return [attrs for attrs in SCRIPT_TAG.findall(html) if "src=" not in attrs]


def contact_post(**overrides) -> dict:
    """A complete contact form submission; override what a test cares about."""
    data = {
        "given_name": "Ali",
        "family_name": "Rezaei",
        "display_name": "",
        "emails": "",
        "phones": "",
        "birth_date": "",
        "national_id": "",
        "country": "IR",
        "preferred_language": "",
        "preferred_channel": "",
        "consent_source": "",
        "lifecycle_stage": "lead",
        "acquisition_source": "",
        "owner": "agent_n",
        "team": "",
        "tags": "",
        "notes": "",
        "org_0": "",
        "job_0": "",
        "orgrole_0": "",
    }
    data.update(overrides)
    return data
