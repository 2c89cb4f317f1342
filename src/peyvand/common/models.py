"""Base pieces shared by Peyvand's models."""

import base64
import secrets

from django.db import models

# RFC 4648 base32 → Crockford base32 in lower case (no i, l, o, u: nothing to misread).
_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789abcdefghjkmnpqrstvwxyz")


def new_public_id() -> str:
    """An opaque, URL-safe identifier (16 chars, 80 bits) used in URLs and the API."""
    return base64.b32encode(secrets.token_bytes(10)).decode().translate(_CROCKFORD)


def new_public_ids(count: int) -> list[str]:
    """``count`` public ids from one read of the OS random source (for bulk imports)."""
    text = base64.b32encode(secrets.token_bytes(10 * count)).decode().translate(_CROCKFORD)
    return [text[i : i + 16] for i in range(0, 16 * count, 16)]


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStampedModel):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)

    class Meta:
        abstract = True
