"""Base pieces shared by Peyvand's models."""

import base64
import secrets
import time

from django.db import models

# RFC 4648 base32 → Crockford base32 in lower case (no i, l, o, u: nothing to misread).
_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789abcdefghjkmnpqrstvwxyz")


_RANDOM_BITS = 36  # below 44 bits of milliseconds since 1970 (good until the year 2527)
_RANDOM_MASK = (1 << _RANDOM_BITS) - 1


def _encode(numbers) -> list[str]:
    text = base64.b32encode(b"".join(n.to_bytes(10, "big") for n in numbers)).decode()
    text = text.translate(_CROCKFORD)
    return [text[i : i + 16] for i in range(0, len(text), 16)]


def new_public_id() -> str:
    """An opaque, URL-safe identifier (16 chars, 80 bits) used in URLs and the API.

    The first 44 bits are the time in milliseconds, the other 36 random: ids made later sort
    later (the Crockford alphabet is in ASCII order), so a new id lands at the end of the
    unique index instead of on a random page of it — a million-row import rewrote the whole
    index at every commit before (decision 0009). It tells when a record was created, which
    its page shows anyway; access is checked on every request, not by the id being unguessable.
    """
    return _encode([(time.time_ns() // 1_000_000) << _RANDOM_BITS | secrets.randbits(36)])[0]


def new_public_ids(count: int) -> list[str]:
    """``count`` public ids at once (bulk imports): one time and consecutive values from one
    random start, so they are distinct among themselves and in ascending order."""
    prefix = (time.time_ns() // 1_000_000) << _RANDOM_BITS
    start = secrets.randbits(_RANDOM_BITS)
    return _encode(prefix | ((start + i) & _RANDOM_MASK) for i in range(count))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStampedModel):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)

    class Meta:
        abstract = True
