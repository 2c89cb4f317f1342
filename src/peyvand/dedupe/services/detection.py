"""Batch duplicate detection runs: start one (in the background or right here), cancel one.

A run reads the contacts its starter may see, trains and applies the splink model
(``dedupe.batch``) and stores the likely duplicate pairs with their groups. Its progress is
written as it goes (outside any transaction, so a page polling it sees it move); the pairs
are written in one transaction at the end, so a run shows either all its pairs or none.
"""

import datetime as dt
from collections.abc import Callable
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, require
from peyvand.accounts.models import User
from peyvand.dedupe.batch.run import DEFAULT_THRESHOLD, DetectionResult
from peyvand.dedupe.models_batch import (
    DuplicatePair,
    DuplicateRun,
    DuplicateRunStage,
    DuplicateRunStatus,
)
from peyvand.dedupe.selectors.detection import (
    contact_duplicates_detect,
    detection_contacts,
    duplicate_run_get_for_user,
)

SAVE_BATCH = 5000
# Progress (%) at the start of each stage: reading is the slow part on a big table.
STAGE_START = {
    DuplicateRunStage.READING: 0,
    DuplicateRunStage.TRAINING: 40,
    DuplicateRunStage.PREDICTING: 65,
    DuplicateRunStage.CLUSTERING: 85,
    DuplicateRunStage.SAVING: 90,
}


class DetectionCancelled(Exception):
    pass


def _validate_threshold(threshold: float) -> float:
    if not 0 < threshold < 1:
        raise ValidationError(
            {"threshold": _("The match threshold must be above 0% and below 100%, e.g. 90%.")}
        )
    return float(threshold)


@transaction.atomic
def duplicate_run_create(*, actor: User, threshold: float = DEFAULT_THRESHOLD) -> DuplicateRun:
    """A queued run over the contacts ``actor`` may see (not started: see ``_start``/``_now``).

    Raises PermissionDenied (viewer), ValidationError (threshold not in (0, 1))."""
    require(actor, Capability.DUPLICATES_REVIEW)
    run = DuplicateRun(
        threshold=_validate_threshold(threshold),
        created_by=actor,
        contacts_total=detection_contacts(actor=actor).count(),
    )
    run.full_clean()
    run.save()
    return run


def duplicate_run_start(*, actor: User, threshold: float = DEFAULT_THRESHOLD) -> DuplicateRun:
    """Create a run and queue it for a worker (``dedupe.tasks.duplicate_run_task``)."""
    from peyvand.dedupe.tasks import duplicate_run_task

    with transaction.atomic():
        run = duplicate_run_create(actor=actor, threshold=threshold)
        transaction.on_commit(lambda: duplicate_run_task.enqueue(run.pk))
    return run


def duplicate_run_now(
    *,
    actor: User,
    threshold: float = DEFAULT_THRESHOLD,
    on_progress: Callable[[DuplicateRun], None] | None = None,
) -> DuplicateRun:
    """Create a run and execute it in this process (the CLI's path)."""
    run = duplicate_run_create(actor=actor, threshold=threshold)
    return duplicate_run_execute(run_id=run.pk, on_progress=on_progress)


@transaction.atomic
def duplicate_run_cancel(*, actor: User, public_id: str) -> DuplicateRun:
    """Ask a queued or running run to stop at its next step; a finished run is left as is."""
    run = duplicate_run_get_for_user(actor=actor, public_id=public_id)
    if run.is_finished:
        raise ValidationError({"status": _("This run has already finished.")})
    DuplicateRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    if run.status == DuplicateRunStatus.QUEUED:
        DuplicateRun.objects.filter(pk=run.pk).update(
            status=DuplicateRunStatus.CANCELLED, finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def _update(run: DuplicateRun, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    DuplicateRun.objects.filter(pk=run.pk).update(**fields)


def _progress_reporter(run: DuplicateRun, on_progress):
    def check_cancel() -> None:
        if DuplicateRun.objects.filter(pk=run.pk, cancel_requested=True).exists():
            raise DetectionCancelled

    def on_read(count: int) -> None:
        check_cancel()
        share = count / run.contacts_total if run.contacts_total else 1
        progress = round(STAGE_START[DuplicateRunStage.TRAINING] * min(share, 1))
        _update(run, stage=DuplicateRunStage.READING, contacts_read=count, progress=progress)
        if on_progress is not None:
            on_progress(run)

    def on_stage(stage: str, _fraction: float) -> None:
        if stage not in STAGE_START:
            return
        check_cancel()
        _update(run, stage=stage, progress=STAGE_START[stage])
        if on_progress is not None:
            on_progress(run)

    return on_read, on_stage, check_cancel


# What each column of a pair holds: from the detected pair, or the same for the whole run.
_PAIR_VALUES = {
    "contact_a_id": attrgetter("a"),
    "contact_b_id": attrgetter("b"),
    "probability": attrgetter("probability"),
    "match_weight": attrgetter("match_weight"),
    "explanation": attrgetter("explanation"),
    "cluster_id": attrgetter("cluster_id"),
}


def _insert_pairs(run: DuplicateRun, result: DetectionResult) -> None:
    """Insert the pairs ``SAVE_BATCH`` rows at a time with one ``executemany`` each: what
    ``bulk_create`` writes (each value prepared by its field for this database; the run and
    the defaults once), without a model instance per pair or one statement per 111 rows
    (SQLite's 999 parameters); a million-contact run saves ~100,000 pairs."""
    fields = [f for f in DuplicatePair._meta.concrete_fields if not f.primary_key]
    connection = connections[router.db_for_write(DuplicatePair)]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        quote(DuplicatePair._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    fixed = {"run_id": run.pk}
    columns = []  # (field, getter) per pair, or (None, the prepared value) for every pair
    for f in fields:
        if f.attname in _PAIR_VALUES:
            columns.append((f, _PAIR_VALUES[f.attname]))
        else:
            value = fixed[f.attname] if f.attname in fixed else f.get_default()
            columns.append((None, f.get_db_prep_save(value, connection)))
    with connection.cursor() as cursor:
        for start in range(0, len(result.pairs), SAVE_BATCH):
            cursor.executemany(
                sql,
                [
                    [
                        value if f is None else f.get_db_prep_save(value(p), connection)
                        for f, value in columns
                    ]
                    for p in result.pairs[start : start + SAVE_BATCH]
                ],
            )


def _save(run: DuplicateRun, result: DetectionResult, finished: dt.datetime) -> None:
    with transaction.atomic():
        DuplicatePair.objects.filter(run=run).delete()
        _insert_pairs(run, result)
        _update(
            run,
            status=DuplicateRunStatus.DONE,
            stage=DuplicateRunStage.WAITING,
            progress=100,
            contacts_read=result.contacts,
            pairs_count=len(result.pairs),
            clusters_count=len(result.clusters),
            excluded_count=result.excluded,
            parameters=result.model,
            notes=result.notes,
            finished_at=finished,
        )


def duplicate_run_execute(
    *, run_id: int, on_progress: Callable[[DuplicateRun], None] | None = None
) -> DuplicateRun:
    """Execute a queued run (a run cut off while running starts over); return it finished.

    Side effects: progress updates as it goes; the pairs and counts in one transaction at the
    end. A contact deleted meanwhile (e.g. merged away) loses its pairs with it; a pair whose
    contact vanished before the save is dropped.
    """
    run = DuplicateRun.objects.select_related("created_by").get(pk=run_id)
    if run.status not in {DuplicateRunStatus.QUEUED, DuplicateRunStatus.RUNNING}:
        return run
    actor = run.created_by
    if actor is None or not actor.is_active:
        _update(
            run, status=DuplicateRunStatus.FAILED, finished_at=timezone.now(),
            message=_("The user who started this run no longer exists or is deactivated."),
        )  # fmt: skip
        return run
    _update(
        run, status=DuplicateRunStatus.RUNNING, started_at=timezone.now(), progress=0,
        stage=DuplicateRunStage.READING, contacts_read=0, message="",
    )  # fmt: skip
    on_read, on_stage, check_cancel = _progress_reporter(run, on_progress)
    try:
        check_cancel()
        result = contact_duplicates_detect(
            actor=actor, threshold=run.threshold, on_progress=on_stage, on_read=on_read
        )
        on_stage(DuplicateRunStage.SAVING, 0.0)
        _save(run, _without_vanished(result), timezone.now())
    except DetectionCancelled:
        _update(
            run, status=DuplicateRunStatus.CANCELLED, stage=DuplicateRunStage.WAITING,
            finished_at=timezone.now(),
        )  # fmt: skip
    except Exception as exc:
        # recorded for the people watching the run, then raised for the worker's log
        _update(
            run, status=DuplicateRunStatus.FAILED, finished_at=timezone.now(),
            message=_("Detection stopped: %(error)s") % {"error": exc},
        )  # fmt: skip
        raise
    if on_progress is not None:
        on_progress(run)
    return run


def _without_vanished(result: DetectionResult) -> DetectionResult:
    """Drop the pairs of contacts deleted while the run was comparing."""
    from peyvand.customers.models import Contact

    ids = {i for p in result.pairs for i in (p.a, p.b)}
    if not ids:
        return result
    if len(ids) <= SAVE_BATCH:
        existing = set(Contact.objects.filter(pk__in=ids).values_list("pk", flat=True))
    else:
        # Many ids: one pass over the id range is several times faster than IN lists.
        existing = ids & set(
            Contact.objects.filter(pk__gte=min(ids), pk__lte=max(ids))
            .values_list("pk", flat=True)
            .iterator(chunk_size=SAVE_BATCH)
        )
    if existing == ids:
        return result
    result.pairs = [p for p in result.pairs if p.a in existing and p.b in existing]
    kept = {p.cluster_id for p in result.pairs}
    result.clusters = {k: v for k, v in result.clusters.items() if k in kept}
    return result
