"""Personal API tokens: ``pvd_<prefix>_<secret>``; the database keeps only a SHA-256 digest.

A token has 190 bits of randomness, so a fast digest is enough (no password stretching needed)
and lookup is by the non-secret prefix, compared in constant time.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.utils import timezone

from peyvand.accounts.models import ApiToken, TokenScope, User
from peyvand.common.errors import NotFound, PermissionDenied

TOKEN_PREFIX = "pvd"  # noqa: S105 - a label, not a secret


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user: User, name: str, scope: str = TokenScope.READ) -> IssuedToken:
    if scope not in TokenScope.values:
        raise ValueError(f"scope must be one of {TokenScope.values}")
    if scope == TokenScope.WRITE and not user.can_write:
        raise PermissionDenied("A read-only user cannot hold a read-write token.")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    token = ApiToken(user=user, name=name.strip() or "token", prefix=prefix, scope=scope)
    token.digest = _digest(secret)
    token.full_clean()
    token.save()
    return IssuedToken(token=token, plaintext=f"{TOKEN_PREFIX}_{prefix}_{secret}")


def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id).select_related("user").first()
    if token is None or (token.user_id != actor.pk and not actor.is_admin):
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def token_authenticate(plaintext: str) -> ApiToken | None:
    """Return the active token for ``plaintext`` (with its user), or None."""
    parts = (plaintext or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    _, prefix, secret = parts
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
