"""Merge duplicate contacts into one survivor, and undo a merge exactly.

Both run in one transaction with every involved contact locked (``SELECT … FOR UPDATE`` in id
order; on SQLite the IMMEDIATE transaction serialises writers), and re-check after locking that
every record still exists, so of two concurrent merges of the same record only one succeeds.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, require
from peyvand.accounts.models import User
from peyvand.common.errors import Conflict, NotFound, PermissionDenied
from peyvand.customers.models import Contact
from peyvand.customers.selectors.visibility import can_see, visible_q
from peyvand.customers.services.search_document import contact_refresh_search_document
from peyvand.dedupe.combine import relation_merge
from peyvand.dedupe.models import Merge, MergeEntity
from peyvand.dedupe.reasons import MERGED, MERGED_INTO, UNMERGED, reason_for
from peyvand.dedupe.relations import contact_relations
from peyvand.dedupe.rules import choices_resolve, contact_mergeable_fields, merge_ids_clean
from peyvand.dedupe.selectors.merges import merge_absorbing, merge_get_for_user
from peyvand.dedupe.services.pair_status import (
    duplicate_pairs_after_merge,
    duplicate_pairs_after_undo,
)
from peyvand.dedupe.snapshots import ChangeLog, changes_revert, row_dump, row_insert, row_load

SNAPSHOT_FORMAT = 1


def _integrity_conflict(exc: IntegrityError) -> Conflict:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return Conflict(_("The database refused the change (%s); nothing was changed.") % first_line)


def _gone(public_id: str) -> Exception:
    """The error for a contact that is not there: merged away meanwhile, or never visible."""
    if merge_absorbing(public_id=public_id) is not None:
        return Conflict(
            _(
                "Contact %s no longer exists: it was merged into another record. "
                "Reload and try again."
            )
            % public_id
        )
    return NotFound(_("No such contact: %s.") % public_id)


def _contact_reachable(actor: User, public_id: str) -> None:
    if not Contact.objects.filter(visible_q(actor), public_id=public_id).exists():
        raise _gone(public_id)


def _contacts_lock(
    actor: User, survivor_public_id: str, other_ids: list[str]
) -> tuple[Contact, list[Contact]]:
    """Lock every involved contact (id order: no deadlock) and check each is still there."""
    public_ids = [survivor_public_id, *other_ids]
    rows = Contact.objects.select_for_update().filter(public_id__in=public_ids).order_by("pk")
    locked = {c.public_id: c for c in rows}
    visible = set(
        Contact.objects.filter(visible_q(actor), pk__in=[c.pk for c in locked.values()])
        .values_list("pk", flat=True)
    )  # fmt: skip
    for public_id in public_ids:
        contact = locked.get(public_id)
        if contact is None:
            raise _gone(public_id)
        if contact.pk not in visible:
            raise NotFound(_("No such contact: %s.") % public_id)
    return locked[survivor_public_id], [locked[p] for p in other_ids]


def _assignments(survivor: Contact, winners: dict[str, Contact]) -> dict:
    """Column values the survivor takes from other records (attname -> value)."""
    values = {}
    for model_field in contact_mergeable_fields():
        winner = winners[model_field.name]
        if winner.pk != survivor.pk:
            values[model_field.attname] = getattr(winner, model_field.attname)
    return values


def _still_visible_check(actor: User, survivor: Contact, values: dict) -> None:
    probe = Contact(
        owner_id=values.get("owner_id", survivor.owner_id),
        team_id=values.get("team_id", survivor.team_id),
    )
    if not can_see(actor, probe):
        raise ValidationError(
            {
                "choices.team": _(
                    "With this owner and team you could no longer see the merged record: "
                    "keep yourself as owner or choose one of your teams."
                )
            }
        )


def _survivor_save(survivor: Contact, values: dict, *, actor: User, reason: str) -> None:
    survivor.refresh_from_db()  # a related row may have pointed at a merged record
    for attname, value in values.items():
        setattr(survivor, attname, value)
    survivor.version += 1
    survivor._history_user = actor
    survivor._change_reason = reason
    survivor.save()
    contact_refresh_search_document(survivor)


def _merged_delete(contacts: list[Contact], *, actor: User, reason: str) -> None:
    for contact in contacts:
        contact._history_user = actor
        contact._change_reason = reason
        contact.delete()


def _merge(actor: User, survivor_public_id: str, others: list[str], choices) -> Merge:
    _contact_reachable(actor, survivor_public_id)
    other_ids = merge_ids_clean(survivor_public_id, others)
    survivor, merged = _contacts_lock(actor, survivor_public_id, other_ids)
    winners = choices_resolve([survivor, *merged], choices)
    values = _assignments(survivor, winners)
    _still_visible_check(actor, survivor, values)
    merge = Merge(
        entity=MergeEntity.CONTACT,
        survivor=survivor,
        created_by=actor,
        merged_public_ids=other_ids,
        choices={name: winner.public_id for name, winner in winners.items()},
    )
    snapshot = {
        "format": SNAPSHOT_FORMAT,
        "survivor": row_dump(survivor),
        "merged": [row_dump(c) for c in merged],
    }
    log = ChangeLog(actor=actor, reason=reason_for(MERGED_INTO, merge.public_id))
    merged_ids = [c.pk for c in merged]
    for relation in contact_relations():
        relation_merge(relation, survivor_id=survivor.pk, merged_ids=merged_ids, log=log)
    _merged_delete(merged, actor=actor, reason=reason_for(MERGED_INTO, merge.public_id))
    _survivor_save(survivor, values, actor=actor, reason=reason_for(MERGED, merge.public_id))
    merge.survivor_version = survivor.version
    merge.snapshot = {**snapshot, "log": log.entries}
    merge.save()
    duplicate_pairs_after_merge(merged_ids=merged_ids)
    return merge


def contact_merge(
    *,
    actor: User,
    survivor_public_id: str,
    other_public_ids: list[str],
    choices: dict[str, str] | None = None,
) -> Merge:
    """Merge ``other_public_ids`` into ``survivor_public_id`` and return the Merge record.

    ``choices`` maps a contact field to the public id of the record whose value wins; without
    a choice the first non-empty value wins, the survivor's first. Emails, phones, tags,
    addresses, memberships and custom values are united (see ``dedupe.combine``).

    Side effects: every row of the merged records (found by ``dedupe.relations``) is re-pointed
    or combined; the merged records are deleted (their history gets a "-" row naming the merge);
    the survivor is saved with a history row naming the merge, a new version and a fresh search
    document. The Merge row holds a snapshot from which ``merge_undo`` restores everything.

    Raises PermissionDenied (role), NotFound (a record the actor may not see), Conflict (a
    record merged away meanwhile, or a row that cannot be combined), ValidationError (ids or
    choices). Nothing is changed when anything is raised.
    """
    require(actor, Capability.RECORD_MERGE)
    try:
        with transaction.atomic():
            return _merge(actor, survivor_public_id, list(other_public_ids), choices)
    except IntegrityError as exc:
        raise _integrity_conflict(exc) from exc


def _survivor_lock(merge: Merge) -> Contact:
    survivor = Contact.objects.select_for_update().filter(pk=merge.survivor_id).first()
    if survivor is None:
        raise Conflict(
            _(
                "The surviving record no longer exists: it was deleted, or merged into another "
                "record (undo that merge first)."
            )
        )
    if survivor.version != merge.survivor_version:
        raise Conflict(
            _(
                "“%(name)s” changed after this merge (it is at version %(now)s, the merge left "
                "version %(then)s); undoing the merge would overwrite those changes."
            )
            % {"name": survivor.display_name, "now": survivor.version,
               "then": merge.survivor_version}
        )  # fmt: skip
    return survivor


def _restorable_check(actor: User, rows: list[dict]) -> None:
    for row in rows:
        if not can_see(actor, row_load(Contact, row)):
            raise PermissionDenied(
                _("You cannot undo this merge: it would restore records you cannot see.")
            )


def _survivor_restore(survivor: Contact, row: dict, *, actor: User, reason: str) -> None:
    before = row_load(Contact, row)
    for model_field in contact_mergeable_fields():
        setattr(survivor, model_field.attname, getattr(before, model_field.attname))
    survivor.version += 1
    survivor._history_user = actor
    survivor._change_reason = reason
    survivor.save()
    contact_refresh_search_document(survivor)


def _earlier_merges_rebase(merge: Merge, survivor: Contact) -> None:
    """Earlier merges into this survivor stay undoable: its state is theirs again."""
    version_before = merge.snapshot["survivor"]["version"]
    Merge.objects.filter(
        survivor_id=survivor.pk, undone_at__isnull=True, survivor_version=version_before
    ).exclude(pk=merge.pk).update(survivor_version=survivor.version)


def _undo(actor: User, merge_public_id: str) -> Merge:
    merge = merge_get_for_user(actor=actor, public_id=merge_public_id, for_update=True)
    if merge.is_undone:
        raise Conflict(_("This merge was already undone."))
    survivor = _survivor_lock(merge)
    snapshot = merge.snapshot
    _restorable_check(actor, snapshot["merged"])
    reason = reason_for(UNMERGED, merge.public_id)
    for row in snapshot["merged"]:
        row_insert(Contact, row, actor=actor, reason=reason)
    changes_revert(snapshot["log"], actor=actor, reason=reason)
    _survivor_restore(survivor, snapshot["survivor"], actor=actor, reason=reason)
    _earlier_merges_rebase(merge, survivor)
    duplicate_pairs_after_undo(restored_ids=[row["id"] for row in snapshot["merged"]])
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
    return merge


def merge_undo(*, actor: User, merge_public_id: str) -> Merge:
    """Undo a merge: re-create the merged records with their ids, move every row back,
    re-create combined rows, restore the survivor's fields; mark the merge undone.

    Side effects: history rows naming the undo on the survivor and the restored records; the
    survivor gets a new version and search document.

    Raises NotFound (no such merge for the actor), PermissionDenied (role, or records the actor
    may not see), Conflict (already undone, the survivor changed or is gone since, or a moved
    row disappeared). Nothing is changed when anything is raised.
    """
    require(actor, Capability.RECORD_MERGE)
    try:
        with transaction.atomic():
            return _undo(actor, merge_public_id)
    except IntegrityError as exc:
        raise _integrity_conflict(exc) from exc
