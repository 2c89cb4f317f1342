""" "Export this view": the list's own URL filters, as CSV, Excel or vCard, streamed.

By default in the reader's layout (headers and values in their language, dates in their
calendar, a right-to-left sheet in Persian); ``layout=machine`` gives the importer's English
column names, stored codes and ISO dates (see ``customers.exports``)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from peyvand.accounts.access import Capability, require
from peyvand.common.entities import EntityType, registry
from peyvand.customers import exports
from peyvand.customers.selectors.records import record_export_rows, record_list, record_search
from peyvand.web.display import language
from peyvand.web.listing import SEARCH_LIMIT, parse_list_query
from peyvand.web.views.common import web_view

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "vcf": "text/vcard; charset=utf-8",
}
LAYOUTS = ("readable", "machine")


def record_export(request: HttpRequest, entity: str) -> HttpResponse:
    """Export what the list at this URL shows (its filters and search), streamed."""
    spec = registry.get(entity)
    require(request.user, Capability.RECORD_EXPORT)
    fmt = request.GET.get("format", "csv")
    if fmt not in CONTENT_TYPES or fmt not in spec.export_formats:
        return HttpResponseBadRequest(_("Choose the format csv, xlsx or (for contacts) vcf."))
    layout = request.GET.get("layout", "readable")
    if layout not in LAYOUTS:
        return HttpResponseBadRequest(_("Choose the layout readable or machine."))
    calendar = request.user.calendar_in_use if layout == "readable" else None
    query = parse_list_query(request.GET, entity=entity, username=request.user.username)
    try:
        records = record_list(actor=request.user, entity=entity, filters=query.filters)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    if query.q:  # a search view exports its (ranked, capped) hits
        found = record_search(actor=request.user, entity=entity, query=query.q,
                              limit=SEARCH_LIMIT)  # fmt: skip
        records = records.filter(pk__in=[r.pk for r in found])
    rows = record_export_rows(entity=entity, records=records, calendar=calendar)
    if fmt == "csv":
        body = exports.csv_chunks(rows)
    elif fmt == "vcf":
        body = spec.export_vcard(records)
    else:
        right_to_left = calendar is not None and language() == "fa"
        body = iter([exports.xlsx_bytes(rows, title=entity, right_to_left=right_to_left)])
    response = StreamingHttpResponse(body, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{entity}s-{stamp}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_GET
@web_view
def contact_export_view(request: HttpRequest) -> HttpResponse:
    return record_export(request, EntityType.CONTACT)


@require_GET
@web_view
def organization_export_view(request: HttpRequest) -> HttpResponse:
    return record_export(request, EntityType.ORGANIZATION)
