"""Keep the review queue in step with merges made anywhere (queue, compare page, API, CLI)."""

from django.db.models import Q

from peyvand.dedupe.models import DuplicatePair, DuplicatePairStatus


def duplicate_pairs_after_merge(*, merged_ids: list[int]) -> int:
    """Close the open pairs that named a merged-away contact."""
    involved = Q(contact_a_id__in=merged_ids) | Q(contact_b_id__in=merged_ids)
    return DuplicatePair.objects.filter(involved, status=DuplicatePairStatus.OPEN).update(
        status=DuplicatePairStatus.MERGED
    )


def duplicate_pairs_after_undo(*, restored_ids: list[int]) -> int:
    """Reopen the pairs a merge had closed, once that merge is undone."""
    involved = Q(contact_a_id__in=restored_ids) | Q(contact_b_id__in=restored_ids)
    return DuplicatePair.objects.filter(involved, status=DuplicatePairStatus.MERGED).update(
        status=DuplicatePairStatus.OPEN
    )
