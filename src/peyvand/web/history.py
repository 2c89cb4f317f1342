"""Turn history entries (raw field values) into text a person can read."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from peyvand.dedupe.reasons import MERGED, MERGED_INTO, reason_parse
from peyvand.web import display

_USER_FIELDS = {"owner", "created_by"}


@dataclass
class ShownChange:
    label: str
    old: str
    new: str


@dataclass
class ShownEntry:
    at: dt.datetime
    user: str
    kind: str
    subject: str
    changes: list[ShownChange]
    reason: str = ""
    reason_url: str = ""


def _typed_text(value_type: str, value) -> str:
    """A custom field's value as stored in history (its API form), as the record page shows it."""
    if value_type == "date" and isinstance(value, str):
        return display.date_text(dt.date.fromisoformat(value))
    if value_type == "boolean" and isinstance(value, bool):
        return display.yes_no(value)
    if value_type in ("number", "money") and isinstance(value, int | float):
        return display.number(value)
    if value_type == "phone" and isinstance(value, str):
        return display.phone_text(value)
    return str(value)


def _value_text(model, field_name: str, value, *, users: dict, teams: dict,
                value_type: str = "") -> str:  # fmt: skip
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return _(", ").join(_typed_text(value_type, v) for v in value)
    if value_type:
        return _typed_text(value_type, value)
    if field_name in _USER_FIELDS:
        return users.get(value, _("another user"))
    if field_name == "team":
        return teams.get(value, _("another team"))
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:  # a field removed since: show the raw value
        model_field = None
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return display.yes_no(value)
    if isinstance(value, dt.datetime):
        return display.datetime_text(value)
    if isinstance(value, dt.date):
        return display.date_text(value)
    if field_name == "phone" and isinstance(value, str) and value.startswith("+"):
        return display.phone_text(value)
    return str(value)


def _reason(reason: str, entry_kind: str) -> tuple[str, str]:
    """What a merge reason says to a person, and the merge's page; ("", "") for other reasons."""
    parsed = reason_parse(reason)
    if parsed is None:
        return "", ""
    kind, merge_id = parsed
    if kind == MERGED:
        text = _("Merged duplicate records into this one.")
    elif kind == MERGED_INTO:
        text = _("Merged into another record.")
    elif entry_kind == "created":
        text = _("Restored by undoing a merge.")
    else:
        text = _("A merge was undone.")
    return text, reverse("web:merge_detail", args=[merge_id])


def present(entries, model, *, users: dict, teams: dict) -> list[ShownEntry]:
    shown = []
    for entry in entries:
        changes = [
            ShownChange(
                label=change.label,
                old=_value_text(
                    model,
                    change.field,
                    change.old,
                    users=users,
                    teams=teams,
                    value_type=change.value_type,
                ),
                new=_value_text(
                    model,
                    change.field,
                    change.new,
                    users=users,
                    teams=teams,
                    value_type=change.value_type,
                ),
            )
            for change in entry.changes
        ]
        subject = entry.subject
        if subject.startswith("+") and subject[1:].isdigit():
            subject = display.phone_text(subject)
        reason, reason_url = _reason(entry.reason, entry.kind)
        if entry.kind == "changed" and not changes and not reason:
            continue
        shown.append(
            ShownEntry(entry.at, entry.user, entry.kind, subject, changes, reason, reason_url)
        )
    return shown
