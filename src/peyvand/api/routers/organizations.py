import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from peyvand.api import inputs, serializers
from peyvand.api.auth import reader, writer
from peyvand.api.errors import ERRORS, WRITE_ERRORS
from peyvand.api.pagination import paginate, version_from_if_match
from peyvand.api.schemas import (
    HistoryOut,
    OrganizationOut,
    OrganizationPage,
    OrganizationSummary,
    OrganizationWrite,
)
from peyvand.customers import selectors, services

router = Router(tags=["organizations"])


@router.get("", response={200: OrganizationPage, **ERRORS}, summary="List organisations")
def organization_list(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    owner: str | None = None,
    team: int | None = None,
    tag: str | None = None,
    industry: str | None = None,
    created_after: dt.date | None = None,
    created_before: dt.date | None = None,
):
    filters = inputs.organization_filters(
        request, owner=owner, team=team, tag=tag, industry=industry,
        created_after=created_after, created_before=created_before,
    )  # fmt: skip
    qs = selectors.organization_list(actor=reader(request), filters=filters)
    rows, next_cursor = paginate(qs, cursor=cursor, limit=limit)
    return {
        "items": [serializers.organization_summary(o) for o in rows],
        "next_cursor": next_cursor,
    }


@router.get("/search", response={200: list[OrganizationSummary], **ERRORS})
def organization_search(request: HttpRequest, q: str, limit: int = Query(20, ge=1, le=50)):
    found = selectors.organization_search(actor=reader(request), query=q, limit=limit)
    return [serializers.organization_summary(o) for o in found]


@router.post("", response={201: OrganizationOut, **WRITE_ERRORS})
def organization_create(request: HttpRequest, payload: OrganizationWrite, response: HttpResponse):
    organization = services.organization_create(
        actor=writer(request), data=inputs.organization_input(payload)
    )
    organization = selectors.organization_get_for_user(
        actor=request.auth, public_id=organization.public_id
    )
    response["ETag"] = organization.etag
    return Status(201, serializers.organization_detail(organization))


@router.get("/{public_id}", response={200: OrganizationOut, **ERRORS})
def organization_get(request: HttpRequest, public_id: str, response: HttpResponse):
    organization = selectors.organization_get_for_user(actor=reader(request), public_id=public_id)
    response["ETag"] = organization.etag
    return serializers.organization_detail(organization)


@router.patch("/{public_id}", response={200: OrganizationOut, **WRITE_ERRORS})
def organization_update(
    request: HttpRequest, public_id: str, payload: OrganizationWrite, response: HttpResponse
):
    organization = services.organization_update(
        actor=writer(request),
        public_id=public_id,
        data=inputs.organization_input(payload),
        expected_version=version_from_if_match(request.headers.get("If-Match"), public_id),
    )
    organization = selectors.organization_get_for_user(
        actor=request.auth, public_id=organization.public_id
    )
    response["ETag"] = organization.etag
    return serializers.organization_detail(organization)


@router.delete("/{public_id}", response={204: None, **WRITE_ERRORS})
def organization_delete(request: HttpRequest, public_id: str):
    services.organization_delete(actor=writer(request), public_id=public_id)
    return Status(204, None)


@router.get("/{public_id}/history", response={200: list[HistoryOut], **ERRORS})
def organization_history(request: HttpRequest, public_id: str):
    actor = reader(request)
    organization = selectors.organization_get_for_user(actor=actor, public_id=public_id)
    return serializers.history(
        selectors.organization_history(actor=actor, organization=organization)
    )
