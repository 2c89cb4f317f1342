"""The language the API answers in: ``Accept-Language`` when it names a language Peyvand
speaks, else the caller's own setting (``User.language``).

The web's middleware picks the language before the API knows who calls (a token is read by
the API itself), so the API settles it again once the caller is known, before a field is
checked or a message made.
"""

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def requested_language(request: HttpRequest) -> str | None:
    """The first language of ``Accept-Language`` Peyvand has (``fa-IR`` counts as ``fa``)."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            return None
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def activate_caller_language(request: HttpRequest, user=None) -> str:
    """Activate the language of this API request for the rest of it, and return it."""
    language = requested_language(request) or getattr(user, "language", None)
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language
    return translation.get_language()
