"""GET /api/v1/me: the token user's account, with the calendar their dates are shown in."""

import pytest


@pytest.mark.django_db
def test_me_says_which_calendar_follows_from_the_language(api_client_for, users):
    """Given an agent who never chose a calendar, then /me says "auto" and the calendar in use
    follows their language: Jalali in Persian, Gregorian after switching to English; an
    explicit choice is kept whatever the language."""
    agent = users["agent_n"]
    agent.language = "fa"
    agent.save(update_fields=["language"])
    client = api_client_for("agent_n", "read")

    def me() -> tuple[str, str, str]:
        body = client.get("/api/v1/me").json()
        return body["language"], body["calendar"], body["calendar_in_use"]

    assert me() == ("fa", "auto", "jalali")
    agent.language = "en"
    agent.save(update_fields=["language"])
    assert me() == ("en", "auto", "gregorian")
    agent.calendar = "jalali"
    agent.save(update_fields=["calendar"])
    assert me() == ("en", "jalali", "jalali")
