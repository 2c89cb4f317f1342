"""Admins define custom fields; definitions are data, not schema changes."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, require
from peyvand.accounts.models import User
from peyvand.common.errors import NotFound
from peyvand.common.persian import normalize_text
from peyvand.common.transliterate import latin_key
from peyvand.customers.models import CustomFieldDefinition, CustomFieldType
from peyvand.customers.services.common import UNSET, Errors, is_set

_CHOICE_TYPES = {CustomFieldType.CHOICE, CustomFieldType.MULTI_CHOICE}
KEY_MAX_LENGTH = 50


@dataclass
class CustomFieldInput:
    entity: Any = UNSET
    key: Any = UNSET
    label: Any = UNSET
    field_type: Any = UNSET
    required: Any = UNSET
    unique: Any = UNSET
    help_text: Any = UNSET
    choices: Any = UNSET
    currency: Any = UNSET
    position: Any = UNSET
    is_active: Any = UNSET


def _key_from_label(entity: str, label: str) -> str:
    """A key spelled from the label in Latin letters, unique among ``entity``'s fields:
    «سطح وفاداری» → sth_vfadari, then sth_vfadari_2, sth_vfadari_3…"""
    base = latin_key(label, max_length=KEY_MAX_LENGTH)
    if not base:
        return ""
    taken = set(
        CustomFieldDefinition.objects.filter(
            entity=entity, key__startswith=base[: KEY_MAX_LENGTH - 4]
        ).values_list("key", flat=True)
    )
    key, number = base, 1
    while key in taken:
        number += 1
        suffix = f"_{number}"
        key = base[: KEY_MAX_LENGTH - len(suffix)].rstrip("_") + suffix
    return key


def _apply(definition: CustomFieldDefinition, data: CustomFieldInput, *, creating: bool) -> None:
    errors = Errors()
    for name in ("entity", "field_type", "required", "unique", "position", "is_active"):
        value = getattr(data, name)
        if is_set(value):
            if (
                not creating
                and name in ("entity", "field_type")
                and value != getattr(definition, name)
            ):
                errors.add(name, _("This cannot change once the field exists."))
                continue
            setattr(definition, name, value)
    if is_set(data.label):
        definition.label = normalize_text(data.label)
    if is_set(data.help_text):
        definition.help_text = normalize_text(data.help_text or "")
    if is_set(data.currency):
        definition.currency = (data.currency or "").upper()
    if creating and is_set(data.key) and data.key:
        definition.key = slugify(data.key).replace("-", "_")[:50]
        if not definition.key:
            errors.add("key", _("Give the field a key in Latin letters, e.g. vip_level."))
    elif creating:
        definition.key = _key_from_label(definition.entity, definition.label)
        if not definition.key:
            text = _(
                "No key could be made from this label: give one in Latin letters, e.g. vip_level."
            )
            errors.add("key", text)
    if is_set(data.choices):
        items = data.choices if isinstance(data.choices, list) else str(data.choices).split("\n")
        definition.choices = list(dict.fromkeys(normalize_text(str(c)) for c in items if c))
    if definition.field_type in _CHOICE_TYPES and not definition.choices:
        errors.add("choices", _("List at least one choice."))
    if definition.field_type not in _CHOICE_TYPES:
        definition.choices = []
    if definition.field_type == CustomFieldType.MONEY and not definition.currency:
        from django.conf import settings

        definition.currency = settings.PEYVAND_DEFAULT_CURRENCY
    if definition.unique and definition.field_type in (
        CustomFieldType.BOOLEAN, CustomFieldType.MULTI_CHOICE, CustomFieldType.LONG_TEXT,
    ):  # fmt: skip
        errors.add("unique", _("This type of field cannot be unique."))
    try:
        definition.full_clean(exclude=list(errors.keys()))
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.add("key" if key == "__all__" else key, messages)
    errors.raise_if_any()
    definition.save()


@transaction.atomic
def custom_field_create(*, actor: User, data: CustomFieldInput) -> CustomFieldDefinition:
    require(actor, Capability.SETTINGS_MANAGE)
    definition = CustomFieldDefinition()
    _apply(definition, data, creating=True)
    return definition


@transaction.atomic
def custom_field_update(
    *, actor: User, definition_id: int, data: CustomFieldInput
) -> CustomFieldDefinition:
    require(actor, Capability.SETTINGS_MANAGE)
    definition = CustomFieldDefinition.objects.select_for_update().filter(pk=definition_id).first()
    if definition is None:
        raise NotFound("No such custom field.")
    _apply(definition, data, creating=False)
    return definition


@transaction.atomic
def custom_field_delete(*, actor: User, definition_id: int) -> None:
    """Delete a definition and every value stored for it."""
    require(actor, Capability.SETTINGS_MANAGE)
    deleted, _ = CustomFieldDefinition.objects.filter(pk=definition_id).delete()
    if not deleted:
        raise NotFound("No such custom field.")
