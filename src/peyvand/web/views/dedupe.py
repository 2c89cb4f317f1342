"""Live duplicate hints beside the contact and organisation forms (htmx partials).

The form panel POSTs the whole form on change of a name, email, phone or national ID field;
the answer lists likely duplicates with their reasons and auto-fill suggestions with a
"Fill in" button (``static/web/app.js`` copies the value into the form; nothing is saved)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from peyvand.accounts.access import Capability, require
from peyvand.common.jalali import parse_date
from peyvand.dedupe.selectors.autofill import (
    Suggestion,
    contact_autofill_suggestions,
    organization_autofill_suggestions,
)
from peyvand.dedupe.selectors.hints import (
    ContactDraft,
    OrganizationDraft,
    contact_duplicate_hints,
    organization_duplicate_hints,
)
from peyvand.web import display
from peyvand.web.forms.base import LinesField
from peyvand.web.views.common import web_view

FIELD_LABELS = {
    "organization": _("Organisation"),
    "province": _("Province"),
    "city": _("City"),
    "email": _("Email"),
    "phone": _("Phone"),
    "national_id": _("National ID"),
    "birth_date": _("Birth date"),
    "website": _("Website"),
    "industry": _("Industry"),
}


@dataclass(frozen=True)
class Fill:
    """A suggestion as the panel shows it: ``target`` is the form field a button fills
    ("" when the form has no such field, e.g. the province of a contact)."""

    suggestion: Suggestion
    label: str
    target: str = ""
    value: str = ""
    mode: str = "set"  # "set" replaces the value, "line" adds a line to a one-per-line field

    @property
    def shown(self) -> str:
        """The suggested value for reading: dates in the user's calendar, numbers in the
        interface's digits; names, emails and web addresses as they are."""
        field, label = self.suggestion.field, self.suggestion.label
        if field == "birth_date":
            return display.date_text(dt.date.fromisoformat(self.suggestion.value))
        if field in {"phone", "national_id"}:
            return display.digits(label)
        return label


def _lines(data: QueryDict, name: str) -> tuple[str, ...]:
    return tuple(LinesField(required=False).clean(data.get(name, "")))


def _date(text: str) -> dt.date | None:
    try:
        return parse_date(text) if text.strip() else None
    except ValidationError:
        return None


def _empty_org_row(data: QueryDict) -> str:
    rows = sorted(int(k[4:]) for k in data if k.startswith("org_") and k[4:].isdigit())
    empty = [i for i in rows if not data.get(f"org_{i}")]
    return f"org_{empty[0]}" if empty else ""


def _contact_fill(suggestion: Suggestion, data: QueryDict) -> Fill:
    label = str(FIELD_LABELS.get(suggestion.field, suggestion.field))
    value = suggestion.value
    if suggestion.field == "organization":
        return Fill(suggestion, label, _empty_org_row(data), value)
    if suggestion.field in {"email", "phone"}:
        return Fill(suggestion, label, suggestion.field + "s", value, "line")
    if suggestion.field == "national_id":
        return Fill(suggestion, label, "national_id", value)
    if suggestion.field == "birth_date":
        value = display.date_input_value(dt.date.fromisoformat(value))
        return Fill(suggestion, label, "birth_date", value)
    return Fill(suggestion, label)


def _organization_fill(suggestion: Suggestion) -> Fill:
    label = str(FIELD_LABELS.get(suggestion.field, suggestion.field))
    if suggestion.field in {"website", "email", "phone", "national_id", "industry"}:
        return Fill(suggestion, label, suggestion.field, suggestion.value)
    return Fill(suggestion, label)


@require_POST
@web_view
def contact_duplicates_view(request: HttpRequest) -> HttpResponse:
    """The hints panel of the contact form, for the values typed so far."""
    require(request.user, Capability.RECORD_CHANGE)
    data = request.POST
    draft = ContactDraft(
        given_name=data.get("given_name", ""),
        family_name=data.get("family_name", ""),
        display_name=data.get("display_name", ""),
        emails=_lines(data, "emails"),
        phones=_lines(data, "phones"),
        national_id=data.get("national_id", ""),
        country=data.get("country", ""),  # "": the default country
        birth_date=_date(data.get("birth_date", "")),
        organizations=tuple(
            v for k, v in data.items() if k.startswith("org_") and k[4:].isdigit() and v
        ),
    )
    actor = request.user
    hints = contact_duplicate_hints(
        actor=actor, draft=draft, exclude_public_id=request.GET.get("record") or None
    )
    suggestions = contact_autofill_suggestions(actor=actor, contact_or_draft=draft, hints=hints)
    fills = [_contact_fill(s, data) for s in suggestions]
    return render(request, "web/dedupe/_hints.html", {"hints": hints, "fills": fills})


@require_POST
@web_view
def organization_duplicates_view(request: HttpRequest) -> HttpResponse:
    """The hints panel of the organisation form."""
    require(request.user, Capability.RECORD_CHANGE)
    data = request.POST
    draft = OrganizationDraft(
        name=data.get("name", ""),
        emails=_lines(data, "email"),
        phones=_lines(data, "phone"),
        national_id=data.get("national_id", ""),
        website=data.get("website", ""),
        industry=data.get("industry", ""),
    )
    actor = request.user
    hints = organization_duplicate_hints(
        actor=actor, draft=draft, exclude_public_id=request.GET.get("record") or None
    )
    suggestions = organization_autofill_suggestions(
        actor=actor, organization_or_draft=draft, hints=hints
    )
    fills = [_organization_fill(s) for s in suggestions]
    return render(request, "web/dedupe/_hints.html", {"hints": hints, "fills": fills})
