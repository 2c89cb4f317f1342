"""The review queue's decisions on the pairs a detection run proposed: skip, "not a duplicate",
and merging every open group at or above a probability the reviewer chose."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, require
from peyvand.accounts.models import User
from peyvand.common.errors import Conflict, NotFound, PermissionDenied
from peyvand.dedupe.batch.run import group_pairs
from peyvand.dedupe.models import DuplicatePair, DuplicatePairStatus
from peyvand.dedupe.selectors.detection import (
    duplicate_pairs_visible,
    duplicate_run_get_for_user,
    not_duplicate_marks_within,
)
from peyvand.dedupe.services.merge import contact_merge
from peyvand.dedupe.services.not_duplicate import contact_mark_not_duplicate

BULK_MIN_THRESHOLD = 0.5
BULK_MAX_GROUPS = 100  # per request: the page says how many are left


def _pair_for_update(actor: User, pair_id: int) -> DuplicatePair:
    require(actor, Capability.DUPLICATES_REVIEW)
    pair = DuplicatePair.objects.select_related("run").filter(pk=pair_id).first()
    if pair is None:
        raise NotFound(_("No such duplicate pair."))
    run = duplicate_run_get_for_user(actor=actor, public_id=pair.run.public_id)
    if not duplicate_pairs_visible(actor=actor, run=run).filter(pk=pair.pk).exists():
        raise NotFound(_("No such duplicate pair."))
    return pair


@transaction.atomic
def duplicate_pair_skip(*, actor: User, pair_id: int) -> DuplicatePair:
    """Leave the pair for later: it drops out of the open queue of this run only."""
    pair = _pair_for_update(actor, pair_id)
    DuplicatePair.objects.filter(pk=pair.pk).update(status=DuplicatePairStatus.SKIPPED)
    pair.status = DuplicatePairStatus.SKIPPED
    return pair


@transaction.atomic
def duplicate_pair_not_duplicate(*, actor: User, pair_id: int) -> DuplicatePair:
    """Remember that the two are different people (no run proposes them again)."""
    pair = _pair_for_update(actor, pair_id)
    contact_mark_not_duplicate(
        actor=actor, a=pair.contact_a.public_id, b=pair.contact_b.public_id, reason="review"
    )
    DuplicatePair.objects.filter(
        contact_a_id=pair.contact_a_id, contact_b_id=pair.contact_b_id
    ).update(status=DuplicatePairStatus.NOT_DUPLICATE)
    pair.status = DuplicatePairStatus.NOT_DUPLICATE
    return pair


@dataclass
class BulkMergeResult:
    groups_merged: int = 0
    records_merged: int = 0
    groups_left: int = 0
    failures: list[str] = field(default_factory=list)


def _open_groups(actor: User, run, threshold: float) -> dict[int, list[int]]:
    """Contact ids of each group of the open pairs at or above ``threshold``: built afresh,
    likeliest pair first, so that no group holds two contacts marked "not a duplicate" (also
    a mark made after the run: A–B marked, both like C, gives {A, C}, not all three)."""
    pairs = duplicate_pairs_visible(actor=actor, run=run).filter(
        status=DuplicatePairStatus.OPEN, probability__gte=threshold
    )
    edges = list(pairs.values_list("contact_a_id", "contact_b_id", "probability"))
    groups = group_pairs(edges)
    larger = [members for members in groups.values() if len(members) > 2]
    if larger:
        marks = not_duplicate_marks_within(larger)
        if marks:
            groups = group_pairs(edges, marks)
    return groups


def duplicate_pairs_merge_above(
    *, actor: User, run_public_id: str, threshold: float
) -> BulkMergeResult:
    """Merge each group of open pairs at or above ``threshold`` into its oldest record (field
    defaults: non-empty wins), at most ``BULK_MAX_GROUPS`` groups per call; two contacts
    marked "not a duplicate" are never in one group (``_open_groups``). Each group is its
    own merge (one transaction, undoable); a group that fails is reported and left open.

    Raises PermissionDenied (viewer), NotFound (run), ValidationError (threshold)."""
    require(actor, Capability.DUPLICATES_REVIEW)
    if not BULK_MIN_THRESHOLD <= threshold <= 1:
        raise ValidationError(
            {"threshold": _("Choose a likelihood from 50% to 100% to merge in bulk.")}
        )
    run = duplicate_run_get_for_user(actor=actor, public_id=run_public_id)
    groups = _open_groups(actor, run, threshold)
    from peyvand.customers.models import Contact

    result = BulkMergeResult(groups_left=max(len(groups) - BULK_MAX_GROUPS, 0))
    for ids in list(groups.values())[:BULK_MAX_GROUPS]:
        public_ids = dict(Contact.objects.filter(pk__in=ids).values_list("pk", "public_id"))
        ordered = [public_ids[pk] for pk in sorted(public_ids)]
        if len(ordered) < 2:
            continue  # a record of the group was merged or deleted meanwhile
        try:
            contact_merge(actor=actor, survivor_public_id=ordered[0], other_public_ids=ordered[1:])
        except (Conflict, NotFound, PermissionDenied, ValidationError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            result.failures.append(f"{ordered[0]}: {message}")
            continue
        result.groups_merged += 1
        result.records_merged += len(ordered) - 1
    return result
