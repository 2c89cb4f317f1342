"""Merges of duplicate records (with everything needed to undo them) and "not a duplicate" marks.

Both models point at contacts with a *loose* foreign key (``DO_NOTHING``, no database
constraint): a merge deletes the merged-away contacts and its undo re-creates them with the same
primary keys, so these rows must neither block the delete (PROTECT), nor lose the id (SET_NULL),
nor be re-pointed to the survivor. ``dedupe.relations`` leaves such loose pointers alone.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.common.entities import EntityType
from peyvand.common.models import PublicIdModel, TimeStampedModel

# The record types a merge can join today (values of the one vocabulary, EntityType).
MERGEABLE = [EntityType.CONTACT]
MergeEntity = EntityType


class Merge(PublicIdModel):
    """One merge: who survived, who was merged away, and a snapshot that undoes it exactly.

    ``snapshot`` (see ``dedupe.snapshots``) holds the merged-away rows, the survivor's row
    before the merge and an ordered log of every related row that was re-pointed, updated or
    deleted. ``survivor_version`` is the survivor's version right after the merge: an undo
    refuses to overwrite changes made since.
    """

    entity = models.CharField(
        _("record type"), max_length=20, choices=[(e.value, e.label) for e in MERGEABLE],
        default=EntityType.CONTACT,
    )  # fmt: skip
    survivor = models.ForeignKey(
        "customers.Contact", on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="merges", verbose_name=_("surviving record"),
    )  # fmt: skip
    survivor_version = models.PositiveIntegerField()
    merged_public_ids = models.JSONField(_("merged records"), default=list)
    snapshot = models.JSONField(default=dict)
    choices = models.JSONField(_("chosen values"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("merged by"),
    )  # fmt: skip
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("undone by"),
    )  # fmt: skip

    class Meta:
        ordering = ["-id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entity__in=[e.value for e in MERGEABLE]),
                name="merge_entity_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    def get_absolute_url(self) -> str:
        return reverse("web:merge_detail", args=[self.public_id])

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class NotDuplicate(TimeStampedModel):
    """A person said these two contacts are different people: never propose the pair again.

    The pair is stored ordered (``contact_low_id < contact_high_id``) so it is unique whichever
    way round it was marked.
    """

    contact_low = models.ForeignKey(
        "customers.Contact", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    contact_high = models.ForeignKey(
        "customers.Contact", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("not a duplicate")
        verbose_name_plural = _("not duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["contact_low", "contact_high"], name="not_duplicate_pair_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(contact_low__lt=models.F("contact_high")),
                name="not_duplicate_pair_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_low_id} ≠ {self.contact_high_id}"


from peyvand.dedupe.models_batch import *  # noqa: E402, F403 - detection runs and their pairs
