"""Writes on users. Only admins manage other users; everyone manages their own preferences."""

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from peyvand.accounts.access import Capability, require
from peyvand.accounts.models import Calendar, Language, Role, Team, User
from peyvand.common.errors import PermissionDenied


def _require_admin(actor: User | None) -> None:
    """``actor=None`` is the operator on the command line (trusted)."""
    if actor is not None:
        require(actor, Capability.SETTINGS_MANAGE)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str = Role.AGENT,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = Language.FA,
    calendar: str | None = None,
    time_zone: str | None = None,
    teams: Iterable[Team] = (),
    validate_password_strength: bool = True,
) -> User:
    """Create a user. ``actor=None`` is the operator on the command line (trusted)."""
    _require_admin(actor)
    user = User(
        username=username.strip(),
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        language=language,
        calendar=calendar or Calendar.AUTO,  # follows the language until the user picks one
        time_zone=time_zone or ("Asia/Tehran" if language == Language.FA else "UTC"),
        is_staff=False,
        is_superuser=False,
    )
    if validate_password_strength:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.teams.set(list(teams))
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    role: str | None = None,
    is_active: bool | None = None,
    teams: Iterable[Team] | None = None,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
) -> User:
    _require_admin(actor)
    if role is not None:
        user.role = role
    if is_active is not None:
        if user.pk == actor.pk and not is_active:
            raise PermissionDenied("You cannot deactivate yourself.")
        user.is_active = is_active
    for field, value in (("email", email), ("first_name", first_name), ("last_name", last_name)):
        if value is not None:
            setattr(user, field, value.strip())
    user.full_clean()
    user.save()
    if teams is not None:
        user.teams.set(list(teams))
    return user


def user_preferences_update(
    *, user: User, language: str | None = None, calendar: str | None = None,
    time_zone: str | None = None,
) -> User:  # fmt: skip
    """A user's own language, calendar and time zone."""
    fields = []
    for field, value in (("language", language), ("calendar", calendar), ("time_zone", time_zone)):
        if value is not None:
            setattr(user, field, value)
            fields.append(field)
    if fields:
        user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in fields])
        user.save(update_fields=fields)
    return user
