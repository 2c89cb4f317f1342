"""API bodies → service input dataclasses; fields the client left out stay UNSET."""

import datetime as dt
from typing import get_args, get_origin

from django.http import HttpRequest
from ninja import Schema

from peyvand.customers.selectors import ContactFilters, OrganizationFilters
from peyvand.customers.services import (
    AddressInput,
    ConsentInput,
    ContactInput,
    EmailInput,
    MembershipInput,
    OrganizationInput,
    PhoneInput,
)

_LISTS = {
    "emails": EmailInput,
    "phones": PhoneInput,
    "addresses": AddressInput,
    "consents": ConsentInput,
    "organizations": MembershipInput,
}


def _empty_collection(annotation) -> list | dict | None:
    """``[]`` or ``{}`` for a list or dict field (optional or not), else None."""
    for candidate in (annotation, *get_args(annotation)):
        origin = get_origin(candidate) or candidate
        if origin is list:
            return []
        if origin is dict:
            return {}
    return None


def to_input(payload: Schema, input_class: type):
    values = payload.model_dump(exclude_unset=True)
    fields = type(payload).model_fields
    for name, value in values.items():
        if value is None and name in fields:  # null for a list or a mapping empties it
            empty = _empty_collection(fields[name].annotation)
            if empty is not None:
                values[name] = empty
    for name, item_class in _LISTS.items():
        if name in values and hasattr(input_class, name):
            values[name] = [item_class(**item) for item in values[name]]
    return input_class(**values)


def contact_input(payload: Schema) -> ContactInput:
    return to_input(payload, ContactInput)


def organization_input(payload: Schema) -> OrganizationInput:
    return to_input(payload, OrganizationInput)


def custom_filters(request: HttpRequest) -> dict[str, str]:
    return {k[3:]: v for k, v in request.GET.items() if k.startswith("cf_") and v}


def contact_filters(
    request: HttpRequest,
    *,
    owner: str | None,
    team: int | None,
    tag: str | None,
    lifecycle_stage: str | None,
    organization: str | None,
    created_after: dt.date | None,
    created_before: dt.date | None,
) -> ContactFilters:
    return ContactFilters(
        owner=owner,
        team=team,
        tag=tag,
        lifecycle_stage=lifecycle_stage,
        organization=organization,
        created_after=created_after,
        created_before=created_before,
        custom=custom_filters(request),
    )


def organization_filters(
    request: HttpRequest,
    *,
    owner: str | None,
    team: int | None,
    tag: str | None,
    industry: str | None,
    created_after: dt.date | None,
    created_before: dt.date | None,
) -> OrganizationFilters:
    return OrganizationFilters(
        owner=owner,
        team=team,
        tag=tag,
        industry=industry,
        created_after=created_after,
        created_before=created_before,
        custom=custom_filters(request),
    )
