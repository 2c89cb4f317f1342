"""Merging duplicate contacts: pick the other record, compare side by side, merge, undo."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peyvand.accounts.access import Capability, require
from peyvand.common.errors import Conflict
from peyvand.customers.models import Contact
from peyvand.customers.selectors import contact_get_for_user, contact_search
from peyvand.dedupe.rules import contact_mergeable_fields
from peyvand.dedupe.selectors import contact_merge_preview, merge_get_for_user, merge_summary
from peyvand.dedupe.services import contact_merge, merge_undo
from peyvand.web import display
from peyvand.web.views.common import is_partial, web_view

CANDIDATES_TARGET = "merge-candidates"
CANDIDATE_LIMIT = 10
MAX_RECORDS = 5


def _ids(request: HttpRequest) -> list[str]:
    """Public ids from ``ids=A,B`` (GET or POST) plus ``other=C`` (the pick form)."""
    source = request.POST if request.method == "POST" else request.GET
    raw = [*source.get("ids", "").split(","), source.get("other", "")]
    return [p.strip() for p in raw if p.strip()][:MAX_RECORDS]


def _merge_url(ids: list[str]) -> str:
    return f"{reverse('web:contact_merge')}?ids={','.join(ids)}"


def _value_text(contact: Contact, name: str) -> str:
    value = getattr(contact, name)
    if value is None or value == "":
        return "—"
    if name == "owner":
        return value.display
    if name == "team":
        return value.name
    choices_display = getattr(contact, f"get_{name}_display", None)
    if choices_display is not None:
        return str(choices_display())
    if isinstance(value, dt.date):
        return display.date_text(value)
    return display.digits(value) if name == "national_id" else str(value)


def _comparison_rows(preview) -> list[dict]:
    rows = []
    for item in preview.fields:
        cells = [
            {
                "public_id": contact.public_id,
                "text": _value_text(contact, item.name),
                "checked": contact.public_id == item.chosen,
            }
            for contact in preview.contacts
        ]
        rows.append({"name": item.name, "label": item.label, "differs": item.differs,
                     "cells": cells})  # fmt: skip
    return rows


def _posted_choices(request: HttpRequest) -> dict[str, str]:
    names = {f.name for f in contact_mergeable_fields()}
    return {
        key.removeprefix("choose_"): value
        for key, value in request.POST.items()
        if key.startswith("choose_") and key.removeprefix("choose_") in names
    }


def _pick(request: HttpRequest, ids: list[str]) -> HttpResponse:
    """Choose the record to merge with: search by name, phone or email, or paste its id."""
    contact = contact_get_for_user(actor=request.user, public_id=ids[0]) if ids else None
    query = (request.GET.get("q") or "").strip()
    found = []
    if query:
        found = [
            c
            for c in contact_search(actor=request.user, query=query, limit=CANDIDATE_LIMIT + 1)
            if contact is None or c.pk != contact.pk
        ][:CANDIDATE_LIMIT]
    context = {"contact": contact, "q": query, "candidates": found, "ids": ids}
    if is_partial(request, CANDIDATES_TARGET):
        return render(request, "web/merges/_candidates.html", context)
    return render(request, "web/merges/pick.html", context)


def _preview(request: HttpRequest, ids: list[str], choices: dict | None):
    """The side-by-side preview with the user's choices, or the defaults if those are invalid."""
    error = None
    for attempt in (choices, None):
        try:
            return contact_merge_preview(actor=request.user, public_ids=ids, choices=attempt)
        except ValidationError as exc:
            error = exc
    raise error


def _compare(request: HttpRequest, ids: list[str], choices, errors=()) -> HttpResponse:
    try:
        preview = _preview(request, ids, choices)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_merge_url(ids[:1]))
    ids = [c.public_id for c in preview.contacts]
    columns = [
        {"contact": c, "keep_url": _merge_url([c.public_id, *(p for p in ids if p != c.public_id)])}
        for c in preview.contacts
    ]
    context = {
        "survivor": preview.contacts[0],
        "columns": columns,
        "rows": _comparison_rows(preview),
        "ids": ",".join(ids),
        "errors": errors,
    }
    return render(request, "web/merges/compare.html", context)


@require_http_methods(["GET", "POST"])
@web_view
def contact_merge_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.RECORD_MERGE)
    ids = _ids(request)
    if request.method == "GET" and (len(ids) < 2 or is_partial(request, CANDIDATES_TARGET)):
        return _pick(request, ids)
    if request.method == "GET":
        return _compare(request, ids, None)
    if len(ids) < 2:
        messages.error(request, _("Choose the records to merge first."))
        return _pick(request, ids)
    choices = _posted_choices(request)
    try:
        merge = contact_merge(
            actor=request.user, survivor_public_id=ids[0], other_public_ids=ids[1:],
            choices=choices,
        )  # fmt: skip
    except ValidationError as exc:
        return _compare(request, ids, choices, errors=exc.messages)
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect("web:contact_list")
    messages.success(request, _("Records merged. You can undo the merge on this page."))
    return redirect(merge)


@require_http_methods(["GET"])
@web_view
def merge_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    merge = merge_get_for_user(actor=request.user, public_id=public_id)
    summary = merge_summary(actor=request.user, merge=merge)
    labels = {f.name: f.verbose_name for f in contact_mergeable_fields()}
    taken = [
        (labels.get(name, name), summary.name_of(source) or source)
        for name, source in merge.choices.items()
        if source != summary.survivor_public_id
    ]
    return render(
        request, "web/merges/detail.html", {"merge": merge, "summary": summary, "taken": taken}
    )


@require_POST
@web_view
def merge_undo_view(request: HttpRequest, public_id: str) -> HttpResponse:
    require(request.user, Capability.RECORD_MERGE)
    try:
        merge = merge_undo(actor=request.user, merge_public_id=public_id)
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect("web:merge_detail", public_id=public_id)
    messages.success(request, _("Merge undone: the records are back as they were."))
    return redirect(merge)
