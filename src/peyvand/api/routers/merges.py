"""Merging duplicate contacts, reading a merge, and undoing it."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from peyvand.api import serializers
from peyvand.api.auth import reader, writer
from peyvand.api.errors import BODY_ERRORS, ERRORS, WRITE_ERRORS
from peyvand.api.schemas import ContactOut
from peyvand.customers import selectors as customer_selectors
from peyvand.dedupe import selectors, services
from peyvand.dedupe.models import Merge

router = Router(tags=["merges"])


class MergeIn(Schema):
    others: list[str] = Field(description="Public ids of the records merged into this one.")
    choices: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Field name → public id of the record whose value wins, e.g. "
            '{"birth_date": "…"}. Without a choice the first non-empty value wins, the '
            "surviving record's first."
        ),
    )


class RelationCountOut(Schema):
    model: str
    name: str
    moved: int
    combined: int = Field(description="Duplicates folded into a row the survivor already had.")


class MergedRecordOut(Schema):
    public_id: str
    display_name: str = Field(description="The name as it was when merged.")


class MergeOut(Schema):
    public_id: str
    entity: str
    survivor: str = Field(description="Public id of the surviving record.")
    survivor_name: str = Field(description="The surviving record's name.")
    merged: list[str] = Field(description="Public ids of the records merged into the survivor.")
    merged_records: list[MergedRecordOut] = Field(
        description="The merged records with their names, in the order of ``merged``."
    )
    choices: dict[str, str]
    relations: list[RelationCountOut]
    created_at: dt.datetime
    created_by: str | None
    undone_at: dt.datetime | None
    undone_by: str | None


class MergeResult(Schema):
    merge: MergeOut
    survivor: ContactOut


def _merge_out(request: HttpRequest, merge: Merge) -> dict:
    summary = selectors.merge_summary(actor=request.auth, merge=merge)
    return {
        "public_id": merge.public_id,
        "entity": merge.entity,
        "survivor": summary.survivor_public_id,
        "survivor_name": summary.survivor_name,
        "merged": list(merge.merged_public_ids),
        "merged_records": [
            {"public_id": p, "display_name": summary.name_of(p)} for p in merge.merged_public_ids
        ],
        "choices": dict(merge.choices),
        "relations": [
            {"model": r.label, "name": r.name, "moved": r.moved, "combined": r.combined}
            for r in summary.relations
        ],
        "created_at": merge.created_at,
        "created_by": merge.created_by.username if merge.created_by else None,
        "undone_at": merge.undone_at,
        "undone_by": merge.undone_by.username if merge.undone_by else None,
    }


@router.post(
    "/contacts/{public_id}/merge",
    response={201: MergeResult, **WRITE_ERRORS, **BODY_ERRORS},
    summary="Merge contacts into this one",
)
def contact_merge(request: HttpRequest, public_id: str, payload: MergeIn, response: HttpResponse):
    """Merge ``others`` into the contact in the path; answers the merge and the merged record.

    Every email, phone, tag, address, organisation, consent and custom value is kept (duplicates
    combined). ``POST /merges/{id}/undo`` restores the records exactly.
    """
    merge = services.contact_merge(
        actor=writer(request),
        survivor_public_id=public_id,
        other_public_ids=payload.others,
        choices=payload.choices,
    )
    survivor = customer_selectors.contact_get_for_user(actor=request.auth, public_id=public_id)
    merge = selectors.merge_get_for_user(actor=request.auth, public_id=merge.public_id)
    response["Location"] = f"/api/v1/merges/{merge.public_id}"
    response["ETag"] = survivor.etag
    return Status(
        201,
        {"merge": _merge_out(request, merge), "survivor": serializers.contact_detail(survivor)},
    )


@router.get("/merges/{public_id}", response={200: MergeOut, **ERRORS}, summary="Get a merge")
def merge_get(request: HttpRequest, public_id: str):
    merge = selectors.merge_get_for_user(actor=reader(request), public_id=public_id)
    return _merge_out(request, merge)


@router.post(
    "/merges/{public_id}/undo", response={200: MergeOut, **WRITE_ERRORS}, summary="Undo a merge"
)
def merge_undo(request: HttpRequest, public_id: str):
    """Re-create the merged records with their ids and move everything back (409 when the
    merged record changed since, or the merge was already undone)."""
    services.merge_undo(actor=writer(request), merge_public_id=public_id)
    merge = selectors.merge_get_for_user(actor=request.auth, public_id=public_id)
    return _merge_out(request, merge)
