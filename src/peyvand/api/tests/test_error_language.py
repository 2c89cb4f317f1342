"""The API's error messages are in the caller's language: ``Accept-Language`` when it names
one Peyvand speaks, else the language in the user's settings."""

import json

import pytest
from django.test import Client

from peyvand.accounts.services import token_create, user_create

pytestmark = pytest.mark.django_db

BAD_CONTACT = {"given_name": "Ali", "birth_date": "1370/13/40", "lifecycle_stage": "nope"}
ENGLISH_422 = {
    "detail": "The request has invalid fields.",
    "errors": [
        {"field": "birth_date", "message": "“1370/13/40” is not a real calendar date."},
        {
            "field": "lifecycle_stage",
            "message": "Choose one of: lead / prospect / customer / repeat_customer / lapsed.",
        },
    ],
}
PERSIAN_422 = {
    "detail": "درخواست فیلدهای نادرست دارد.",
    "errors": [
        {"field": "birth_date", "message": "تاریخ «1370/13/40» در تقویم وجود ندارد."},
        {
            "field": "lifecycle_stage",
            "message": "یکی از این‌ها را انتخاب کنید: "
            "lead / prospect / customer / repeat_customer / lapsed.",
        },
    ],
}


def _client(username: str, language: str) -> Client:
    user = user_create(
        actor=None,
        username=username,
        password="pass-" + username,
        role="agent",
        language=language,
        validate_password_strength=False,
    )
    token = token_create(user=user, name="test", scope="write").plaintext
    return Client(headers={"authorization": f"Bearer {token}"})


def _post(client: Client, body: dict, **headers):
    return client.post(
        "/api/v1/contacts", data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_same_422_in_english_and_in_persian(db):
    """Given an English-speaking user, when the same invalid contact is sent with
    Accept-Language en and then fa, then the detail and each field's message are in that
    language."""
    client = _client("sam", "en")

    english = _post(client, BAD_CONTACT, accept_language="en")
    persian = _post(client, BAD_CONTACT, accept_language="fa-IR,fa;q=0.9,en;q=0.5")

    assert (english.status_code, english.json()) == (422, ENGLISH_422)
    assert (persian.status_code, persian.json()) == (422, PERSIAN_422)


def test_without_accept_language_the_users_setting_decides(db):
    """Given one Persian-speaking and one English-speaking user, when each sends a contact with
    no name and no Accept-Language, then each reads the service's message in their language."""
    in_persian = _post(_client("sara", "fa"), {"notes": "x"})
    in_english = _post(_client("sam", "en"), {"notes": "x"})

    assert (in_persian.status_code, in_persian.json()) == (
        422,
        {
            "detail": "درخواست فیلدهای نادرست دارد.",
            "errors": [{"field": "display_name", "message": "برای مخاطب نامی وارد کنید."}],
        },
    )
    assert (in_english.status_code, in_english.json()) == (
        422,
        {
            "detail": "The request has invalid fields.",
            "errors": [{"field": "display_name", "message": "Give the contact a name."}],
        },
    )


def test_accept_language_wins_over_the_users_setting(db):
    """Given a Persian-speaking user, when they send Accept-Language en, then the answer is in
    English; a language Peyvand does not speak leaves the user's own."""
    client = _client("sara", "fa")

    english = _post(client, BAD_CONTACT, accept_language="en-GB")
    unknown = _post(client, BAD_CONTACT, accept_language="de")

    assert english.json() == ENGLISH_422
    assert unknown.json() == PERSIAN_422


def test_an_anonymous_401_follows_accept_language(db):
    """Given no token, when the API is called with Accept-Language fa or en, then the 401
    says what to send in that language."""
    persian = Client().get("/api/v1/me", headers={"accept-language": "fa"})
    english = Client().get("/api/v1/me", headers={"accept-language": "en"})

    assert (persian.status_code, persian.json()) == (
        401,
        {"detail": "احراز هویت لازم است: یک توکن API معتبر بفرستید.", "errors": []},
    )
    assert (english.status_code, english.json()) == (
        401,
        {"detail": "Authentication required: send a valid API token.", "errors": []},
    )
