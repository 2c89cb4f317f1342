"""The person record (IDIC "Identify"): one Contact per real customer, with its identity keys."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peyvand.common.entities import Through
from peyvand.common.history import HistoryChanges
from peyvand.common.models import TimeStampedModel
from peyvand.common.records import OwnedRecord


class LifecycleStage(models.TextChoices):
    LEAD = "lead", _("Lead")
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    REPEAT_CUSTOMER = "repeat_customer", _("Repeat customer")
    LAPSED = "lapsed", _("Lapsed")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone")


class EmailKind(models.TextChoices):
    WORK = "work", _("Work")
    PERSONAL = "personal", _("Personal")
    OTHER = "other", _("Other")


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile")
    LANDLINE = "landline", _("Landline")
    WORK = "work", _("Work")
    HOME = "home", _("Home")
    FAX = "fax", _("Fax")
    OTHER = "other", _("Other")


class AddressKind(models.TextChoices):
    HOME = "home", _("Home")
    WORK = "work", _("Work")
    BILLING = "billing", _("Billing")
    SHIPPING = "shipping", _("Shipping")
    OTHER = "other", _("Other")


class Contact(OwnedRecord):
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    display_name = models.CharField(_("display name"), max_length=200)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    national_id = models.CharField(_("national ID"), max_length=20, blank=True, db_index=True)
    external_id = models.CharField(
        _("external ID"), max_length=100, blank=True, db_index=True,
        help_text=_("The id this customer has in another system (imports match on it)."),
    )  # fmt: skip
    country = models.CharField(_("country"), max_length=2, default="IR")
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, blank=True,
        choices=[("fa", _("Persian")), ("en", _("English"))],
    )  # fmt: skip
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, blank=True, choices=Channel.choices
    )
    lifecycle_stage = models.CharField(
        _("lifecycle stage"), max_length=20, choices=LifecycleStage.choices,
        default=LifecycleStage.LEAD, db_index=True,
    )  # fmt: skip
    acquisition_source = models.CharField(_("acquisition source"), max_length=100, blank=True)
    tags = models.ManyToManyField("customers.Tag", blank=True, related_name="contacts")
    notes = models.TextField(_("notes"), blank=True)
    # Matching form of names, emails, phones, IDs and organisations (see common.persian).
    search_document = models.TextField(blank=True, editable=False)

    # History is read per record (by ``id``); indexes on its copies of the searchable columns
    # only slowed every write (a million-row import wrote eleven indexes per history row).
    history = HistoricalRecords(
        excluded_fields=["search_document", "updated_at", "version"],
        no_db_index=["created_at", "public_id", "national_id", "external_id", "lifecycle_stage",
                     "owner", "team", "created_by"],
        bases=[HistoryChanges],
    )  # fmt: skip

    class Meta(OwnedRecord.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lifecycle_stage__in=LifecycleStage.values),
                name="contact_lifecycle_stage_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("web:contact_detail", args=[self.public_id])

    @property
    def primary_email(self) -> str:
        if "first_email" in self.__dict__:  # annotated by selectors.contacts.with_first_contacts
            return self.first_email or ""
        emails = list(self.emails.all())
        primary = next((e for e in emails if e.is_primary), emails[0] if emails else None)
        return primary.email if primary else ""

    @property
    def primary_phone(self) -> str:
        if "first_phone" in self.__dict__:
            return self.first_phone or ""
        phones = list(self.phones.all())
        primary = next((p for p in phones if p.is_primary), phones[0] if phones else None)
        return primary.number if primary else ""


class ContactEmail(TimeStampedModel):
    # Indexes nothing reads cost every imported row (decision 0010): the unique (contact, …)
    # index serves lookups by contact, and no query filters these rows by their creation time.
    created_at = models.DateTimeField(auto_now_add=True)
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="emails", db_index=False
    )
    email = models.EmailField(_("email"), db_index=True)
    kind = models.CharField(max_length=10, choices=EmailKind.choices, default=EmailKind.PERSONAL)
    is_primary = models.BooleanField(default=False)

    history = HistoricalRecords()
    visibility = Through("contact")  # seen exactly when its contact is

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "email"], name="contact_email_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class ContactPhone(TimeStampedModel):
    # Indexes nothing reads cost every imported row (decision 0010): the unique (contact, …)
    # index serves lookups by contact, and no query filters these rows by their creation time.
    created_at = models.DateTimeField(auto_now_add=True)
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="phones", db_index=False
    )
    number = models.CharField(_("phone (E.164)"), max_length=20, db_index=True)
    kind = models.CharField(max_length=10, choices=PhoneKind.choices, default=PhoneKind.MOBILE)
    is_primary = models.BooleanField(default=False)

    history = HistoricalRecords()
    visibility = Through("contact")  # seen exactly when its contact is

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "number"], name="contact_phone_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class Address(TimeStampedModel):
    created_at = models.DateTimeField(auto_now_add=True)  # no index: see ContactEmail
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="addresses"
    )
    organization = models.ForeignKey(
        "customers.Organization", on_delete=models.CASCADE, null=True, blank=True,
        related_name="addresses",
    )  # fmt: skip
    kind = models.CharField(max_length=10, choices=AddressKind.choices, default=AddressKind.HOME)
    line = models.CharField(_("address"), max_length=255)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="IR")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(contact__isnull=False, organization__isnull=True)
                    | models.Q(contact__isnull=True, organization__isnull=False)
                ),
                name="address_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line, self.city, self.province) if p)


class ContactConsent(TimeStampedModel):
    """The current consent of a contact for one channel, with when and where it was given."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    granted = models.BooleanField()
    recorded_at = models.DateTimeField()
    source = models.CharField(_("source"), max_length=100, blank=True)

    visibility = Through("contact")

    class Meta:
        ordering = ["channel"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "channel"], name="contact_consent_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {'yes' if self.granted else 'no'}"
