"""Reads of batch duplicate detection: the detection itself (read-only), runs and their pairs.

Who sees what: a run covers the contacts its starter may see (``visible_q``), so an agent's
run compares the agent's contacts only; a run is visible to whoever started it and to admins,
and its pairs only where the reader may see both contacts.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peyvand.accounts.models import User
from peyvand.common.errors import NotFound
from peyvand.customers.models import Contact
from peyvand.customers.selectors.visibility import visible_q
from peyvand.dedupe.batch.features import contact_records, features_table
from peyvand.dedupe.batch.run import DetectionResult, Progress, detect_duplicates
from peyvand.dedupe.batch.settings import COMPARISON_TEXT, LEVEL_TEXT
from peyvand.dedupe.models_batch import DuplicatePair, DuplicateRun, DuplicateRunStatus

EXCLUSION_CHUNK = 2000  # pairs per "not a duplicate" lookup: at most 4,000 ids in one IN list
READ_PROGRESS_EVERY = 10_000


def detection_contacts(*, actor: User) -> QuerySet[Contact]:
    """The contacts a detection started by ``actor`` compares."""
    return Contact.objects.filter(visible_q(actor))


def not_duplicate_exclusions(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Those of ``pairs`` (smaller id, larger id) someone marked as different people.

    Asked chunk by chunk: both ids of every pair of a chunk are in that chunk's id list, so
    each marked pair is found, and no query carries more than ``2 * EXCLUSION_CHUNK`` ids."""
    from peyvand.dedupe.selectors.merges import not_duplicate_pairs

    found: set[tuple[int, int]] = set()
    for start in range(0, len(pairs), EXCLUSION_CHUNK):
        chunk = pairs[start : start + EXCLUSION_CHUNK]
        marked = not_duplicate_pairs(contact_ids=[i for pair in chunk for i in pair])
        found.update(pair for pair in chunk if pair in marked)
    return found


def contact_duplicates_detect(
    *,
    actor: User,
    threshold: float,
    on_progress: Progress | None = None,
    on_read: Callable[[int], None] | None = None,
) -> DetectionResult:
    """Run detection over the contacts ``actor`` may see; writes nothing.

    Pairs marked "not a duplicate" are dropped before clustering. ``on_read(count)`` is called
    every ``READ_PROGRESS_EVERY`` contacts read, ``on_progress(stage, fraction)`` after."""

    def counted(records):
        for count, record in enumerate(records, start=1):
            if on_read is not None and count % READ_PROGRESS_EVERY == 0:
                on_read(count)
            yield record

    table = features_table(counted(contact_records(detection_contacts(actor=actor))))
    if on_read is not None:
        on_read(table.num_rows)
    return detect_duplicates(
        table, threshold=threshold, exclude=not_duplicate_exclusions, on_progress=on_progress
    )


# --- runs and pairs ---------------------------------------------------------------------------


def duplicate_run_visible(*, actor: User, run: DuplicateRun) -> bool:
    return actor.is_active and (actor.is_admin or run.created_by_id == actor.pk)


def duplicate_run_get_for_user(*, actor: User, public_id: str) -> DuplicateRun:
    run = DuplicateRun.objects.filter(public_id=public_id).select_related("created_by").first()
    if run is None or not duplicate_run_visible(actor=actor, run=run):
        raise NotFound(_("No such duplicate detection run."))
    return run


def duplicate_run_latest(*, actor: User) -> DuplicateRun | None:
    """The newest finished run ``actor`` may see, or None."""
    runs = DuplicateRun.objects.filter(status=DuplicateRunStatus.DONE)
    if not actor.is_admin:
        runs = runs.filter(created_by=actor)
    return runs.order_by("-id").first() if actor.is_active else None


def duplicate_pairs_visible(*, actor: User, run: DuplicateRun) -> QuerySet[DuplicatePair]:
    """The run's pairs whose two contacts ``actor`` may see, likeliest first."""
    visible = Contact.objects.filter(visible_q(actor)).values("pk")
    return (
        DuplicatePair.objects.filter(run=run, contact_a__in=visible, contact_b__in=visible)
        .select_related("contact_a", "contact_b")
        .order_by("-probability", "id")
    )


def explanation_text(explanation: dict) -> str:
    """'name: the same name in another spelling or script (+5.1); phone: …' in the user's
    language; fields missing on either side are left out."""
    parts = []
    for name, detail in explanation.items():
        if detail.get("level") == "missing":
            continue
        field = COMPARISON_TEXT.get(name, name)
        level = LEVEL_TEXT.get(detail.get("level"), detail.get("level"))
        parts.append(f"{field}: {level} ({detail.get('weight', 0):+.1f})")
    return "; ".join(parts)


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
