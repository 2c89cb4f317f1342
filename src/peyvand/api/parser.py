"""The API's JSON body parser: Python's json module accepts "\\ud800" (a lone UTF-16 surrogate),
which no database can store (UnicodeEncodeError, a 500). Such a body is refused here, before any
operation sees it: django-ninja answers 400 to any error of a parser, and the API's 400 handler
names the fields found (``lone_surrogate_fields``)."""

from collections.abc import Iterator

from django.http import HttpRequest
from ninja.parser import Parser


def _lone_surrogates(value, path: tuple) -> Iterator[tuple]:
    """The paths (keys and indexes) of every text in ``value`` that is not valid Unicode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _lone_surrogates(key, (*path, "(key)"))
            yield from _lone_surrogates(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _lone_surrogates(item, (*path, index))


_FOUND = "peyvand_lone_surrogates"


def lone_surrogate_fields(request: HttpRequest) -> list[str]:
    """The body fields (``notes``, ``emails.0.email``) whose text the parser refused."""
    return [".".join(str(p) for p in path) or "__all__" for path in getattr(request, _FOUND, [])]


class BodyParser(Parser):
    def parse_body(self, request: HttpRequest):
        data = super().parse_body(request)
        bad = list(_lone_surrogates(data, ()))
        if bad:
            setattr(request, _FOUND, bad)
            raise ValueError("lone surrogate in the request body")
        return data
