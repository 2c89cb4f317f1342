"""One vocabulary of record types and one registry of what each type needs from the rest.

Each app registers a spec per entity in its ``AppConfig.ready()``; search, listing, exports,
custom fields, imports and merges look the spec up instead of naming models or comparing
strings. A new entity (a deal, a ticket) registers one spec; nothing else changes.

The spec holds plain callables and names, resolved lazily: ``common`` sits at the bottom of
the import graph and knows nothing of the apps that fill it (decision 0013).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityType(models.TextChoices):
    """Every record type Peyvand knows. The one vocabulary: custom fields, imports, merges and
    exports store these values."""

    CONTACT = "contact", _("Contact")
    ORGANIZATION = "organization", _("Organisation")


@dataclass(frozen=True)
class Through:
    """Visibility of a record reached through a parent record (a note through its contact):
    visible exactly when the parent is. ``field`` names the foreign key to the parent."""

    field: str


OWNED = "owned"  # visible by its own owner and team fields (peyvand.common.records)


@dataclass(frozen=True)
class EntitySpec:
    """What the rest of Peyvand needs to know about one record type.

    Only ``key`` and ``model`` are required; an entity without a ``search`` is not searched,
    one without ``export_rows`` not exported, and so on.
    """

    key: str
    model: type[models.Model]
    # how it is seen, when the model does not say so itself (peyvand.accounts.access)
    visibility: str | Through = OWNED
    # reads: list_selector(actor=, filters=) -> QuerySet; search(actor=, query=, limit=) -> list
    list_selector: Callable[..., Any] | None = None
    filters: type | None = None
    search: Callable[..., list] | None = None
    get_for_user: Callable[..., Any] | None = None
    # exports: column keys of the shared export (default: the model's own fields)
    export_columns: Callable[[], list[str]] | None = None
    # export_rows(records, calendar=None) -> rows, the header row first; calendar None is
    # the machine layout (codes, ISO dates), else the reader's (decision 0013)
    export_rows: Callable[..., Iterator[list]] | None = None
    # export_vcard(records) -> bytes chunks, for record types that are people
    export_vcard: Callable[..., Iterator[bytes]] | None = None
    # imports: the fields a file's columns can be mapped to ({target: label}) and the headers
    # that name each of them ({target: [header, ...]}, any language)
    import_targets: Callable[[], dict] | None = None
    import_synonyms: Callable[[], dict[str, list[str]]] | None = None
    # how a file's row becomes a record of this type (customers.imports.rows.RowShape)
    import_rows: Any = None
    # how a batch of those records is written (customers.imports.write.ImportBatch subclass)
    import_writer: Any = None
    # merges: merge(actor=, survivor=, others=, choices=) -> merge record
    merge: Callable[..., Any] | None = None
    custom_fields: bool = False
    detail_url: str = ""  # URL name taking the public id
    list_url: str = ""
    timeline_label: Any = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def export_formats(self) -> tuple[str, ...]:
        return ("csv", "xlsx", "vcf") if self.export_vcard else ("csv", "xlsx")

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def label_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)


class UnknownEntity(LookupError):
    pass


class _Registry:
    def __init__(self) -> None:
        self._by_key: dict[str, EntitySpec] = {}

    def register(self, spec: EntitySpec) -> EntitySpec:
        known = self._by_key.get(spec.key)
        if known is not None and known.model is not spec.model:
            raise ValueError(f"entity {spec.key!r} is already registered for {known.model}")
        self._by_key[spec.key] = spec
        return spec

    def update(self, key: str, **changes: Any) -> EntitySpec:
        """Add to a registered spec (an app above the one that registered it, e.g. dedupe
        adding the merge of contacts)."""
        spec = replace(self.get(key), **changes)
        self._by_key[key] = spec
        return spec

    def unregister(self, key: str) -> None:
        self._by_key.pop(key, None)

    def get(self, key: str) -> EntitySpec:
        try:
            return self._by_key[key]
        except KeyError:
            raise UnknownEntity(key) from None

    def for_model(self, model: type[models.Model] | models.Model) -> EntitySpec:
        concrete = model if isinstance(model, type) else type(model)
        for spec in self._by_key.values():
            if spec.model is concrete or issubclass(concrete, spec.model):
                return spec
        raise UnknownEntity(concrete.__name__)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[EntitySpec]:
        return iter(list(self._by_key.values()))

    def names(self, *, having: str | None = None) -> list[str]:
        """Registered keys, optionally only those whose spec sets ``having`` (e.g. "search")."""
        return [s.key for s in self if having is None or getattr(s, having)]


registry = _Registry()
