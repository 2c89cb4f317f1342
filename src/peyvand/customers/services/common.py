"""Pieces of the write path shared by contacts and organisations."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, can
from peyvand.accounts.models import Team, User
from peyvand.common.persian import normalize_text, search_key
from peyvand.customers import normalize
from peyvand.customers.custom_fields import clean_value, is_empty
from peyvand.customers.models import Address, CustomFieldDefinition, CustomFieldValue, Tag
from peyvand.customers.normalize import default_country


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()


def is_set(value: Any) -> bool:
    return value is not UNSET


@dataclass
class AddressInput:
    line: str
    city: str = ""
    province: str = ""
    postal_code: str = ""
    country: str = ""  # "": the default country
    kind: str = "home"


class Errors(dict):
    """Field errors collected over a whole input, raised together."""

    def add(self, key: str, message: str | list[str]) -> None:
        messages = [message] if isinstance(message, str) else list(message)
        self.setdefault(key, []).extend(messages)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def resolve_assignment(
    *,
    actor: User,
    owner: str | None,
    team: int | None,
    errors: Errors,
) -> tuple[User | None, Team | None]:
    """Resolve owner (username) and team (id) and check that the actor may assign them.

    Non-admins may only assign their own teams and users who share one of them, and the record
    must stay visible to them afterwards.
    """
    owner_obj = team_obj = None
    if owner:
        owner_obj = User.objects.filter(username=owner, is_active=True).first()
        if owner_obj is None:
            errors.add("owner", _("There is no active user “%s”.") % owner)
    if team:
        team_obj = Team.objects.filter(pk=team).first()
        if team_obj is None:
            errors.add("team", _("There is no team with id %s.") % team)
    if can(actor, Capability.RECORD_ASSIGN_ANY) or "owner" in errors or "team" in errors:
        return owner_obj, team_obj
    my_teams = set(actor.teams.values_list("id", flat=True))
    if team_obj is not None and team_obj.pk not in my_teams:
        errors.add("team", _("You can only assign records to your own teams."))
    if owner_obj is not None and owner_obj.pk != actor.pk:
        shared = owner_obj.teams.filter(pk__in=my_teams).exists()
        if not shared:
            errors.add("owner", _("You can only assign records to people in your teams."))
    stays_visible = (owner_obj is not None and owner_obj.pk == actor.pk) or (
        team_obj is not None and team_obj.pk in my_teams
    )
    if not stays_visible and "owner" not in errors and "team" not in errors:
        errors.add("team", _("Keep yourself as owner or choose one of your teams."))
    return owner_obj, team_obj


def tags_from_names(names: list[str], errors: Errors) -> list[Tag]:
    tags = []
    for name in names:
        clean = normalize_text(name)[:50]
        if not clean:
            continue
        key = search_key(clean)[:50]
        if not key:
            errors.add("tags", _("“%s” is not a usable tag.") % name)
            continue
        tag = Tag.objects.filter(key=key).first() or Tag.objects.create(name=clean, key=key)
        tags.append(tag)
    return list({t.pk: t for t in tags}.values())


def clean_addresses(addresses: list[AddressInput], errors: Errors) -> list[dict]:
    cleaned = []
    for index, address in enumerate(addresses):
        line = normalize_text(address.line)
        if not line:
            errors.add(f"addresses.{index}.line", _("Type the street address."))
            continue
        try:
            postal_code = normalize.postal_code(address.postal_code)
        except ValidationError as exc:
            errors.add(f"addresses.{index}.postal_code", exc.messages)
            continue
        cleaned.append(
            {
                "line": line,
                "city": normalize_text(address.city),
                "province": normalize_text(address.province),
                "postal_code": postal_code,
                "country": (address.country or default_country()).upper()[:2],
                "kind": address.kind or "home",
            }
        )
    return cleaned


def replace_addresses(record: Model, cleaned: list[dict]) -> None:
    owner_field = record._meta.model_name
    Address.objects.filter(**{owner_field: record}).delete()
    Address.objects.bulk_create(Address(**{owner_field: record}, **data) for data in cleaned)


def clean_custom_values(
    *,
    entity: str,
    values: dict[str, Any],
    errors: Errors,
    creating: bool,
    record_pk: int | None,
) -> dict[CustomFieldDefinition, dict | None]:
    """Validate typed custom field values; None means "clear this field"."""
    definitions = {d.key: d for d in CustomFieldDefinition.objects.filter(entity=entity)}
    result: dict[CustomFieldDefinition, dict | None] = {}
    for key in values:
        definition = definitions.get(key)
        if definition is None or not definition.is_active:
            errors.add(f"custom_fields.{key}", _("There is no custom field “%s”.") % key)
    for key, definition in definitions.items():
        if not definition.is_active:
            continue
        field_key = f"custom_fields.{key}"
        if key not in values:
            if creating and definition.required:
                errors.add(field_key, _("%s is required.") % definition.label)
            continue
        raw = values[key]
        if is_empty(raw):
            if definition.required:
                errors.add(field_key, _("%s is required.") % definition.label)
            else:
                result[definition] = None
            continue
        try:
            columns = clean_value(definition, raw)
        except ValidationError as exc:
            errors.add(field_key, exc.messages)
            continue
        if definition.unique:
            taken = CustomFieldValue.objects.filter(
                definition=definition, value_key=columns["value_key"]
            ).exclude(**{f"{entity}_id": record_pk})
            if taken.exists():
                errors.add(
                    field_key,
                    _("%(label)s “%(value)s” is already used by another record.")
                    % {"label": definition.label, "value": raw},
                )
                continue
        result[definition] = columns
    return result


def write_custom_values(record: Model, cleaned: dict[CustomFieldDefinition, dict | None]) -> None:
    owner_field = record._meta.model_name
    empty = {
        "value_text": "",
        "value_number": None,
        "value_date": None,
        "value_bool": None,
        "value_list": None,
        "value_key": "",
    }
    for definition, columns in cleaned.items():
        lookup = {"definition": definition, owner_field: record}
        if columns is None:
            CustomFieldValue.objects.filter(**lookup).delete()
        else:
            CustomFieldValue.objects.update_or_create(**lookup, defaults={**empty, **columns})
