"""Reads of batch duplicate detection: the detection itself (read-only), runs and their pairs.

Who sees what: a run covers the contacts its starter may see (``visible_q``), so an agent's
run compares the agent's contacts only; a run is visible to whoever started it and to admins,
and its pairs only where the reader may see both contacts.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, can
from peyvand.accounts.models import User
from peyvand.common.errors import NotFound
from peyvand.customers.models import Contact
from peyvand.customers.selectors.visibility import visible_q
from peyvand.dedupe import explanations
from peyvand.dedupe.batch.features import contact_features
from peyvand.dedupe.batch.run import DetectionResult, Progress, detect_duplicates
from peyvand.dedupe.models_batch import DuplicatePair, DuplicateRun, DuplicateRunStatus

EXCLUSION_CHUNK = 2000  # pairs per "not a duplicate" lookup: at most 4,000 ids in one IN list
MARKS_IN_MEMORY = 100_000  # up to this many marks, all are read at once


def detection_contacts(*, actor: User) -> QuerySet[Contact]:
    """The contacts a detection started by ``actor`` compares."""
    return Contact.objects.filter(visible_q(actor))


def _all_marks_if_few() -> set[tuple[int, int]] | None:
    """Every "not a duplicate" mark as (low, high), if there are at most ``MARKS_IN_MEMORY``
    (one query instead of one per chunk of pairs); None if there are more."""
    from peyvand.dedupe.models import NotDuplicate

    marks = NotDuplicate.objects.values_list("contact_low_id", "contact_high_id")
    few = list(marks[: MARKS_IN_MEMORY + 1])
    return set(few) if len(few) <= MARKS_IN_MEMORY else None


def not_duplicate_exclusions(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Those of ``pairs`` (smaller id, larger id) someone marked as different people.

    With few marks, all of them are read at once. Else asked chunk by chunk: both ids of every
    pair of a chunk are in that chunk's id list, so each marked pair is found, and no query
    carries more than ``2 * EXCLUSION_CHUNK`` ids."""
    from peyvand.dedupe.selectors.merges import not_duplicate_pairs

    every = _all_marks_if_few()
    if every is not None:
        return {pair for pair in pairs if pair in every}
    found: set[tuple[int, int]] = set()
    for start in range(0, len(pairs), EXCLUSION_CHUNK):
        chunk = pairs[start : start + EXCLUSION_CHUNK]
        marked = not_duplicate_pairs(contact_ids=[i for pair in chunk for i in pair])
        found.update(pair for pair in chunk if pair in marked)
    return found


def not_duplicate_marks_within(groups: list[list[int]] | list[set[int]]) -> set[tuple[int, int]]:
    """The pairs marked "not a duplicate" whose two contacts are in one of ``groups``.

    Asked for several whole groups at a time, up to ``2 * EXCLUSION_CHUNK`` ids a query (a
    bigger group on its own): a mark between two groups does not matter."""
    from peyvand.dedupe.selectors.merges import not_duplicate_pairs

    group_of = {node: index for index, group in enumerate(groups) for node in group}
    every = _all_marks_if_few()
    if every is not None:
        return {p for p in every if group_of.get(p[0], -1) == group_of.get(p[1], -2)}
    found: set[tuple[int, int]] = set()
    batch: list[int] = []
    for group in [*groups, []]:
        if batch and (not group or len(batch) + len(group) > 2 * EXCLUSION_CHUNK):
            marked = not_duplicate_pairs(contact_ids=batch)
            found.update(pair for pair in marked if group_of[pair[0]] == group_of[pair[1]])
            batch = []
        batch.extend(group)
    return found


def contact_duplicates_detect(
    *,
    actor: User,
    threshold: float,
    on_progress: Progress | None = None,
    on_read: Callable[[int], None] | None = None,
) -> DetectionResult:
    """Run detection over the contacts ``actor`` may see; writes nothing.

    Pairs marked "not a duplicate" are dropped before clustering, and no cluster holds two
    contacts marked so. ``on_read(count)`` is called
    as contacts are read (every ``features.CHUNK``), ``on_progress(stage, fraction)`` after."""

    table = contact_features(detection_contacts(actor=actor), on_read=on_read)
    if on_read is not None:
        on_read(table.num_rows)
    return detect_duplicates(
        table,
        threshold=threshold,
        exclude=not_duplicate_exclusions,
        marks_within=not_duplicate_marks_within,
        on_progress=on_progress,
    )


# --- runs and pairs ---------------------------------------------------------------------------


def duplicate_run_visible(*, actor: User, run: DuplicateRun) -> bool:
    if can(actor, Capability.JOBS_VIEW_ALL):
        return True
    return run.created_by_id == actor.pk and can(actor, Capability.RECORD_VIEW)


def duplicate_run_get_for_user(*, actor: User, public_id: str) -> DuplicateRun:
    run = DuplicateRun.objects.filter(public_id=public_id).select_related("created_by").first()
    if run is None or not duplicate_run_visible(actor=actor, run=run):
        raise NotFound(_("No such duplicate detection run."))
    return run


def duplicate_run_latest(*, actor: User) -> DuplicateRun | None:
    """The newest finished run ``actor`` may see, or None."""
    runs = DuplicateRun.objects.filter(status=DuplicateRunStatus.DONE)
    if not can(actor, Capability.JOBS_VIEW_ALL):
        runs = runs.filter(created_by=actor)
    return runs.order_by("-id").first() if can(actor, Capability.RECORD_VIEW) else None


def duplicate_run_newest(*, actor: User) -> DuplicateRun | None:
    """The newest run ``actor`` may see, whatever its status (queued, running, finished)."""
    runs = DuplicateRun.objects.all()
    if not can(actor, Capability.JOBS_VIEW_ALL):
        runs = runs.filter(created_by=actor)
    return runs.order_by("-id").first() if can(actor, Capability.RECORD_VIEW) else None


def duplicate_pairs_visible(*, actor: User, run: DuplicateRun) -> QuerySet[DuplicatePair]:
    """The run's pairs whose two contacts ``actor`` may see, likeliest first."""
    visible = Contact.objects.filter(visible_q(actor)).values("pk")
    return (
        DuplicatePair.objects.filter(run=run, contact_a__in=visible, contact_b__in=visible)
        .select_related("contact_a", "contact_b")
        .order_by("-probability", "id")
    )


def explanation_text(explanation: dict) -> str:
    """'same phone; same given name in another spelling or script' in the user's language
    (``dedupe.explanations``)."""
    return explanations.explanation_text(explanation)


@dataclass(frozen=True)
class PairRow:
    group: int  # 1, 2, 3… in the order groups first appear (likeliest pair first)
    group_size: int
    public_id_a: str
    external_id_a: str
    name_a: str
    public_id_b: str
    external_id_b: str
    name_b: str
    probability: float
    match_weight: float
    status: str
    why: str


PAIR_ROW_HEADERS = [
    "group", "group_size", "public_id_a", "external_id_a", "name_a", "public_id_b",
    "external_id_b", "name_b", "probability", "match_weight", "status", "why",
]  # fmt: skip


def duplicate_pair_rows(*, actor: User, run: DuplicateRun) -> Iterator[PairRow]:
    """The run's visible pairs as export rows, grouped numbers instead of internal ids."""
    pairs = duplicate_pairs_visible(actor=actor, run=run)
    sizes: dict[int, set[int]] = {}
    for cluster_id, a, b in pairs.values_list("cluster_id", "contact_a_id", "contact_b_id"):
        sizes.setdefault(cluster_id, set()).update((a, b))
    numbers: dict[int, int] = {}
    for pair in pairs.iterator(chunk_size=2000):
        group = numbers.setdefault(pair.cluster_id, len(numbers) + 1)
        yield PairRow(
            group=group,
            group_size=len(sizes[pair.cluster_id]),
            public_id_a=pair.contact_a.public_id,
            external_id_a=pair.contact_a.external_id,
            name_a=pair.contact_a.display_name,
            public_id_b=pair.contact_b.public_id,
            external_id_b=pair.contact_b.external_id,
            name_b=pair.contact_b.display_name,
            probability=round(pair.probability, 4),
            match_weight=round(pair.match_weight, 2),
            status=pair.status,
            why=explanation_text(pair.explanation),
        )
