"""Keep the typo-search vocabulary (``SearchWord``) in step with the names being saved."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import F

from peyvand.common.persian import search_key
from peyvand.common.typos import typo_words, variant_rows
from peyvand.customers.models import SearchWord

_CHUNK = 2000


def search_words_for_names(*names: str) -> set[str]:
    words: set[str] = set()
    for name in names:
        words |= typo_words(search_key(name))
    return words


def search_words_add(words: Iterable[str]) -> int:
    """Store the words not yet known with their variants; returns how many were new.

    Idempotent and safe beside a concurrent writer (``ON CONFLICT DO NOTHING``)."""
    wanted = sorted(set(words))
    new: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        known = SearchWord.objects.filter(variant__in=chunk, variant=F("word"))
        new |= set(chunk) - set(known.values_list("word", flat=True))
    rows = variant_rows(new)
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO customers_searchword (variant, word) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                rows,
            )
    return len(new)
