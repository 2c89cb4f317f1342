"""Where a merged-away contact went: its old address leads to the record that absorbed it."""

from dataclasses import dataclass

from peyvand.accounts.models import User
from peyvand.customers.models import Contact
from peyvand.customers.selectors.visibility import visible_q
from peyvand.dedupe.models import Merge
from peyvand.dedupe.selectors.merges import merge_absorbing

MAX_HOPS = 20  # B merged into C, then C into D…: a chain longer than this is not followed


@dataclass(frozen=True)
class MergedAway:
    public_id: str  # the contact that no longer exists
    merge: Merge  # the merge that absorbed it (the last one, if the survivor was merged again)
    survivor: Contact


def contact_merged_away_for_user(*, actor: User, public_id: str) -> MergedAway | None:
    """The live contact ``public_id`` was merged into — following the survivor into later
    merges — if ``actor`` may see it; None for a contact that was never merged away (deleted,
    mistyped), whose merge was undone, or whose survivor ``actor`` may not see."""
    if not actor.is_active:
        return None
    current = public_id
    for _hop in range(MAX_HOPS):
        merge = merge_absorbing(public_id=current)
        if merge is None:
            return None
        survivor = Contact.objects.filter(pk=merge.survivor_id).first()
        if survivor is not None:
            if not Contact.objects.filter(visible_q(actor), pk=survivor.pk).exists():
                return None
            return MergedAway(public_id=public_id, merge=merge, survivor=survivor)
        # The survivor was itself merged away (or deleted) later: follow it by its public id.
        current = merge.snapshot.get("survivor", {}).get("public_id", "")
        if not current:
            return None
    return None
