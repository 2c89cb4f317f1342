"""Custom field definitions, tags and the caller's own account."""

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Status

from peyvand.api.auth import reader, writer
from peyvand.api.errors import BODY_ERRORS, ERRORS, WRITE_ERRORS
from peyvand.api.inputs import to_input
from peyvand.api.schemas import CustomFieldOut, CustomFieldWrite, MeOut, TagIn, TagOut
from peyvand.customers import selectors, services

router = Router()


@router.get("/custom-fields", response={200: list[CustomFieldOut], **ERRORS}, tags=["settings"])
def custom_field_list(
    request: HttpRequest,
    entity: Literal["contact", "organization"] | None = None,
    include_inactive: bool = False,
):
    return list(
        selectors.custom_field_definition_list(
            actor=reader(request), entity=entity, include_inactive=include_inactive
        )
    )


@router.post(
    "/custom-fields",
    response={201: CustomFieldOut, **WRITE_ERRORS, **BODY_ERRORS},
    tags=["settings"],
)
def custom_field_create(request: HttpRequest, payload: CustomFieldWrite):
    """Admins only."""
    data = to_input(payload, services.CustomFieldInput)
    return Status(201, services.custom_field_create(actor=writer(request), data=data))


@router.get(
    "/custom-fields/{definition_id}", response={200: CustomFieldOut, **ERRORS}, tags=["settings"]
)
def custom_field_get(request: HttpRequest, definition_id: int):
    return selectors.custom_field_definition_get(actor=reader(request), definition_id=definition_id)


@router.patch(
    "/custom-fields/{definition_id}",
    response={200: CustomFieldOut, **WRITE_ERRORS, **BODY_ERRORS},
    tags=["settings"],
)
def custom_field_update(request: HttpRequest, definition_id: int, payload: CustomFieldWrite):
    data = to_input(payload, services.CustomFieldInput)
    return services.custom_field_update(
        actor=writer(request), definition_id=definition_id, data=data
    )


@router.delete(
    "/custom-fields/{definition_id}", response={204: None, **WRITE_ERRORS}, tags=["settings"]
)
def custom_field_delete(request: HttpRequest, definition_id: int):
    """Deletes the definition and every value stored for it."""
    services.custom_field_delete(actor=writer(request), definition_id=definition_id)
    return Status(204, None)


@router.get("/tags", response={200: list[TagOut], **ERRORS}, tags=["tags"])
def tag_list(request: HttpRequest):
    return list(selectors.tag_list(actor=reader(request))[:1000])


@router.post("/tags", response={201: TagOut, **WRITE_ERRORS, **BODY_ERRORS}, tags=["tags"])
def tag_create(request: HttpRequest, payload: TagIn):
    return Status(
        201, services.tag_create(actor=writer(request), name=payload.name, color=payload.color)
    )


@router.delete("/tags/{tag_id}", response={204: None, **WRITE_ERRORS}, tags=["tags"])
def tag_delete(request: HttpRequest, tag_id: int):
    services.tag_delete(actor=writer(request), tag_id=tag_id)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **ERRORS}, tags=["account"])
def me(request: HttpRequest):
    user = reader(request)
    token = getattr(request, "api_token", None)
    return {
        "username": user.username,
        "role": user.role,
        "language": user.language,
        "calendar": user.calendar,
        "calendar_in_use": user.calendar_in_use,
        "time_zone": user.time_zone,
        "teams": [{"id": t.pk, "name": t.name} for t in user.teams.all()],
        "token_scope": token.scope if token else None,
    }
