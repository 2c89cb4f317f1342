"""Import jobs, their saved mappings and their row errors.

An import reads its file in one streaming pass (docs/decisions/0007-single-pass-import.md).
The *check* (dry run) normalises and validates every row and writes only the row errors, the
counts and a preview. The *import* writes the customer tables directly, in batches of 10,000
rows. Each batch commits together with the job's progress: a killed import keeps whole batches
and no partial record, and running it again continues after the last committed row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.common.entities import EntityType
from peyvand.common.models import PublicIdModel


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    APPLYING = "applying", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class DuplicatePolicy(models.TextChoices):
    SKIP = "skip", _("Skip rows that match an existing customer")
    UPDATE = "update", _("Update the existing customer")
    CREATE = "create", _("Create a new record anyway")


class ImportMapping(models.Model):
    """A column mapping saved by name, to reuse for files from the same source."""

    name = models.CharField(_("name"), max_length=100)
    entity = models.CharField(max_length=20, choices=EntityType.choices, default=EntityType.CONTACT)
    mapping = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "name"], name="import_mapping_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(PublicIdModel):
    entity = models.CharField(max_length=20, choices=EntityType.choices, default=EntityType.CONTACT)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    file_path = models.CharField(max_length=500)
    original_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    on_duplicate = models.CharField(
        max_length=8, choices=DuplicatePolicy.choices, default=DuplicatePolicy.SKIP
    )
    size_bytes = models.BigIntegerField(default=0)
    rows_estimate = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    last_row_number = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_error = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    # the first valid rows as they will be stored (dry run), for the review step
    preview = models.JSONField(default=list, blank=True)
    cancel_requested = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    phase_started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"


class ImportRowError(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField()
    column = models.CharField(max_length=255, blank=True)
    value = models.TextField(blank=True)
    reason = models.TextField()
    raw = models.JSONField(default=dict)

    class Meta:
        ordering = ["row_number", "id"]
        indexes = [models.Index(fields=["job", "row_number"], name="import_error_job_row")]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"


class ImportTouchedRange(models.Model):
    """Ids of the records an import created or updated, as inclusive ranges: what "see them"
    after an import lists (``?import=<job>``). A batch's new records have consecutive ids, so
    a million created rows take about one range per batch; each updated record is a range of
    its own (or joins a neighbour). Written in the batch's transaction, with the records."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="touched_ranges")
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()

    class Meta:
        ordering = ["first_id"]
        indexes = [models.Index(fields=["job", "first_id"], name="import_touched_job_first")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_id__lte=models.F("last_id")),
                name="import_touched_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id}–{self.last_id}"
