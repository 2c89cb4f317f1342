"""Read list filters from the URL query (so a filtered list is shareable and the back button
works) and run a list: cursor pages when browsing, ranked capped results when searching."""

import dataclasses
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import QueryDict

from peyvand.common.entities import registry
from peyvand.customers.selectors.filters import RecordFilters
from peyvand.web.paging import Page, cursor_page, search_page

SEARCH_LIMIT = 50
CUSTOM_PREFIX = "cf_"
# filters a list page does not take from its URL (typed dates come through the API and CLI)
_NOT_IN_LIST_URL = {"created_after", "created_before", "organization"}


@dataclass
class ListQuery:
    q: str = ""
    cursor: str | None = None
    filters: RecordFilters | None = None
    custom: dict[str, str] = field(default_factory=dict)

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.has_filters)

    @property
    def has_filters(self) -> bool:
        f = self.filters
        return any(getattr(f, item.name) for item in dataclasses.fields(f))


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def parse_list_query(params: QueryDict, *, entity: str, username: str) -> ListQuery:
    owner = (params.get("owner") or "").strip() or None
    if owner == "me":
        owner = username
    custom = {
        key[len(CUSTOM_PREFIX) :]: value.strip()
        for key, value in params.items()
        if key.startswith(CUSTOM_PREFIX) and value.strip()
    }
    values = {
        "owner": owner,
        "team": _int_or_none(params.get("team")),
        "tag": (params.get("tag") or "").strip() or None,
        "import_job": (params.get("import") or "").strip() or None,  # ?import=<job public id>
        "custom": custom,
    }
    filters_class = registry.get(entity).filters or RecordFilters
    for item in dataclasses.fields(filters_class):
        # the record type's own text filters (a contact's stage, an organisation's industry)
        if item.name not in values and item.name not in _NOT_IN_LIST_URL:
            values[item.name] = (params.get(item.name) or "").strip() or None
    filters = filters_class(**values)
    return ListQuery(
        q=(params.get("q") or "").strip(),
        cursor=params.get("cursor") or None,
        filters=filters,
        custom=custom,
    )


@dataclass
class ListResult:
    page: Page
    problems: list[str]


def run_list(query: ListQuery, *, list_selector, search_selector, actor) -> ListResult:
    """Browse (cursor paging) or search (ranked, capped), applying the URL filters to both."""
    try:
        qs = list_selector(actor=actor, filters=query.filters)
    except ValidationError as exc:
        problems = [str(m) for messages in exc.message_dict.values() for m in messages]
        return ListResult(page=Page(rows=[], next_cursor=None, count_text=None), problems=problems)
    if not query.q:
        return ListResult(page=cursor_page(qs, query.cursor), problems=[])
    rows = search_selector(actor=actor, query=query.q, limit=SEARCH_LIMIT)
    if query.has_filters and rows:
        # At most SEARCH_LIMIT ids: keep the ranked order, drop those the filters exclude.
        allowed = set(qs.filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True))
        rows = [r for r in rows if r.pk in allowed]
    return ListResult(page=search_page(rows, SEARCH_LIMIT), problems=[])
