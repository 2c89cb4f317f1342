"""Personal API tokens: ``pvd_<prefix>_<secret>``; the database keeps only a SHA-256 digest.

A token has 190 bits of randomness, so a fast digest is enough (no password stretching needed)
and lookup is by the non-secret prefix, compared in constant time.

Each process remembers a token it has checked for ``CACHE_SECONDS``, so a busy client costs
one token query per process every few seconds instead of one per request. A revoke, a
deactivation or any other save of the token or its user in this process forgets it at once;
a change made by another process (another server worker, the CLI) takes effect within
``CACHE_SECONDS``.
"""

import copy
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, can
from peyvand.accounts.models import ApiToken, TokenScope, User
from peyvand.common.errors import NotFound, PermissionDenied

TOKEN_PREFIX = "pvd"  # noqa: S105 - a label, not a secret
CACHE_SECONDS = 5.0  # how long another process's revoke/deactivation may go unnoticed here
CACHE_SIZE = 1024
LAST_USED_EVERY_SECONDS = 60


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user: User, name: str, scope: str = TokenScope.READ) -> IssuedToken:
    if scope not in TokenScope.values:
        raise ValueError(f"scope must be one of {TokenScope.values}")
    if scope == TokenScope.WRITE and not can(user, Capability.RECORD_CHANGE):
        raise PermissionDenied(
            _("Your role cannot change records, so it cannot hold a read-write token.")
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    token = ApiToken(user=user, name=name.strip() or "token", prefix=prefix, scope=scope)
    token.digest = _digest(secret)
    token.full_clean()
    token.save()
    return IssuedToken(token=token, plaintext=f"{TOKEN_PREFIX}_{prefix}_{secret}")


def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id).select_related("user").first()
    if token is None or not (token.user_id == actor.pk or can(actor, Capability.TOKENS_MANAGE_ALL)):
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def token_authenticate(plaintext: str) -> ApiToken | None:
    """Return the active token for ``plaintext`` (with its user), or None.

    The token comes from this process's cache when it was read from the database less than
    ``CACHE_SECONDS`` ago; each call gets its own copy, so a caller that changes the token or
    its user changes nothing another request sees. Side effect: ``last_used_at`` is written
    when it is more than ``LAST_USED_EVERY_SECONDS`` old.
    """
    parts = (plaintext or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    _, prefix, secret = parts
    token = _cached(prefix)
    if token is None:
        generation = _generation
        token = (
            ApiToken.objects.select_related("user")
            .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        _remember(token, generation)
    if not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    token = _copy(token)
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > (
        LAST_USED_EVERY_SECONDS
    ):
        generation = _generation
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        _remember(token, generation)
    return token


# --- the per-process cache -------------------------------------------------------------------
# prefix → (monotonic expiry, token with its user). Entries are never handed out themselves.
_cache: dict[str, tuple[float, ApiToken]] = {}
_cache_lock = threading.Lock()
_clock = time.monotonic  # a module attribute, so tests can move it
# Counts forgets: a token read from the database before a forget is not remembered after it
# (another thread may have read the row just before a revoke in this process).
_generation = 0


def _cached(prefix: str) -> ApiToken | None:
    entry = _cache.get(prefix)
    if entry is None:
        return None
    expires, token = entry
    if _clock() >= expires:
        _cache.pop(prefix, None)
        return None
    return token


def _remember(token: ApiToken, generation: int) -> None:
    with _cache_lock:
        if generation != _generation:
            return
        if len(_cache) >= CACHE_SIZE:
            _cache.clear()  # an unusual number of live tokens: start over rather than evict
        _cache[token.prefix] = (_clock() + CACHE_SECONDS, _copy(token))


def _copy(token: ApiToken) -> ApiToken:
    # copy.copy of a model instance copies its state and field cache (Model.__getstate__),
    # so setting the user afterwards does not touch the original's.
    token = copy.copy(token)
    token.user = copy.copy(token.user)
    return token


def _forget(*, prefix: str | None = None, user_id: int | None = None) -> None:
    """Drop this process's cached token: one by prefix, or all of a user's."""
    global _generation
    with _cache_lock:
        _generation += 1
        if prefix is not None:
            _cache.pop(prefix, None)
        if user_id is not None:
            for key, (_expires, token) in list(_cache.items()):
                if token.user_id == user_id:
                    _cache.pop(key, None)


# Receivers rather than calls in the services: every path that saves a user or a token
# (services, the Django admin, the web settings forms) must make this process forget it.
# Forgotten again after the commit, so a request that re-read the row before the commit
# does not keep the old state for CACHE_SECONDS.
def _forget_token(sender, instance: ApiToken, **kwargs) -> None:
    prefix = instance.prefix
    _forget(prefix=prefix)
    transaction.on_commit(lambda: _forget(prefix=prefix))


def _forget_user(sender, instance: User, **kwargs) -> None:
    user_id = instance.pk  # read now: a deleted instance loses its pk after the signal
    _forget(user_id=user_id)
    transaction.on_commit(lambda: _forget(user_id=user_id))


post_save.connect(_forget_token, sender=ApiToken, dispatch_uid="token_cache_token_saved")
post_delete.connect(_forget_token, sender=ApiToken, dispatch_uid="token_cache_token_deleted")
post_save.connect(_forget_user, sender=User, dispatch_uid="token_cache_user_saved")
post_delete.connect(_forget_user, sender=User, dispatch_uid="token_cache_user_deleted")
