"""Field history of core records, from django-simple-history rows, ready to show."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet


@dataclass
class FieldChange:
    field: str
    label: str
    old: object
    new: object


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
