"""Form fields for the admin-defined custom fields of a record, one per definition type."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peyvand.customers.custom_fields import clean_value
from peyvand.customers.models import CustomFieldDefinition, CustomFieldType
from peyvand.web.forms.base import TypedDateField, blank_choice

T = CustomFieldType
PREFIX = "cf_"


def field_name(definition: CustomFieldDefinition) -> str:
    return PREFIX + definition.key


def build_field(definition: CustomFieldDefinition, *, jalali_picker: bool) -> forms.Field:
    label = definition.label
    help_text = definition.help_text
    common: dict[str, Any] = {
        "label": label,
        "required": definition.required,
        "error_messages": {"required": _("%s is required.") % label},
    }
    kind = definition.field_type
    if kind == T.TEXT:
        return forms.CharField(max_length=255, help_text=help_text, **common)
    if kind == T.LONG_TEXT:
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}), help_text=help_text, **common
        )
    if kind in (T.NUMBER, T.MONEY):
        mode = "decimal" if kind == T.NUMBER else "numeric"
        if kind == T.MONEY:
            currency = _("Amount in %s") % definition.currency
            help_text = f"{help_text} ({currency})" if help_text else currency
        return forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": mode}), help_text=help_text, **common
        )
    if kind == T.DATE:
        return TypedDateField(jalali_picker=jalali_picker, help_text=help_text, **common)
    if kind == T.BOOLEAN:
        choices = [*blank_choice(), ("true", _("Yes")), ("false", _("No"))]
        return forms.ChoiceField(choices=choices, help_text=help_text, **common)
    if kind == T.CHOICE:
        choices = blank_choice() + [(c, c) for c in definition.choices or []]
        return forms.ChoiceField(choices=choices, help_text=help_text, **common)
    if kind == T.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in definition.choices or []],
            widget=forms.CheckboxSelectMultiple,
            help_text=help_text,
            **common,
        )
    input_type = {T.URL: "url", T.EMAIL: "email", T.PHONE: "tel"}.get(kind, "text")
    return forms.CharField(
        widget=forms.TextInput(attrs={"inputmode": input_type, "dir": "ltr"}),
        help_text=help_text,
        **common,
    )


def initial_value(definition: CustomFieldDefinition, value: Any) -> Any:
    """The form's initial value for a stored value as ``custom_values_for`` returns it."""
    if value is None:
        return None
    kind = definition.field_type
    if kind == T.DATE:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    if kind == T.BOOLEAN:
        return "true" if value else "false"
    if kind == T.MULTI_CHOICE:
        return list(value)
    return str(value)


class CustomValuesMixin:
    """Adds one form field per active custom field definition and checks values by type."""

    definitions: list[CustomFieldDefinition]

    def add_custom_fields(self, definitions, *, jalali_picker: bool, stored=None) -> None:
        self.definitions = list(definitions)
        stored = stored or {}
        for definition in self.definitions:
            name = field_name(definition)
            field = build_field(definition, jalali_picker=jalali_picker)
            current = stored.get(definition.key)
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.MultipleChoiceField
            ):
                # A value stored before an admin removed the choice stays selectable.
                known = {c for c, _label in field.choices}
                if current not in (None, "") and str(current) not in known:
                    field.choices = [*field.choices, (str(current), str(current))]
            self.fields[name] = field
            if current is not None:
                self.initial[name] = current

    @property
    def custom_bound_fields(self) -> list:
        return [self[field_name(d)] for d in self.definitions]

    def clean_custom_values(self) -> None:
        for definition in self.definitions:
            name = field_name(definition)
            if name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if value in (None, "", []):
                continue
            try:
                clean_value(definition, value)
            except ValidationError as exc:
                self.add_error(name, exc)

    def custom_values(self) -> dict[str, Any]:
        """{key: raw value} for the service; empty values clear the field."""
        values = {}
        for definition in self.definitions:
            value = self.cleaned_data.get(field_name(definition))
            values[definition.key] = "" if value is None else value
        return values


def service_key_to_field(key: str) -> str | None:
    """``custom_fields.vip`` -> ``cf_vip``; other keys unchanged."""
    if key.startswith("custom_fields."):
        return PREFIX + key.split(".", 1)[1]
    return key
