"""The merge rules, as plain functions over model instances (no queries).

* Contact fields: the value of the record named in ``choices`` wins; otherwise the first
  non-empty value, the survivor first (so for equal emptiness the survivor wins).
* Related rows that would collide on the survivor (a unique constraint, or the same address)
  are combined into the survivor's row: consents keep the most recent decision, custom field
  values keep the survivor's non-empty value else the other's, anything else fills the
  survivor's empty columns from the other row.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from peyvand.common.persian import search_key
from peyvand.customers.custom_fields import is_empty
from peyvand.customers.models import Contact
from peyvand.dedupe.relations import Relation

PRIMARY_FLAG = "is_primary"
# Who created the surviving row is provenance, not a value to choose.
_NOT_CHOSEN = {"created_by"}
# Rows without a unique constraint that are still one thing when their content agrees: the
# "equal" columns match (normalised) and each "compatible" column matches or is empty on a side.
_SAME_CONTENT = {
    "customers.address": (("line",), ("city", "province", "postal_code", "country")),
}

Policy = Callable[[models.Model, models.Model, list[models.Field]], dict[str, Any]]


def contact_mergeable_fields() -> list[models.Field]:
    return [
        f
        for f in Contact._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in _NOT_CHOSEN
    ]


def merge_ids_clean(survivor_public_id: str, other_public_ids: Sequence[str]) -> list[str]:
    """The other records' public ids, refusing an empty list, the survivor itself, repeats."""
    others = [(p or "").strip() for p in other_public_ids]
    others = [p for p in others if p]
    if not others:
        raise ValidationError(
            {"others": _("Name at least one other record to merge into this one.")}
        )
    if survivor_public_id in others:
        raise ValidationError(
            {"others": _("A record cannot be merged with itself (%s).") % survivor_public_id}
        )
    repeated = sorted({p for p in others if others.count(p) > 1})
    if repeated:
        raise ValidationError(
            {"others": _("Each record can be listed once; repeated: %s.") % ", ".join(repeated)}
        )
    return others


def default_choices(contacts: Sequence[Contact]) -> dict[str, Contact]:
    """Field name -> the record whose value wins by default (``contacts[0]`` is the survivor)."""
    winners = {}
    for field in contact_mergeable_fields():
        filled = [c for c in contacts if not is_empty(getattr(c, field.attname))]
        winners[field.name] = filled[0] if filled else contacts[0]
    return winners


def choices_resolve(
    contacts: Sequence[Contact], choices: dict[str, str] | None
) -> dict[str, Contact]:
    """Defaults overridden by ``choices`` (field name -> public id of the winning record)."""
    winners = default_choices(contacts)
    by_public_id = {c.public_id: c for c in contacts}
    errors: dict[str, list[str]] = {}
    for name, public_id in (choices or {}).items():
        if name not in winners:
            errors[f"choices.{name}"] = [_("“%s” is not a field that can be chosen.") % name]
        elif public_id not in by_public_id:
            errors[f"choices.{name}"] = [
                _("%s is not one of the records being merged.") % public_id
            ]
        else:
            winners[name] = by_public_id[public_id]
    if errors:
        raise ValidationError(errors)
    return winners


def row_data_fields(model: type[models.Model], *, skip: set[str]) -> list[models.Field]:
    """Columns that carry a row's content (not its id, owner, key or timestamps)."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.attname not in skip
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _fill_empty(kept, other, fields) -> dict[str, Any]:
    return {
        f.attname: getattr(other, f.attname)
        for f in fields
        if is_empty(getattr(kept, f.attname)) and not is_empty(getattr(other, f.attname))
    }


def _take_all(other, fields) -> dict[str, Any]:
    return {f.attname: getattr(other, f.attname) for f in fields}


def _newest_wins(attname: str) -> Policy:
    def policy(kept, other, fields) -> dict[str, Any]:
        newer = getattr(other, attname) > getattr(kept, attname)
        return _take_all(other, fields) if newer else {}

    return policy


def _kept_unless_empty(kept, other, fields) -> dict[str, Any]:
    kept_empty = all(is_empty(getattr(kept, f.attname)) for f in fields)
    other_empty = all(is_empty(getattr(other, f.attname)) for f in fields)
    return _take_all(other, fields) if kept_empty and not other_empty else {}


_POLICIES: dict[str, Policy] = {
    "customers.contactconsent": _newest_wins("recorded_at"),
    "customers.customfieldvalue": _kept_unless_empty,
}


def collision_updates(
    relation: Relation, kept: models.Model, other: models.Model, key: Sequence[str]
) -> dict[str, Any]:
    """Columns of the survivor's row ``kept`` to take from the colliding row ``other``."""
    fields = row_data_fields(relation.model, skip={relation.attname, PRIMARY_FLAG, *key})
    policy = _POLICIES.get(relation.label, _fill_empty)
    return policy(kept, other, fields)


def _content(row: models.Model, name: str) -> str:
    return search_key(str(getattr(row, name) or ""))


def same_content(relation: Relation, a: models.Model, b: models.Model) -> tuple[str, ...] | None:
    """The "equal" columns when rows ``a`` and ``b`` hold the same thing, else None."""
    rule = _SAME_CONTENT.get(relation.label)
    if rule is None:
        return None
    equal, compatible = rule
    if any(not _content(a, n) or _content(a, n) != _content(b, n) for n in equal):
        return None
    for name in compatible:
        left, right = _content(a, name), _content(b, name)
        if left and right and left != right:
            return None
    return tuple(a._meta.get_field(n).attname for n in equal)


def primary_flag(model: type[models.Model]) -> str | None:
    """The "is_primary" column of emails/phones-like rows, if the model has one."""
    try:
        field = model._meta.get_field(PRIMARY_FLAG)
    except FieldDoesNotExist:
        return None
    return PRIMARY_FLAG if isinstance(field, models.BooleanField) else None
