"""Field history of core records, from django-simple-history rows, ready to show."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _


@dataclass
class FieldChange:
    field: str
    label: str
    old: object
    new: object
    value_type: str = ""  # a custom field's type, to show its values (e.g. "date")
    about: str = ""  # a "people" change: the public id of the contact it names


@dataclass
class HistoryEntry:
    at: dt.datetime
    user: str
    kind: str  # "created", "changed", "deleted", "added", "removed"
    changes: list[FieldChange] = field(default_factory=list)
    subject: str = ""
    reason: str = ""  # why, when the write said so (e.g. "merge:<merge public id>")


def _user_name(row) -> str:
    user = getattr(row, "history_user", None)
    return user.display if user is not None else ""


def _labels() -> dict[str, str]:
    """Names of what ``history_changes`` records beside a record's columns (see
    customers.services.record_history); custom fields carry their own label."""
    return {
        "tags": _("Tags"),
        "organizations": _("Organisations"),
        "people": _("People"),
        "addresses": _("Addresses"),
    }


def _recorded_changes(row) -> list[FieldChange]:
    labels = _labels()
    return [
        FieldChange(
            item["field"],
            item.get("label") or labels.get(item["field"], item["field"]),
            item.get("old"),
            item.get("new"),
            item.get("type", ""),
            item.get("contact", ""),
        )
        for item in getattr(row, "history_changes", None) or []
    ]


def history_entries(
    *, record: Model, children: list[tuple[QuerySet, str]], limit: int = 50
) -> list[HistoryEntry]:
    entries: list[HistoryEntry] = []
    rows = list(record.history.select_related("history_user").order_by("-history_id")[: limit + 1])
    model = type(record)
    for index, row in enumerate(rows[:limit]):
        reason = row.history_change_reason or ""
        if row.history_type == "+":
            entries.append(
                HistoryEntry(row.history_date, _user_name(row), "created", reason=reason)
            )
            continue
        previous = rows[index + 1] if index + 1 < len(rows) else None
        if previous is None:
            continue
        delta = row.diff_against(previous)
        changes = []
        for change in delta.changes:
            try:
                label = str(model._meta.get_field(change.field).verbose_name)
            except Exception:
                label = change.field
            changes.append(FieldChange(change.field, label, change.old, change.new))
        changes += _recorded_changes(row)
        if changes or reason:
            entries.append(
                HistoryEntry(row.history_date, _user_name(row), "changed", changes, reason=reason)
            )
    for queryset, attribute in children:
        for row in queryset.select_related("history_user").order_by("-history_id")[:limit]:
            kind = {"+": "added", "-": "removed"}.get(row.history_type)
            if kind:
                entries.append(
                    HistoryEntry(
                        row.history_date, _user_name(row), kind, subject=getattr(row, attribute)
                    )
                )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def without_unseen_people(entries: list[HistoryEntry], *, visible: set[str]) -> list[HistoryEntry]:
    """``entries`` less the "people" changes naming a contact whose public id is not in
    ``visible`` (an organisation's history must not show who the reader may not see), and
    less the entries left with nothing to say."""
    kept = []
    for entry in entries:
        changes = [c for c in entry.changes if not c.about or c.about in visible]
        if entry.kind == "changed" and entry.changes and not changes and not entry.reason:
            continue
        entry.changes = changes
        kept.append(entry)
    return kept


def people_named(entries: list[HistoryEntry]) -> set[str]:
    """Public ids of the contacts that "people" changes in ``entries`` name."""
    return {c.about for e in entries for c in e.changes if c.about}
