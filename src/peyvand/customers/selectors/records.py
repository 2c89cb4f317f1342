"""Reads of any registered record type, by its entry in the entity registry.

A record type that registers its own list, search or export function is read through it;
one that registers only its model is read here with the shared rules — what the actor may see,
the list filters every owned record has, a word search over its text columns, and export
columns taken from its fields. So a new owned model is listed, searched and exported with no
other code (decision 0013).
"""

import datetime as dt
from collections.abc import Iterator

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from peyvand.accounts.access import visible_q_for
from peyvand.accounts.models import User
from peyvand.common.entities import EntitySpec, registry
from peyvand.common.errors import NotFound
from peyvand.common.jalali import format_date
from peyvand.common.persian import search_key
from peyvand.customers.selectors.filters import RecordFilters, apply_common_filters

_TEXT_FIELDS = (models.CharField, models.TextField)
_NOT_SEARCHED = {"public_id", "search_document"}
_NOT_EXPORTED = {"id", "search_document", "version", "created_by"}


def _visible(spec: EntitySpec, actor: User) -> QuerySet:
    return spec.model.objects.filter(visible_q_for(spec.model, actor))


def record_list(*, actor: User, entity: str, filters: RecordFilters | None = None) -> QuerySet:
    """Records of ``entity`` the actor may see, newest first, filtered. Callers paginate."""
    spec = registry.get(entity)
    if spec.list_selector is not None:
        return spec.list_selector(actor=actor, filters=filters)
    qs = _visible(spec, actor)
    if filters is not None:
        qs = apply_common_filters(qs, filters, entity=spec.key)
    return qs.order_by("-id")


def record_get_for_user(*, actor: User, entity: str, public_id: str) -> models.Model:
    """One visible record; an invisible one is NotFound (no leak of its existence)."""
    spec = registry.get(entity)
    if spec.get_for_user is not None:
        return spec.get_for_user(actor=actor, public_id=public_id)
    record = _visible(spec, actor).filter(public_id=public_id).first()
    if record is None:
        raise record_not_found(spec.model)
    return record


def record_not_found(model: type[models.Model]) -> NotFound:
    return NotFound(_("No such %s.") % model._meta.verbose_name)


def _search_fields(spec: EntitySpec) -> list[str]:
    return [
        f.name
        for f in spec.model._meta.concrete_fields
        if isinstance(f, _TEXT_FIELDS) and not f.choices and f.name not in _NOT_SEARCHED
    ]


def record_search(*, actor: User, entity: str, query: str, limit: int = 20) -> list:
    """Visible records of ``entity`` matching every word of ``query``, newest first.

    Registered search functions (contacts and organisations: full-text indexes, typo
    tolerance) are used as they are; otherwise every word must occur in one of the record's
    text columns, compared in the folded form of ``search_key`` when the model keeps a
    ``search_document`` and as typed otherwise.
    """
    spec = registry.get(entity)
    if spec.search is not None:
        return spec.search(actor=actor, query=query, limit=limit)
    words = search_key(query).split()
    if not words:
        return []
    has_document = any(f.name == "search_document" for f in spec.model._meta.concrete_fields)
    fields = ["search_document"] if has_document else _search_fields(spec)
    qs = _visible(spec, actor)
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(any_field)
    return list(qs.order_by("-id")[:limit])


def export_columns(spec: EntitySpec) -> list[str]:
    """Column keys of a generic export: the record's own fields, owner and team by name."""
    names = [
        f.name
        for f in spec.model._meta.concrete_fields
        if f.name not in _NOT_EXPORTED and not f.is_relation
    ]
    # the record's id and its own fields first, the bookkeeping columns after them
    names.sort(key=lambda n: (n != "public_id", n in {"created_at", "updated_at"}))
    owned = [n for n in ("owner", "team") if _is_relation(spec, n)]
    return [*names, *owned]


def _is_relation(spec: EntitySpec, name: str) -> bool:
    return any(f.name == name and f.is_relation for f in spec.model._meta.concrete_fields)


def _cell(record: models.Model, name: str, calendar: str | None) -> str:
    value = getattr(record, name)
    if name in {"owner", "team"}:
        return "" if value is None else str(getattr(value, "username", value))
    if calendar is not None and isinstance(value, dt.date):
        language = "fa" if (translation.get_language() or "fa").startswith("fa") else "en"
        return format_date(value, calendar=calendar, language=language)
    return "" if value is None else str(value)


def record_export_rows(
    *, entity: str, records: QuerySet, calendar: str | None = None
) -> Iterator[list[str]]:
    """Rows of an export (header row first) of records already filtered to what the actor
    may see; ``calendar`` None is the machine layout, else the reader's (dates in it)."""
    spec = registry.get(entity)
    if spec.export_rows is not None:
        yield from spec.export_rows(records, calendar=calendar)
        return
    columns = spec.export_columns() if spec.export_columns else export_columns(spec)
    yield columns
    related = [n for n in ("owner", "team") if n in columns and _is_relation(spec, n)]
    for record in records.select_related(*related).iterator(chunk_size=2000):
        yield [_cell(record, name, calendar) for name in columns]
