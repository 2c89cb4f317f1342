"""The write steps every owned record shares (``peyvand.common.records.OwnedRecord``).

A record's own service keeps its fields and rules; fetching for update with the visibility,
capability and version checks, the default owner and team of a new record, and deleting go
through these, so a new owned model (a deal, a ticket) does not write them again.
"""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, require, visible_q_for
from peyvand.accounts.models import User
from peyvand.common.entities import registry
from peyvand.common.errors import StaleVersion
from peyvand.common.records import OwnedRecord
from peyvand.customers import normalize
from peyvand.customers.selectors.records import record_not_found
from peyvand.customers.services.common import (
    Errors,
    clean_custom_values,
    is_set,
    resolve_assignment,
    tags_from_names,
)

R = TypeVar("R", bound=OwnedRecord)


def record_new(*, actor: User, model: type[R], data) -> R:
    """An unsaved record created by ``actor``; ``data.owner``/``data.team`` default to the
    actor and their first team (by name) when the input leaves them unset."""
    require(actor, Capability.RECORD_CHANGE)
    if not is_set(data.owner):
        data.owner = actor.username
    if not is_set(data.team):
        first_team = actor.teams.order_by("name").first()
        data.team = first_team.pk if first_team else None
    return model(created_by=actor)


def record_get_for_update(
    *, actor: User, model: type[R], public_id: str, expected_version: int | None = None
) -> R:
    """Lock the visible record, check the actor may change it and that it is the version the
    caller read, and count the change (``version`` + 1, saved by the caller).

    Must run inside a transaction. Raises NotFound (absent or not visible: no leak),
    PermissionDenied, StaleVersion (carrying the current record for the conflict view).
    """
    record = (
        model.objects.select_for_update(of=("self",))
        .filter(visible_q_for(model, actor), public_id=public_id)
        .select_related("owner")
        .first()
    )
    if record is None:
        raise record_not_found(model)
    require(actor, Capability.RECORD_CHANGE)
    if expected_version is not None and expected_version != record.version:
        raise StaleVersion(record.version, record)
    record.version += 1
    return record


@transaction.atomic
def record_delete(*, actor: User, model: type[R], public_id: str) -> R:
    """Delete a visible record the actor may delete (history keeps who did it); returns the
    deleted instance (its pk is gone, its fields are not)."""
    record = model.objects.filter(visible_q_for(model, actor), public_id=public_id).first()
    if record is None:
        raise record_not_found(model)
    require(actor, Capability.RECORD_DELETE)
    record._history_user = actor
    record.delete()
    return record


def record_clean_shared(*, actor: User, record: OwnedRecord, data, errors: Errors, creating: bool):
    """Check what every owned record's input may carry besides its own fields — how many
    items of each list and how long its notes (``normalize.SIZE_LIMITS``), owner and team (the
    actor may assign them), custom field values, tags — and the model's own validation; raise
    every collected error at once. Returns (custom values, tags) to write after the save
    (None: not given)."""
    for name, limit in normalize.SIZE_LIMITS.items():
        items = getattr(data, name, None)
        if is_set(items) and items is not None and len(items) > limit:
            errors.add(name, _("Give at most %(limit)s (this has %(count)s).")
                       % {"limit": limit, "count": len(items)})  # fmt: skip
    notes = getattr(data, "notes", None)
    if is_set(notes) and notes and len(notes) > normalize.NOTES_MAX_LENGTH:
        errors.add("notes", _("Use at most %(limit)d characters (this has %(length)d).")
                   % {"limit": normalize.NOTES_MAX_LENGTH, "length": len(notes)})  # fmt: skip
    if is_set(data.owner) or is_set(data.team) or creating:
        owner = data.owner if is_set(data.owner) else (
            record.owner.username if record.owner_id else None
        )  # fmt: skip
        team = data.team if is_set(data.team) else record.team_id
        record.owner, record.team = resolve_assignment(
            actor=actor, owner=owner, team=team, errors=errors
        )
    custom = clean_custom_values(
        entity=registry.for_model(record).key,
        values=data.custom_fields or {},
        errors=errors,
        creating=creating,
        record_pk=record.pk,
    )
    try:
        record.full_clean(exclude=["owner", "team", "created_by", *errors.keys()])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.add(key, messages)
    tags = tags_from_names(data.tags, errors) if is_set(data.tags) else None
    errors.raise_if_any()
    return custom, tags
