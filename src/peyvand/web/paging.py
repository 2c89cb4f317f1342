"""Cursor paging and capped counts for the web lists (never an unbounded COUNT)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from peyvand.common.cursors import decode_cursor, encode_cursor
from peyvand.web import display

PAGE_SIZE = 50
COUNT_CAP = 10_000


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    count_text: str | None  # "50+", "10,000+", "12" or None (not counted)


def cursor_page(qs: QuerySet, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """One page of a queryset ordered by ``-id``; counts only on the first page, capped."""
    after = decode_cursor(cursor) if cursor else None
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows = list(qs[: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(rows[-1].pk) if has_next else None
    count_text = None
    if after is None:
        if has_next:
            bounded = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
            count_text = display.capped(bounded, COUNT_CAP)
        else:
            count_text = display.number(len(rows))
    return Page(rows=rows, next_cursor=next_cursor, count_text=count_text)


def search_page(rows: list, limit: int) -> Page:
    """Search results are ranked and capped by the selector: one page, "50+" when full."""
    if len(rows) >= limit:
        return Page(rows=rows, next_cursor=None, count_text=display.number(limit) + "+")
    return Page(rows=rows, next_cursor=None, count_text=display.number(len(rows)))
