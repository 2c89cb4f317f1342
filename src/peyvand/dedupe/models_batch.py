"""Batch duplicate detection: one row per run, one per likely duplicate pair it found.

A run keeps the trained splink model it used (``parameters``), so a reviewer can see why the
numbers are what they are and the same model can be run again. Its pairs keep the
probability and, per compared field, the level the pair fell in and that level's match weight
(``explanation``): {"name": {"level": "skeleton", "weight": 5.1}, …}; the level codes are
``dedupe.batch.settings.LEVEL_TEXT``.

Wired into the app by ``from peyvand.dedupe.models_batch import *`` in ``dedupe/models.py``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.common.models import PublicIdModel

__all__ = [
    "DuplicatePair",
    "DuplicatePairStatus",
    "DuplicateRun",
    "DuplicateRunStage",
    "DuplicateRunStatus",
]


class DuplicateRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class DuplicateRunStage(models.TextChoices):
    WAITING = "", _("Waiting")
    READING = "reading", _("Reading contacts")
    TRAINING = "training", _("Learning what duplicates look like")
    PREDICTING = "predicting", _("Comparing contacts")
    CLUSTERING = "clustering", _("Grouping duplicates")
    SAVING = "saving", _("Saving the results")


class DuplicatePairStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")
    SKIPPED = "skipped", _("Skipped")


class DuplicateRun(PublicIdModel):
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateRunStatus.choices,
        default=DuplicateRunStatus.QUEUED,
    )  # fmt: skip
    stage = models.CharField(
        _("stage"), max_length=12, choices=DuplicateRunStage.choices, blank=True, default=""
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    threshold = models.FloatField(_("match threshold"))
    contacts_total = models.PositiveIntegerField(_("contacts to compare"), default=0)
    contacts_read = models.PositiveIntegerField(_("contacts read"), default=0)
    pairs_count = models.PositiveIntegerField(_("duplicate pairs"), default=0)
    clusters_count = models.PositiveIntegerField(_("duplicate groups"), default=0)
    excluded_count = models.PositiveIntegerField(_("pairs marked not duplicate"), default=0)
    parameters = models.JSONField(_("trained model"), default=dict, blank=True)
    notes = models.JSONField(default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    cancel_requested = models.BooleanField(default=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("started by"),
    )  # fmt: skip

    class Meta:
        ordering = ["-id"]
        verbose_name = _("duplicate detection run")
        verbose_name_plural = _("duplicate detection runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DuplicateRunStatus.values),
                name="duplicate_run_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__gt=0, threshold__lt=1),
                name="duplicate_run_threshold_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="duplicate_run_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_finished(self) -> bool:
        return self.status in {
            DuplicateRunStatus.DONE,
            DuplicateRunStatus.FAILED,
            DuplicateRunStatus.CANCELLED,
        }


class DuplicatePair(models.Model):
    """Two contacts a run found likely to be one person (``contact_a`` has the smaller id)."""

    run = models.ForeignKey(DuplicateRun, on_delete=models.CASCADE, related_name="pairs")
    # Loose links (no database constraint, nothing on delete), like NotDuplicate's: a merge must
    # not re-point a pair to the survivor (that would pair a record with itself) and its undo
    # re-creates merged records under their old ids. Pairs of a deleted contact drop out of
    # every list through the join.
    contact_a = models.ForeignKey(
        "customers.Contact", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    contact_b = models.ForeignKey(
        "customers.Contact", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    explanation = models.JSONField(_("why"), default=dict)
    # The smallest contact id of the group the pair belongs to at the run's threshold.
    cluster_id = models.BigIntegerField(_("group"))
    status = models.CharField(
        _("status"), max_length=14, choices=DuplicatePairStatus.choices,
        default=DuplicatePairStatus.OPEN,
    )  # fmt: skip

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("duplicate pair")
        verbose_name_plural = _("duplicate pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "contact_a", "contact_b"], name="duplicate_pair_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(contact_a__lt=models.F("contact_b")),
                name="duplicate_pair_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0, probability__lte=1),
                name="duplicate_pair_probability_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DuplicatePairStatus.values),
                name="duplicate_pair_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["run", "cluster_id"], name="duplicate_pair_run_cluster"),
            models.Index(fields=["run", "status"], name="duplicate_pair_run_status"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_a_id} ~ {self.contact_b_id} ({self.probability:.2f})"
