"""Every table that holds rows of a contact, found from the model registry when a merge runs.

Nothing here lists models by name: reverse foreign keys, reverse one-to-ones, the through tables
of many-to-many fields (declared on Contact or pointing at it) and any model added later, even
one that exists only in a test, are found by walking ``Contact._meta`` at call time.

Two kinds of pointer are left alone, because they record something *about* a contact id rather
than holding the contact's data:

* django-simple-history's ``Historical*`` rows (the history of a merged-away record stays its own);
* loose pointers (``on_delete=DO_NOTHING`` without a database constraint), such as a merge's
  reference to its survivor, which must keep naming the same id after the merge and its undo.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from simple_history.models import HistoricalChanges


@dataclass(frozen=True)
class UniqueKey:
    """Columns that, together with the contact column, are unique (where ``condition`` holds)."""

    attnames: tuple[str, ...]
    condition: models.Q | None = None


@dataclass(frozen=True)
class Relation:
    """Rows of ``model`` belong to a contact through the foreign key ``field``."""

    model: type[models.Model]
    field: models.ForeignKey

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def attname(self) -> str:
        return self.field.attname

    def rows(self, contact_id: int) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.attname: contact_id}).order_by("pk")

    def unique_keys(self) -> list[UniqueKey]:
        """What a re-pointed row may collide on: one-to-one, unique_together, UniqueConstraint."""
        meta = self.model._meta
        name = self.field.name
        keys = [UniqueKey(())] if self.field.unique else []
        groups: list[tuple[tuple[str, ...], models.Q | None]] = [
            (tuple(names), None) for names in meta.unique_together
        ]
        groups += [
            (tuple(c.fields), c.condition)
            for c in meta.constraints
            if isinstance(c, models.UniqueConstraint) and c.fields
        ]
        for names, condition in groups:
            if name in names:
                others = tuple(meta.get_field(n).attname for n in names if n != name)
                keys.append(UniqueKey(others, condition))
        return keys


def is_history_model(model: type[models.Model]) -> bool:
    return issubclass(model, HistoricalChanges)


def is_loose_pointer(field: models.Field) -> bool:
    return field.remote_field.on_delete is models.DO_NOTHING and not field.db_constraint


def _candidates(target: type[models.Model]):
    """(model, foreign key) pairs pointing at ``target``, before filtering."""
    for item in target._meta.get_fields(include_hidden=True):
        if not item.is_relation:
            continue
        if item.many_to_many and item.concrete:  # Contact.tags: rows live in the through table
            through = item.remote_field.through
            yield through, through._meta.get_field(item.m2m_field_name())
        elif item.many_to_many:  # Organization.contacts: the through table points at us
            through = item.through
            yield through, through._meta.get_field(item.field.m2m_reverse_field_name())
        elif item.auto_created and not item.concrete:  # reverse FK / one-to-one (also hidden)
            yield item.related_model, item.field


def relations_to(target: type[models.Model]) -> list[Relation]:
    """Every relation whose rows must follow a record of ``target`` when it is merged."""
    found: dict[tuple[str, str], Relation] = {}
    for model, field in _candidates(target):
        model = model._meta.concrete_model
        if is_history_model(model) or is_loose_pointer(field):
            continue
        if getattr(field.remote_field, "parent_link", False):  # multi-table inheritance
            continue
        found.setdefault((model._meta.label_lower, field.name), Relation(model, field))
    return sorted(found.values(), key=lambda r: (r.label, r.field.name))


def contact_relations() -> list[Relation]:
    return relations_to(apps.get_model("customers", "Contact"))


def model_for_label(label: str) -> type[models.Model]:
    return apps.get_model(label)
