from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from peyvand.api import hints, inputs, serializers
from peyvand.api.auth import reader, writer
from peyvand.api.errors import BODY_ERRORS, ERRORS, WRITE_ERRORS, ErrorOut
from peyvand.api.pagination import paginate, version_from_if_match
from peyvand.api.schemas import (
    DuplicateCheckOut,
    HistoryOut,
    OrganizationOut,
    OrganizationPage,
    OrganizationSavedOut,
    OrganizationSummary,
    OrganizationWrite,
    TypedDate,
)
from peyvand.customers import selectors, services
from peyvand.dedupe.selectors.autofill import organization_autofill_suggestions
from peyvand.dedupe.selectors.hints import (
    organization_draft_from_record,
    organization_duplicate_hints,
)

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
    created_after: TypedDate | None = None,
    created_before: TypedDate | None = None,
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


def _with_duplicates(actor, organization) -> dict:
    found = organization_duplicate_hints(
        actor=actor,
        draft=organization_draft_from_record(organization),
        exclude_public_id=organization.public_id,
    )
    return {**serializers.organization_detail(organization), "duplicates": hints.duplicates(found)}


@router.post("", response={201: OrganizationSavedOut, **WRITE_ERRORS, **BODY_ERRORS})
def organization_create(request: HttpRequest, payload: OrganizationWrite, response: HttpResponse):
    """Saves the organisation and answers with its likely duplicates (``duplicates``)."""
    organization = services.organization_create(
        actor=writer(request), data=inputs.organization_input(payload)
    )
    organization = selectors.organization_get_for_user(
        actor=request.auth, public_id=organization.public_id
    )
    response["ETag"] = organization.etag
    return Status(201, _with_duplicates(request.auth, organization))


@router.post(
    "/duplicates",
    response={
        200: DuplicateCheckOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
        **BODY_ERRORS,
    },
    summary="Check an organisation for duplicates before saving it",
)
def organization_duplicates(
    request: HttpRequest, payload: OrganizationWrite, exclude: str | None = None
):
    """Likely duplicates of the organisation in the body and suggestions for its empty fields;
    nothing is saved. Pass ``exclude=<public id>`` when checking an edit."""
    actor = writer(request)
    draft = hints.organization_draft(payload)
    found = organization_duplicate_hints(actor=actor, draft=draft, exclude_public_id=exclude)
    suggested = organization_autofill_suggestions(
        actor=actor, organization_or_draft=draft, hints=found
    )
    return {"duplicates": hints.duplicates(found), "suggestions": hints.suggestions(suggested)}


@router.get("/{public_id}", response={200: OrganizationOut, **ERRORS})
def organization_get(request: HttpRequest, public_id: str, response: HttpResponse):
    organization = selectors.organization_get_for_user(actor=reader(request), public_id=public_id)
    response["ETag"] = organization.etag
    return serializers.organization_detail(organization)


@router.patch("/{public_id}", response={200: OrganizationSavedOut, **WRITE_ERRORS, **BODY_ERRORS})
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
    return _with_duplicates(request.auth, organization)


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
