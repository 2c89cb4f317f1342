"""Pages every registered record type shares: its list (browse, search, filters in the URL,
htmx row swaps), its edit page with the stale-edit conflict view, and its delete
confirmation. A record type brings its templates; the steps
are the same for all of them (decision 0013)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, require
from peyvand.accounts.selectors import team_list, user_choices
from peyvand.common.entities import registry
from peyvand.common.errors import StaleVersion
from peyvand.customers.selectors import custom_field_definition_list, tag_list
from peyvand.customers.selectors.records import record_get_for_user, record_list, record_search
from peyvand.customers.services.records import record_delete
from peyvand.web.conflicts import differences, initial_as_data
from peyvand.web.listing import parse_list_query, run_list
from peyvand.web.views.common import is_partial


def filter_choices(actor, entity: str) -> dict:
    """Choices for a list's filter bar (owners, teams, tags, choice-type custom fields)."""
    definitions = [
        d
        for d in custom_field_definition_list(actor=actor, entity=entity)
        if d.field_type in ("choice", "boolean", "multi_choice")
    ]
    return {
        "owners": user_choices(actor=actor),
        "teams": team_list(actor=actor),
        "tags": tag_list(actor=actor)[:200],
        "filter_fields": definitions,
        "filter_keys": {d.key for d in definitions},
    }


def record_list_page(
    request: HttpRequest,
    *,
    entity: str,
    template: str,
    rows_template: str,
    rows_target: str,
    extra: dict | None = None,
) -> HttpResponse:
    """A list page: the whole page, or only its rows when htmx swaps ``#rows_target``."""
    actor = request.user
    query = parse_list_query(request.GET, entity=entity, username=actor.username)

    def listing(*, actor, filters):
        return record_list(actor=actor, entity=entity, filters=filters)

    def search(*, actor, query, limit):
        return record_search(actor=actor, entity=entity, query=query, limit=limit)

    result = run_list(query, list_selector=listing, search_selector=search, actor=actor)
    context = {
        "query": query,
        "page": result.page,
        "problems": result.problems,
        "record_type": _record_type(entity),
    }
    if is_partial(request, rows_target):
        return render(request, rows_template, context)
    context.update(filter_choices(actor, entity), rows_template=rows_template)
    context.update(extra or {})
    return render(request, template, context)


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _record_type(entity: str) -> dict:
    """What the shared list template shows of a record type: names, URLs, export formats.
    The pages of a type are named ``web:<key>_list``, ``_create`` and ``_export``."""
    spec = registry.get(entity)
    return {
        "key": spec.key,
        "title": capfirst(spec.label_plural),
        "new_label": _("New %s") % spec.label,
        "list_url": reverse(spec.list_url),
        "create_url": _url(f"web:{spec.key}_create"),
        "export_url": _url(f"web:{spec.key}_export"),
        "formats": spec.export_formats,
        "importable": spec.import_targets is not None,
    }


def record_delete_page(
    request: HttpRequest, *, entity: str, public_id: str, delete=None
) -> HttpResponse:
    """Ask, then delete (``delete``: the record type's own service when it does more than
    the shared one) and go back to the list."""
    spec = registry.get(entity)
    actor = request.user
    require(actor, Capability.RECORD_DELETE)
    record = record_get_for_user(actor=actor, entity=entity, public_id=public_id)
    if request.method == "POST":
        if delete is not None:
            delete(actor=actor, public_id=public_id)
        else:
            record_delete(actor=actor, model=spec.model, public_id=public_id)
        messages.success(
            request,
            _("%(type)s “%(name)s” deleted.") % {"type": capfirst(spec.label), "name": record},
        )
        return redirect(spec.list_url)
    return render(
        request,
        "web/confirm_delete.html",
        {
            "record": record,
            "title": _("Delete %s") % spec.label,
            "cancel_url": record.get_absolute_url(),
        },
    )


def record_edit_page(
    request: HttpRequest,
    *,
    entity: str,
    public_id: str,
    make_form: Callable[..., Any],
    initial: Callable[[Any], dict],
    update: Callable[..., Any],
    template: str,
    validate_url: str,
) -> HttpResponse:
    """Edit a record: save through ``update`` with the version the form was opened at; a
    stale save (someone else changed it meanwhile) re-opens the form at the current version
    with the user's values and what differs from the stored ones (409).

    ``make_form(data=, record=, validate_url=)`` builds the record type's form; ``initial``
    gives a record's values as the form's initial data."""
    spec = registry.get(entity)
    actor = request.user
    require(actor, Capability.RECORD_CHANGE)
    record = record_get_for_user(actor=actor, entity=entity, public_id=public_id)
    data = request.POST if request.method == "POST" else None
    form = make_form(data=data, record=record, validate_url=validate_url)
    conflict = None
    if data is not None and form.is_valid():
        try:
            record = update(
                actor=actor,
                public_id=public_id,
                data=form.to_input(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except StaleVersion as exc:
            current = record_get_for_user(actor=actor, entity=entity, public_id=public_id)
            theirs = make_form(data=initial_as_data(form, initial(current)), record=current)
            posted = request.POST.copy()
            posted["version"] = str(exc.current_version)
            diffs = differences(form, theirs)
            form = make_form(data=posted, record=current, validate_url=validate_url)
            form.is_valid()
            conflict = {"differences": diffs, "version": exc.current_version}
        else:
            messages.success(
                request,
                _("%(type)s “%(name)s” saved.") % {"type": capfirst(spec.label), "name": record},
            )
            return redirect(record)
    context = {"form": form, spec.key: record, "conflict": conflict}
    return render(request, template, context, status=409 if conflict else 200)
