"""Form plumbing shared by every Peyvand form: Bootstrap classes, inline validation, dates."""

import datetime as dt
import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from peyvand.common.jalali import parse_date
from peyvand.web import display

_SPLIT = re.compile(r"[\n\r,;،؛]+")


class StyledBoundField(BoundField):
    """Adds Bootstrap classes, ``is-invalid`` and htmx blur-validation attributes to widgets."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(
            widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.HiddenInput):
            return attrs
        else:
            css = "form-control"
        if isinstance(widget, forms.TextInput | forms.Textarea) and "dir" not in widget.attrs:
            # Persian text in an English page (and the reverse) keeps its own direction.
            attrs.setdefault("dir", "auto")
        classes = [attrs.get("class", ""), css]
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(c for c in classes if c)
        described = [a for a in [attrs.get("aria-describedby", "")] if a]
        described.append(f"{self.auto_id}_feedback")
        attrs["aria-describedby"] = " ".join(described)
        validate_url = getattr(self.form, "validate_url", None)
        typed = isinstance(widget, forms.widgets.Input | forms.Textarea) and not isinstance(
            widget, forms.CheckboxInput
        )
        if validate_url and typed:
            attrs.update(
                {
                    "hx-post": validate_url,
                    "hx-trigger": "change",
                    "hx-target": f"#{self.auto_id}_feedback",
                    "hx-swap": "innerHTML",
                    "hx-include": "closest form",
                    "hx-vals": json.dumps({"_field": self.name}),
                }
            )
        return attrs

    @property
    def is_checkbox(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)

    @property
    def is_multi_checkbox(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxSelectMultiple)


class StyledForm(forms.Form):
    bound_field_class = StyledBoundField
    validate_url: str | None = None

    def hint_for(self, name: str) -> str:
        """A short note shown under a valid field after blur (e.g. the normalised phone)."""
        return ""

    def add_service_errors(self, error: ValidationError, mapping) -> None:
        """Attach a service ValidationError to form fields; ``mapping(key)`` -> field or None."""
        if hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                field = mapping(key)
                if field is not None and field not in self.fields:
                    field = None
                for item in errors:
                    for message in item.messages if hasattr(item, "messages") else [item]:
                        self.add_error(field, message)
        else:
            for message in error.messages:
                self.add_error(None, message)

    def error_summary(self) -> list[tuple[str, str, str]]:
        """[(field id or "", label, message)] for the summary at the top of a form."""
        summary = []
        for name, errors in self.errors.items():
            if name == "__all__":
                summary.extend(("", "", str(m)) for m in errors)
                continue
            bound = self[name]
            summary.extend((bound.auto_id, str(bound.label), str(m)) for m in errors)
        return summary


class LinesField(forms.CharField):
    """Several values typed one per line (commas and semicolons also separate)."""

    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [part.strip() for part in _SPLIT.split(text) if part.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class CommaListField(LinesField):
    widget = forms.TextInput

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            separator = "، " if display.language() == "fa" else ", "
            return separator.join(str(v) for v in value)
        return value


class TypedDateField(forms.CharField):
    """A date typed in Jalali or Gregorian, Persian or ASCII digits, with ``/`` or ``-``."""

    def __init__(self, *, jalali_picker: bool = False, max_today: bool = False, **kwargs):
        attrs = {"inputmode": "numeric", "autocomplete": "off"}
        if jalali_picker:
            attrs["data-jdp"] = ""
            if max_today:
                attrs["data-jdp-max-date"] = "today"
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "1403/01/15" if jalali_picker else "2024-04-03")

    def to_python(self, value):
        if isinstance(value, dt.date):
            return value
        text = (value or "").strip()
        if not text:
            return None
        return parse_date(text)

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return display.date_input_value(value)
        return value


def blank_choice(label: str = "—") -> list[tuple[str, str]]:
    return [("", label)]
