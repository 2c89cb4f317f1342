"""Rows as plain JSON values, and the ordered log of every row change a merge makes.

A merge changes related rows only through ``ChangeLog`` (re-point, update, delete), so the log
is complete by construction; ``changes_revert`` plays it backwards to undo the merge. Values keep
full precision (microseconds, decimals) so a restored row equals the original field by field.
"""

import base64
import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models
from django.utils.duration import duration_string
from django.utils.translation import gettext as _

from peyvand.common.errors import Conflict
from peyvand.dedupe.relations import model_for_label, relations_to


def value_encode(field: models.Field, value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return field.get_prep_value(value)


def value_decode(field: models.Field, value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def row_dump(instance: models.Model) -> dict[str, Any]:
    """Every concrete column of ``instance`` (by attname), JSON-ready."""
    return {
        f.attname: value_encode(f, getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
    }


def row_load(model: type[models.Model], data: dict[str, Any]) -> models.Model:
    """An unsaved instance with exactly the dumped values (columns added since get defaults)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return model(**{k: value_decode(fields[k], v) for k, v in data.items() if k in fields})


def history_record(instance: models.Model, *, actor, reason: str, update: bool = False) -> None:
    """Add a django-simple-history row for a write that bypassed ``save()`` (no-op if untracked)."""
    manager_name = getattr(instance._meta, "simple_history_manager_attribute", None)
    if manager_name is None:
        return
    getattr(type(instance), manager_name).bulk_history_create(
        [instance], update=update, default_user=actor, default_change_reason=reason
    )


def row_insert(model: type[models.Model], data: dict[str, Any], *, actor, reason: str):
    """Insert a dumped row again with its original primary key and timestamps.

    ``raw`` skips ``auto_now``/``auto_now_add`` and custom save logic (as loading a fixture
    does); the row's history gets a "+" entry naming ``reason``.
    """
    instance = row_load(model, data)
    if model._base_manager.filter(pk=instance.pk).exists():
        raise Conflict(
            _("Cannot restore %(model)s #%(pk)s: a row with that id exists again.")
            % {"model": model._meta.label_lower, "pk": instance.pk}
        )
    instance.save_base(raw=True, force_insert=True)
    history_record(instance, actor=actor, reason=reason)
    return instance


class ChangeLog:
    """Writes related rows during a merge and records each write so it can be reversed."""

    def __init__(self, *, actor, reason: str):
        self.entries: list[dict[str, Any]] = []
        self.actor = actor
        self.reason = reason

    def move(self, model: type[models.Model], pks: list, attname: str, old, new) -> None:
        if not pks:
            return
        model._base_manager.filter(pk__in=pks).update(**{attname: new})
        self.entries.append(
            {"op": "move", "model": model._meta.label_lower, "pks": list(pks),
             "field": attname, "from": old, "to": new}
        )  # fmt: skip

    def update(self, instance: models.Model, values: dict[str, Any]) -> None:
        """Set ``values`` (attname -> value) on one row, keeping the old values for the undo."""
        if not values:
            return
        fields = {f.attname: f for f in instance._meta.concrete_fields}
        old = {k: value_encode(fields[k], getattr(instance, k)) for k in values}
        new = {k: value_encode(fields[k], v) for k, v in values.items()}
        type(instance)._base_manager.filter(pk=instance.pk).update(**values)
        for attname, value in values.items():
            setattr(instance, attname, value)
        self.entries.append(
            {"op": "update", "model": instance._meta.label_lower, "pk": instance.pk,
             "old": old, "new": new}
        )  # fmt: skip

    def delete(self, instance: models.Model) -> None:
        """Delete one row (its full values go into the log); refuse if other rows depend on it."""
        row_dependents_guard(instance)
        self.entries.append(
            {"op": "delete", "model": instance._meta.label_lower, "row": row_dump(instance)}
        )
        instance._history_user = self.actor
        instance._change_reason = self.reason
        instance.delete()


def row_dependents_guard(instance: models.Model) -> None:
    """Deleting a row that others point at would lose them (cascade) or change them (SET_NULL)."""
    for relation in relations_to(type(instance)):
        if relation.rows(instance.pk).exists():
            raise Conflict(
                _(
                    "Cannot merge: %(model)s #%(pk)s duplicates a row of the surviving record "
                    "but %(other)s rows still point at it."
                )
                % {"model": instance._meta.label_lower, "pk": instance.pk, "other": relation.label}
            )


def _missing(model: type[models.Model], pks) -> Conflict:
    return Conflict(
        _(
            "The merge cannot be undone exactly: %(model)s %(pks)s changed or disappeared "
            "after the merge."
        )
        % {"model": model._meta.label_lower, "pks": ", ".join(f"#{pk}" for pk in pks)}
    )


def _revert_one(entry: dict[str, Any], *, actor, reason: str) -> None:
    model = model_for_label(entry["model"])
    manager = model._base_manager
    if entry["op"] == "move":
        moved = manager.filter(pk__in=entry["pks"], **{entry["field"]: entry["to"]})
        if moved.update(**{entry["field"]: entry["from"]}) != len(entry["pks"]):
            raise _missing(model, entry["pks"])
    elif entry["op"] == "update":
        fields = {f.attname: f for f in model._meta.concrete_fields}
        old = {k: value_decode(fields[k], v) for k, v in entry["old"].items()}
        if manager.filter(pk=entry["pk"]).update(**old) != 1:
            raise _missing(model, [entry["pk"]])
    elif entry["op"] == "delete":
        row_insert(model, entry["row"], actor=actor, reason=reason)
    else:
        raise ValueError(f"unknown change {entry['op']!r}")


def changes_revert(entries: list[dict[str, Any]], *, actor, reason: str) -> None:
    """Undo a ChangeLog, newest change first."""
    for entry in reversed(entries):
        _revert_one(entry, actor=actor, reason=reason)
