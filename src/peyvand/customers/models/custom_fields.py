"""Custom fields ("customer profile requirements"): a typed definition table and a value table.

Admins add fields at run time without schema changes; each value lives in the column of its
type, with ``value_key`` holding a normalised form for filtering, search and uniqueness.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.common.entities import EntityType
from peyvand.common.models import TimeStampedModel

# Custom fields attach to any registered record type (peyvand.common.entities).
CustomFieldEntity = EntityType


class CustomFieldType(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    MONEY = "money", _("Money")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes/no")
    CHOICE = "choice", _("Choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    URL = "url", _("URL")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")


class CustomFieldDefinition(TimeStampedModel):
    entity = models.CharField(_("record type"), max_length=20, choices=EntityType.choices)
    key = models.SlugField(_("key"), max_length=50, help_text=_("Used in the API and imports."))
    label = models.CharField(_("label"), max_length=100)
    field_type = models.CharField(_("type"), max_length=20, choices=CustomFieldType.choices)
    required = models.BooleanField(_("required"), default=False)
    unique = models.BooleanField(_("unique"), default=False)
    help_text = models.CharField(_("help text"), max_length=255, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["entity", "position", "id"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        constraints = [
            models.UniqueConstraint(fields=["entity", "key"], name="custom_field_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class CustomFieldValue(models.Model):
    definition = models.ForeignKey(
        CustomFieldDefinition, on_delete=models.CASCADE, related_name="values"
    )
    contact = models.ForeignKey(
        "customers.Contact", on_delete=models.CASCADE, null=True, blank=True,
        related_name="custom_values",
    )  # fmt: skip
    organization = models.ForeignKey(
        "customers.Organization", on_delete=models.CASCADE, null=True, blank=True,
        related_name="custom_values",
    )  # fmt: skip
    value_text = models.TextField(blank=True)
    value_number = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    value_date = models.DateField(null=True, blank=True)
    value_bool = models.BooleanField(null=True, blank=True)
    value_list = models.JSONField(null=True, blank=True)
    value_key = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "contact"], name="custom_value_contact_unique",
                condition=models.Q(contact__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["definition", "organization"], name="custom_value_org_unique",
                condition=models.Q(organization__isnull=False),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(contact__isnull=False, organization__isnull=True)
                    | models.Q(contact__isnull=True, organization__isnull=False)
                ),
                name="custom_value_has_one_owner",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.definition.key}={self.value_key}"
