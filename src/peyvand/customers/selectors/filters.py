"""Filters shared by the contact and organisation lists (web, API and CLI parse into these)."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peyvand.customers.custom_fields import filter_key
from peyvand.customers.models import CustomFieldDefinition, CustomFieldValue
from peyvand.customers.selectors.imports import import_touched_q

_MAX_ID = 2**63 - 1  # the largest id a (big) integer key column holds


@dataclass
class RecordFilters:
    owner: str | None = None  # username, or "me" handled by the caller
    team: int | None = None
    tag: str | None = None
    created_after: dt.date | None = None
    created_before: dt.date | None = None
    custom: dict[str, str] = field(default_factory=dict)
    import_job: str | None = None  # public id: the records that import created or updated


def apply_common_filters(qs: QuerySet, filters: RecordFilters, *, entity: str) -> QuerySet:
    if filters.owner:
        qs = qs.filter(owner__username=filters.owner)
    if filters.team:
        if not 0 < filters.team <= _MAX_ID:  # no such row; the database would overflow on it
            raise ValidationError({"team": _("There is no team with id %s.") % filters.team})
        qs = qs.filter(team_id=filters.team)
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag)
    if filters.created_after:
        qs = qs.filter(created_at__date__gte=filters.created_after)
    if filters.created_before:
        qs = qs.filter(created_at__date__lte=filters.created_before)
    if filters.import_job:
        qs = qs.filter(import_touched_q(job_public_id=filters.import_job))
    if filters.custom:
        definitions = {
            d.key: d
            for d in CustomFieldDefinition.objects.filter(entity=entity, key__in=filters.custom)
        }
        for key, raw in filters.custom.items():
            definition = definitions.get(key)
            if definition is None:
                raise ValidationError({f"cf_{key}": _("There is no custom field “%s”.") % key})
            try:
                lookup, value = filter_key(definition, raw)
            except ValidationError as exc:
                raise ValidationError({f"cf_{key}": exc.messages}) from exc
            matching = CustomFieldValue.objects.filter(
                Q(**{lookup: value}), definition=definition
            ).values(entity)
            qs = qs.filter(pk__in=matching)
    return qs
