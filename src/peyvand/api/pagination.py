"""Keyset (cursor) pagination over ``-id``: no OFFSET, no COUNT(*)."""

from collections.abc import Callable

from django.db.models import QuerySet
from ninja.errors import ValidationError

from peyvand.common.cursors import decode_cursor, encode_cursor

MAX_LIMIT = 200


def _after(cursor: str | None) -> int | None:
    if not cursor:
        return None
    after = decode_cursor(cursor)
    if after is None:
        raise ValidationError(
            [{"loc": ("query", "cursor"), "msg": "Not a cursor this API gave out."}]
        )
    return after


def paginate(qs: QuerySet, *, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """Return one page (newest first) and the cursor of the next page, if any. Rows may be
    model instances or ``values()`` dicts that carry ``id``."""
    limit = max(1, min(limit, MAX_LIMIT))
    after = _after(cursor)
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows = list(qs.order_by("-pk")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(last["id"] if isinstance(last, dict) else last.pk)
    return rows[:limit], next_cursor


def paginate_by(
    fetch: Callable[[int | None, int], list[dict]], *, cursor: str | None, limit: int
) -> tuple[list[dict], str | None]:
    """``paginate`` for a selector that fetches a page itself: ``fetch(before, count)`` returns
    up to ``count`` rows (dicts with ``id``) with ``id < before``, newest first."""
    limit = max(1, min(limit, MAX_LIMIT))
    rows = fetch(_after(cursor), limit + 1)
    next_cursor = encode_cursor(rows[limit - 1]["id"]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def version_from_if_match(header: str | None, public_id: str) -> int | None:
    """``If-Match: "<public_id>-<version>"`` → version; ``*`` or absent → None (no check)."""
    if not header or header.strip() == "*":
        return None
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    prefix = f"{public_id}-"
    version = tag[len(prefix) :]
    # isdigit() also holds for "²" and other digits int() refuses: ASCII digits only
    if not tag.startswith(prefix) or not (version.isascii() and version.isdigit()):
        return -1  # never matches: a tag for another record or a garbage value is stale
    return int(version)
