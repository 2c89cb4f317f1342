"""Base pieces shared by Peyvand's models."""

import secrets

from django.db import models

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def new_public_id() -> str:
    """An opaque, URL-safe identifier (16 chars, 80 bits) used in URLs and the API."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(16))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStampedModel):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)

    class Meta:
        abstract = True
