"""Stale edits: what someone else saved meanwhile, beside what this user typed."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.http import QueryDict

from peyvand.web import display
from peyvand.web.forms.base import LinesField

_SKIPPED = {"version", "consent_source"}


@dataclass
class Difference:
    field_id: str
    label: str
    theirs: str
    mine: str


def initial_as_data(form: forms.Form, initial: dict) -> QueryDict:
    """Post-like data for ``form`` holding ``initial`` (to clean the current record the same
    way as the user's input, so only real differences show)."""
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        value = initial.get(name, form.initial.get(name))
        if value is None:
            continue
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(field, forms.MultipleChoiceField):
            data.setlist(name, [str(getattr(v, "pk", v)) for v in value])
        elif isinstance(field, LinesField) and isinstance(value, list | tuple):
            data[name] = "\n".join(str(v) for v in value)
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def _text(field: forms.Field, name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return display.yes_no(value)
    if isinstance(value, dt.date):
        return display.date_text(value)
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): str(v) for k, v in field.choices}
        if isinstance(value, list):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))
    if isinstance(value, list):
        if name == "phones":
            return ", ".join(display.phone_text(v) for v in value)
        return ", ".join(str(v) for v in value)
    return str(value)


def _comparable(value):
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def differences(mine: forms.Form, theirs: forms.Form) -> list[Difference]:
    """Fields whose cleaned value differs between the user's form and the current record."""
    theirs.is_valid()
    result = []
    for name, field in mine.fields.items():
        if name in _SKIPPED or isinstance(field.widget, forms.HiddenInput):
            continue
        my_value = mine.cleaned_data.get(name)
        their_value = theirs.cleaned_data.get(name, theirs.initial.get(name))
        if _comparable(my_value) == _comparable(their_value):
            continue
        result.append(
            Difference(
                field_id=mine[name].auto_id,
                label=str(field.label or name),
                theirs=_text(field, name, their_value),
                mine=_text(field, name, my_value),
            )
        )
    return result
