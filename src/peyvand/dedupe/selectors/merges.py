"""Reads for merges: one merge as a user may see it, what it changed, the side-by-side preview of
records about to be merged, and the "not a duplicate" marks."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.accounts.access import Capability, can
from peyvand.accounts.models import User
from peyvand.common.errors import NotFound
from peyvand.customers.models import Contact
from peyvand.customers.selectors import contact_get_for_user
from peyvand.customers.selectors.visibility import visible_q
from peyvand.dedupe.models import Merge, NotDuplicate
from peyvand.dedupe.relations import model_for_label
from peyvand.dedupe.rules import choices_resolve, contact_mergeable_fields, merge_ids_clean


def merge_visible(*, actor: User, merge: Merge) -> bool:
    """Whoever sees every record sees every merge; others a merge whose surviving record they
    see (or their own)."""
    if not can(actor, Capability.RECORD_VIEW):
        return False
    if can(actor, Capability.RECORD_VIEW_ALL) or merge.created_by_id == actor.pk:
        return True
    return Contact.objects.filter(visible_q(actor), pk=merge.survivor_id).exists()


def merge_get_for_user(*, actor: User, public_id: str, for_update: bool = False) -> Merge:
    """Fetch and authorise in one step; a merge the actor may not see is NotFound."""
    if for_update:
        qs = Merge.objects.select_for_update()
    else:
        qs = Merge.objects.select_related("created_by", "undone_by")
    merge = qs.filter(public_id=public_id).first()
    if merge is None or not merge_visible(actor=actor, merge=merge):
        raise NotFound(_("No such merge."))
    return merge


def merge_absorbing(*, public_id: str) -> Merge | None:
    """The merge (not undone) that merged the contact ``public_id`` away, if any."""
    return (
        Merge.objects.filter(undone_at__isnull=True, merged_public_ids__icontains=f'"{public_id}"')
        .order_by("-id")
        .first()
    )


@dataclass
class RelationCount:
    label: str  # model label, e.g. customers.contactemail
    name: str  # what a person calls these rows, e.g. "contact emails"
    moved: int = 0
    combined: int = 0  # duplicates folded into a row the survivor already had


@dataclass(frozen=True)
class MergedRecord:
    public_id: str
    display_name: str


@dataclass
class MergeSummary:
    merge: Merge
    survivor_public_id: str
    survivor_exists: bool
    relations: list[RelationCount] = field(default_factory=list)
    survivor_name: str = ""  # now, or as it was merged if it no longer exists
    merged: list[MergedRecord] = field(default_factory=list)  # names as they were merged

    def name_of(self, public_id: str) -> str:
        """The name of the survivor or a merged record, by public id ("" if neither)."""
        if public_id == self.survivor_public_id:
            return self.survivor_name
        return next((r.display_name for r in self.merged if r.public_id == public_id), "")


# What people call the rows of the core relations (their models have no plural of their own).
_RELATION_NAMES = {
    "customers.contactemail": gettext_lazy("emails"),
    "customers.contactphone": gettext_lazy("phones"),
    "customers.address": gettext_lazy("addresses"),
    "customers.contactconsent": gettext_lazy("consents"),
    "customers.contactorganization": gettext_lazy("organisations"),
    "customers.customfieldvalue": gettext_lazy("custom fields"),
}


def _relation_name(label: str) -> str:
    if label in _RELATION_NAMES:
        return str(_RELATION_NAMES[label])
    try:
        model = model_for_label(label)
    except LookupError:  # a model removed since the merge
        return label
    if model._meta.auto_created:  # the through table of a many-to-many field: name the field
        owner = next(
            f for f in model._meta.get_fields() if f.many_to_one and f.related_model is Contact
        )
        target = next(f for f in model._meta.get_fields() if f.many_to_one and f is not owner)
        return str(target.related_model._meta.verbose_name_plural)
    return str(model._meta.verbose_name_plural)


def merge_summary(*, actor: User, merge: Merge) -> MergeSummary:
    """What the merge did, counted per kind of related row (from its snapshot)."""
    moved: Counter[str] = Counter()
    combined: Counter[str] = Counter()
    for entry in merge.snapshot.get("log", []):
        if entry["op"] == "move":
            moved[entry["model"]] += len(entry["pks"])
        elif entry["op"] == "delete":
            combined[entry["model"]] += 1
    labels = sorted(set(moved) | set(combined))
    survivor = Contact.objects.filter(pk=merge.survivor_id).values_list("public_id", "display_name")
    before = merge.snapshot.get("survivor", {})  # the survivor as it was, if deleted since
    current = survivor.first()
    public_id, name = current or (before.get("public_id", ""), before.get("display_name", ""))
    return MergeSummary(
        merge=merge,
        survivor_public_id=public_id,
        survivor_exists=Contact.objects.filter(visible_q(actor), pk=merge.survivor_id).exists(),
        relations=[
            RelationCount(label, _relation_name(label), moved[label], combined[label])
            for label in labels
        ],
        survivor_name=name,
        merged=[
            MergedRecord(row.get("public_id", ""), row.get("display_name", ""))
            for row in merge.snapshot.get("merged", [])
        ],
    )


@dataclass
class FieldComparison:
    name: str
    label: str
    values: list  # one raw value per record, in the preview's order
    chosen: str  # public id of the record whose value wins
    differs: bool


@dataclass
class MergePreview:
    contacts: list[Contact]  # the survivor first
    fields: list[FieldComparison]


def contact_merge_preview(
    *, actor: User, public_ids: list[str], choices: dict[str, str] | None = None
) -> MergePreview:
    """The records side by side with the value that would win for each field.

    Raises NotFound for a record the actor may not see, ValidationError for a repeated id.
    """
    survivor_id, *others = public_ids
    merge_ids_clean(survivor_id, others)
    contacts = [contact_get_for_user(actor=actor, public_id=p) for p in public_ids]
    winners = choices_resolve(contacts, choices)
    rows = []
    for model_field in contact_mergeable_fields():
        values = [getattr(c, model_field.name) for c in contacts]
        rows.append(
            FieldComparison(
                name=model_field.name,
                label=str(model_field.verbose_name),
                values=values,
                chosen=winners[model_field.name].public_id,
                differs=any(v != values[0] for v in values[1:]),
            )
        )
    return MergePreview(contacts=contacts, fields=rows)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def contact_pair_is_not_duplicate(*, a: int, b: int) -> bool:
    """Whether someone marked contacts ``a`` and ``b`` (primary keys) as different people."""
    low, high = _pair(a, b)
    return NotDuplicate.objects.filter(contact_low_id=low, contact_high_id=high).exists()


def not_duplicate_pairs(*, contact_ids: list[int]) -> set[tuple[int, int]]:
    """Every marked pair among ``contact_ids``, as (low, high), for filtering a candidate list."""
    ids = list(set(contact_ids))
    return set(
        NotDuplicate.objects.filter(
            Q(contact_low_id__in=ids) & Q(contact_high_id__in=ids)
        ).values_list("contact_low_id", "contact_high_id")
    )
