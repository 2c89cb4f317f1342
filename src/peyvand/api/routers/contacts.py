from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.responses import Response

from peyvand.api import hints, inputs, serializers
from peyvand.api.auth import reader, writer
from peyvand.api.errors import BODY_ERRORS, ERRORS, WRITE_ERRORS, ErrorOut
from peyvand.api.merged_away import merged_away
from peyvand.api.pagination import paginate_by, version_from_if_match
from peyvand.api.schemas import (
    ContactMergedAwayOut,
    ContactOut,
    ContactPage,
    ContactSavedOut,
    ContactSummary,
    ContactWrite,
    DuplicateCheckOut,
    HistoryOut,
    TypedDate,
)
from peyvand.common.errors import NotFound
from peyvand.customers import selectors, services
from peyvand.customers.selectors.contacts import contact_summary_page
from peyvand.dedupe.selectors.autofill import contact_autofill_suggestions
from peyvand.dedupe.selectors.hints import contact_draft_from_record, contact_duplicate_hints
from peyvand.dedupe.selectors.merged_away import contact_merged_away_for_user

router = Router(tags=["contacts"])


@router.get("", response={200: ContactPage, **ERRORS}, summary="List contacts")
def contact_list(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    owner: str | None = None,
    team: int | None = None,
    tag: str | None = None,
    lifecycle_stage: str | None = None,
    organization: str | None = None,
    created_after: TypedDate | None = None,
    created_before: TypedDate | None = None,
):
    """Contacts you may see, newest first. Custom field filters: ``cf_<key>=<value>``."""
    filters = inputs.contact_filters(
        request, owner=owner, team=team, tag=tag, lifecycle_stage=lifecycle_stage,
        organization=organization, created_after=created_after, created_before=created_before,
    )  # fmt: skip
    actor = reader(request)
    rows, next_cursor = paginate_by(
        lambda before, count: contact_summary_page(
            actor=actor, filters=filters, before=before, count=count
        ),
        cursor=cursor,
        limit=limit,
    )
    page = {"items": serializers.contact_summaries(rows), "next_cursor": next_cursor}
    # Built from typed columns by one serializer (tested against ContactPage), so the page
    # skips ninja's per-item re-validation, a fifth of this hot endpoint's time.
    return Response(page)


@router.get("/search", response={200: list[ContactSummary], **ERRORS}, summary="Search contacts")
def contact_search(request: HttpRequest, q: str, limit: int = Query(20, ge=1, le=50)):
    """Any part of a name, email, phone (any digits/format), national ID or organisation."""
    found = selectors.contact_search(actor=reader(request), query=q, limit=limit)
    return [serializers.contact_summary(c) for c in found]


def _with_duplicates(actor, contact) -> dict:
    found = contact_duplicate_hints(
        actor=actor, draft=contact_draft_from_record(contact), exclude_public_id=contact.public_id
    )
    return {**serializers.contact_detail(contact), "duplicates": hints.duplicates(found)}


@router.post(
    "",
    response={201: ContactSavedOut, **WRITE_ERRORS, **BODY_ERRORS},
    summary="Create a contact",
)
def contact_create(request: HttpRequest, payload: ContactWrite, response: HttpResponse):
    """Saves the contact and answers with its likely duplicates (``duplicates``)."""
    contact = services.contact_create(actor=writer(request), data=inputs.contact_input(payload))
    contact = selectors.contact_get_for_user(actor=request.auth, public_id=contact.public_id)
    response["ETag"] = contact.etag
    response["Location"] = f"/api/v1/contacts/{contact.public_id}"
    return Status(201, _with_duplicates(request.auth, contact))


@router.post(
    "/duplicates",
    response={
        200: DuplicateCheckOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
        **BODY_ERRORS,
    },
    summary="Check a contact for duplicates before saving it",
)
def contact_duplicates(request: HttpRequest, payload: ContactWrite, exclude: str | None = None):
    """Likely duplicates of the contact in the body and suggestions for its empty fields;
    nothing is saved. Pass ``exclude=<public id>`` when checking an edit of a saved contact."""
    actor = writer(request)
    draft = hints.contact_draft(payload)
    found = contact_duplicate_hints(actor=actor, draft=draft, exclude_public_id=exclude)
    suggested = contact_autofill_suggestions(actor=actor, contact_or_draft=draft, hints=found)
    return {"duplicates": hints.duplicates(found), "suggestions": hints.suggestions(suggested)}


@router.get(
    "/{public_id}",
    response={200: ContactOut, 301: ContactMergedAwayOut, **ERRORS},
    summary="Get a contact",
)
def contact_get(request: HttpRequest, public_id: str, response: HttpResponse):
    """A contact merged into another answers 301: ``Location`` is the record that stayed."""
    actor = reader(request)
    try:
        contact = selectors.contact_get_for_user(actor=actor, public_id=public_id)
    except NotFound:
        moved = contact_merged_away_for_user(actor=actor, public_id=public_id)
        if moved is None:
            raise
        response["Location"] = f"/api/v1/contacts/{moved.survivor.public_id}"
        return Status(301, merged_away(moved))
    response["ETag"] = contact.etag
    return serializers.contact_detail(contact)


@router.patch(
    "/{public_id}",
    response={200: ContactSavedOut, **WRITE_ERRORS, **BODY_ERRORS},
    summary="Update",
)
def contact_update(
    request: HttpRequest, public_id: str, payload: ContactWrite, response: HttpResponse
):
    """Change the fields you send. Send ``If-Match: <ETag>`` to refuse a stale write (412).
    Answers with the contact's likely duplicates (``duplicates``)."""
    contact = services.contact_update(
        actor=writer(request),
        public_id=public_id,
        data=inputs.contact_input(payload),
        expected_version=version_from_if_match(request.headers.get("If-Match"), public_id),
    )
    contact = selectors.contact_get_for_user(actor=request.auth, public_id=contact.public_id)
    response["ETag"] = contact.etag
    return _with_duplicates(request.auth, contact)


@router.delete("/{public_id}", response={204: None, **WRITE_ERRORS}, summary="Delete")
def contact_delete(request: HttpRequest, public_id: str):
    services.contact_delete(actor=writer(request), public_id=public_id)
    return Status(204, None)


@router.get("/{public_id}/history", response={200: list[HistoryOut], **ERRORS})
def contact_history(request: HttpRequest, public_id: str):
    """Who changed which field, when (newest first)."""
    actor = reader(request)
    contact = selectors.contact_get_for_user(actor=actor, public_id=public_id)
    return serializers.history(selectors.contact_history(actor=actor, contact=contact))
