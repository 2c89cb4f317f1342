from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peyvand.common.history import HistoryChanges
from peyvand.common.models import TimeStampedModel
from peyvand.common.records import OwnedRecord


class Organization(OwnedRecord):
    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True, db_index=True)
    national_id = models.CharField(_("national ID"), max_length=20, blank=True, db_index=True)
    external_id = models.CharField(
        _("external ID"), max_length=100, blank=True, db_index=True,
        help_text=_("The id this customer has in another system (imports match on it)."),
    )  # fmt: skip
    tags = models.ManyToManyField("customers.Tag", blank=True, related_name="organizations")
    notes = models.TextField(_("notes"), blank=True)
    contacts = models.ManyToManyField(
        "customers.Contact", through="customers.ContactOrganization", related_name="organizations"
    )
    search_document = models.TextField(blank=True, editable=False)

    # read per record (by ``id``): no indexes on its copies of the searchable columns
    history = HistoricalRecords(
        excluded_fields=["search_document", "updated_at", "version"],
        no_db_index=["created_at", "public_id", "email", "phone", "national_id", "external_id",
                     "owner", "team", "created_by"],
        bases=[HistoryChanges],
    )  # fmt: skip

    class Meta(OwnedRecord.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:organization_detail", args=[self.public_id])


class ContactOrganization(TimeStampedModel):
    # no index on these two: the unique (contact, organization) index serves lookups by
    # contact, and nothing filters memberships by creation time (decision 0010)
    created_at = models.DateTimeField(auto_now_add=True)
    contact = models.ForeignKey(
        "customers.Contact", on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "organization"], name="contact_organization_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} @ {self.organization}"
