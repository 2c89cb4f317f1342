"""Import jobs and their staging rows.

An import runs in two phases (docs/decisions/0004-imports.md): *check* reads the file,
normalises and validates every row into ``ImportStagedRow``/``ImportStagedValue`` in commits of
10,000 rows (resumable after a crash); *apply* writes every staged row into the customer tables
in ONE transaction and deletes the staging rows in the same transaction, so a killed import
leaves either nothing or everything, and never orphans.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    entity = models.CharField(max_length=20, default="contact")
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
    entity = models.CharField(max_length=20, default="contact")
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
    apply_after_check = models.BooleanField(default=False)
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


class ImportStagedRow(models.Model):
    """One checked, normalised row waiting to be applied (deleted when the import is applied)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+")
    row_number = models.PositiveIntegerField()
    action = models.CharField(max_length=8, default="create")
    match_id = models.BigIntegerField(null=True)
    duplicate_of_row = models.PositiveIntegerField(null=True)
    public_id = models.CharField(max_length=16)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    national_id = models.CharField(max_length=20, blank=True)
    birth_date = models.DateField(null=True)
    lifecycle_stage = models.CharField(max_length=20, blank=True)
    acquisition_source = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True)
    notes = models.TextField(blank=True)
    owner_id = models.BigIntegerField(null=True)
    team_id = models.BigIntegerField(null=True)
    external_id = models.CharField(max_length=100, blank=True)
    primary_email = models.CharField(max_length=254, blank=True)
    primary_phone = models.CharField(max_length=20, blank=True)
    organization = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(max_length=100, blank=True)
    address = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    search_document = models.TextField(blank=True)
    # website/industry for organisation imports
    website = models.CharField(max_length=200, blank=True)
    industry = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "row_number"], name="import_staged_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number}"


class ImportStagedValue(models.Model):
    """Many-valued parts of a staged row: extra emails and phones, tags, custom field values."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+")
    row_number = models.PositiveIntegerField()
    public_id = models.CharField(max_length=16)
    kind = models.CharField(max_length=20)  # e:<kind>, p:<kind>, tag, cf
    position = models.PositiveSmallIntegerField(default=0)
    value = models.TextField()
    definition_id = models.BigIntegerField(null=True)
    columns = models.JSONField(null=True)

    class Meta:
        indexes = [models.Index(fields=["job", "kind"], name="import_value_job_kind")]

    def __str__(self) -> str:
        return f"{self.kind}={self.value}"
