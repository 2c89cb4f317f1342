""" "Export this view": the list's own URL filters, as CSV, Excel or vCard, streamed."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from peyvand.customers import exports
from peyvand.customers.selectors import (
    contact_list,
    contact_search,
    organization_list,
    organization_search,
)
from peyvand.web.listing import SEARCH_LIMIT, parse_list_query
from peyvand.web.views.common import web_view

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "vcf": "text/vcard; charset=utf-8",
}


def _export(request: HttpRequest, entity: str, list_selector, search_selector) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    if fmt not in CONTENT_TYPES or (fmt == "vcf" and entity != "contact"):
        return HttpResponseBadRequest("format must be csv, xlsx or (for contacts) vcf")
    query = parse_list_query(request.GET, entity=entity, username=request.user.username)
    try:
        records = list_selector(actor=request.user, filters=query.filters)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    if query.q:  # a search view exports its (ranked, capped) hits
        found = search_selector(actor=request.user, query=query.q, limit=SEARCH_LIMIT)
        records = records.filter(pk__in=[r.pk for r in found])
    rows = (exports.contact_rows if entity == "contact" else exports.organization_rows)(records)
    if fmt == "csv":
        body = exports.csv_chunks(rows)
    elif fmt == "vcf":
        body = exports.vcard_chunks(records)
    else:
        body = iter([exports.xlsx_bytes(rows, title=entity)])
    response = StreamingHttpResponse(body, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{entity}s-{stamp}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_GET
@web_view
def contact_export_view(request: HttpRequest) -> HttpResponse:
    return _export(request, "contact", contact_list, contact_search)


@require_GET
@web_view
def organization_export_view(request: HttpRequest) -> HttpResponse:
    return _export(request, "organization", organization_list, organization_search)
