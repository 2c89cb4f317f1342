"""How the rows of merged-away contacts join the survivor's, one relation at a time.

A row that would collide with a row the survivor already has (a unique constraint, or an
the same address) is not moved: its content is combined into the survivor's row (``rules``)
and it is deleted. Every other row is re-pointed. Emails and phones keep one primary: the
survivor's, else the first one moved. All writes go through the ``ChangeLog``.
"""

from django.db import models

from peyvand.customers.models import Contact
from peyvand.dedupe.relations import Relation, UniqueKey
from peyvand.dedupe.rules import collision_updates, primary_flag, same_content
from peyvand.dedupe.snapshots import ChangeLog


def _condition_members(
    relation: Relation, keys: list[UniqueKey], rows: list[models.Model]
) -> list[set]:
    """For each key with a condition, the pks among ``rows`` the condition holds for."""
    pks = [r.pk for r in rows]
    manager = relation.model._base_manager
    return [
        set(manager.filter(key.condition, pk__in=pks).values_list("pk", flat=True))
        if key.condition is not None
        else set()
        for key in keys
    ]


def _key_partner(key: UniqueKey, members: set, row, kept: list) -> models.Model | None:
    if key.condition is not None and row.pk not in members:
        return None
    values = tuple(getattr(row, a) for a in key.attnames)
    if any(v is None for v in values):  # NULLs never collide in a unique constraint
        return None
    for candidate in kept:
        if key.condition is not None and candidate.pk not in members:
            continue
        if tuple(getattr(candidate, a) for a in key.attnames) == values:
            return candidate
    return None


def _partner(relation, keys, members, row, kept) -> tuple[models.Model | None, tuple[str, ...]]:
    """The survivor's row that ``row`` would collide with, and the key it collides on."""
    for key, key_members in zip(keys, members, strict=True):
        partner = _key_partner(key, key_members, row, kept)
        if partner is not None:
            return partner, key.attnames
    for candidate in kept:
        equal = same_content(relation, candidate, row)
        if equal is not None:
            return candidate, equal
    return None, ()


def relation_merge(
    relation: Relation, *, survivor_id: int, merged_ids: list[int], log: ChangeLog
) -> None:
    """Re-point or combine every row of ``relation`` that belongs to a merged-away contact."""
    # A contact row pointing at another contact: the merged-away contacts are deleted as a whole.
    skip = merged_ids if issubclass(relation.model, Contact) else []
    kept = list(relation.rows(survivor_id).exclude(pk__in=skip))
    keys = relation.unique_keys()
    flag = primary_flag(relation.model)
    has_primary = flag is not None and any(getattr(r, flag) for r in kept)
    for other_id in merged_ids:
        rows = list(relation.rows(other_id).exclude(pk__in=skip))
        if not rows:
            continue
        members = _condition_members(relation, keys, kept + rows)
        moving = []
        for row in rows:
            partner, key = _partner(relation, keys, members, row, kept)
            if partner is not None:
                log.update(partner, collision_updates(relation, partner, row, key))
                log.delete(row)
                continue
            if flag is not None and getattr(row, flag):
                if has_primary:
                    log.update(row, {flag: False})
                has_primary = True
            moving.append(row)
        pks = [r.pk for r in moving]
        log.move(relation.model, pks, relation.attname, other_id, survivor_id)
        for row in moving:
            setattr(row, relation.attname, survivor_id)
        kept += moving
