"""The top bar's global search: contacts and organisations while typing."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peyvand.customers.selectors import contact_search, organization_search
from peyvand.web.views.common import is_partial, web_view

DROPDOWN_LIMITS = (8, 5)
PAGE_LIMITS = (50, 50)


@require_GET
@web_view
def search_view(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()
    partial = is_partial(request, "global-search-results")
    contact_limit, organization_limit = DROPDOWN_LIMITS if partial else PAGE_LIMITS
    contacts = organizations = []
    if query:
        contacts = contact_search(actor=request.user, query=query, limit=contact_limit)
        organizations = organization_search(
            actor=request.user, query=query, limit=organization_limit
        )
    context = {"q": query, "contacts": contacts, "organizations": organizations}
    template = "web/search/_results.html" if partial else "web/search/results.html"
    return render(request, template, context)
