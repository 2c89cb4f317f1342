from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from peyvand.accounts.models import User
from peyvand.common.errors import NotFound
from peyvand.customers.models import Contact, ContactEmail, ContactOrganization, ContactPhone
from peyvand.customers.selectors.filters import RecordFilters, apply_common_filters
from peyvand.customers.selectors.history import HistoryEntry, history_entries
from peyvand.customers.selectors.visibility import visibility_key, visible_q


@dataclass
class ContactFilters(RecordFilters):
    lifecycle_stage: str | None = None
    organization: str | None = None  # public id


def contact_base_queryset(*, actor: User) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(visible_q(actor))
        .select_related("owner", "team")
        .prefetch_related("emails", "phones", "tags")
    )


def contact_list(*, actor: User, filters: ContactFilters | None = None) -> QuerySet[Contact]:
    """Contacts the actor may see, newest first, filtered. Callers paginate."""
    qs = contact_base_queryset(actor=actor)
    if filters is not None:
        qs = apply_common_filters(qs, filters, entity="contact")
        if filters.lifecycle_stage:
            qs = qs.filter(lifecycle_stage=filters.lifecycle_stage)
        if filters.organization:
            qs = qs.filter(memberships__organization__public_id=filters.organization)
    return qs.order_by("-id")


def contact_get_for_user(*, actor: User, public_id: str, for_update: bool = False) -> Contact:
    """Fetch and authorise in one step; an invisible contact is NotFound (no leak)."""
    qs = contact_base_queryset(actor=actor).prefetch_related(
        "addresses",
        "consents",
        Prefetch(
            "memberships",
            queryset=ContactOrganization.objects.select_related("organization"),
        ),
    )
    if for_update:
        qs = Contact.objects.select_for_update(of=("self",)).filter(visible_q(actor))
    contact = qs.filter(public_id=public_id).first()
    if contact is None:
        raise NotFound("No such contact.")
    return contact


def contact_history(*, actor: User, contact: Contact, limit: int = 50) -> list[HistoryEntry]:
    """Field changes of a contact (and of its emails and phones), newest first."""
    contact_get_for_user(actor=actor, public_id=contact.public_id)
    return history_entries(
        record=contact,
        children=[
            (contact.emails.model.history.filter(contact_id=contact.pk), "email"),
            (contact.phones.model.history.filter(contact_id=contact.pk), "number"),
        ],
        limit=limit,
    )


SUMMARY_COLUMNS = (
    "id", "public_id", "display_name", "lifecycle_stage", "owner__username", "team_id",
    "team__name", "version", "created_at", "updated_at",
)  # fmt: skip


TAG_SEPARATOR = "\x1f"  # the ASCII unit separator: no tag name contains it
_TAG_NAMES_SQL = {
    "postgresql": (
        "SELECT string_agg(t.name, chr(31) ORDER BY t.name) FROM customers_contact_tags ct "
        "JOIN customers_tag t ON t.id = ct.tag_id WHERE ct.contact_id = customers_contact.id"
    ),
    "sqlite": (
        "SELECT group_concat(name, char(31)) FROM (SELECT t.name FROM customers_contact_tags ct "
        "JOIN customers_tag t ON t.id = ct.tag_id WHERE ct.contact_id = customers_contact.id "
        "ORDER BY t.name)"
    ),
}


def _first(model, column: str) -> Subquery:
    """The contact's primary (else first) email or phone, as a correlated subquery."""
    rows = model.objects.filter(contact_id=OuterRef("pk")).order_by("-is_primary", "id")
    return Subquery(rows.values(column)[:1])


# _first as SQL: the same subqueries without resolving two querysets on every call (search
# results are loaded on every keystroke).
_FIRST_SQL = {
    column: f"SELECT {column} FROM {model._meta.db_table} "  # noqa: S608 - fixed names
    f"WHERE contact_id = customers_contact.id ORDER BY is_primary DESC, id LIMIT 1"
    for model, column in ((ContactEmail, "email"), (ContactPhone, "number"))
}


def with_first_contacts(qs: QuerySet[Contact]) -> QuerySet[Contact]:
    """Contacts carrying their primary email and phone (``first_email``/``first_phone``, which
    ``Contact.primary_email``/``primary_phone`` use) and their tags: two queries for a list of
    results instead of four."""
    return (
        qs.select_related("owner", "team")
        .prefetch_related(None)
        .prefetch_related("tags")
        .annotate(
            first_email=RawSQL(_FIRST_SQL["email"], []),  # noqa: S611 - fixed SQL
            first_phone=RawSQL(_FIRST_SQL["number"], []),  # noqa: S611 - fixed SQL
        )
    )


def contact_summary_rows(qs: QuerySet[Contact]) -> QuerySet:
    """A list's columns as plain dicts in ONE query: the contact's fields, owner and team
    names, the first email and phone (the primary one first) and the tag names (joined by
    ``TAG_SEPARATOR``) by correlated subqueries on indexed ``contact_id`` columns — no model
    instances (the list API's hot path)."""

    return (
        qs.select_related(None)
        .prefetch_related(None)
        .values(
            *SUMMARY_COLUMNS,
            primary_email=_first(ContactEmail, "email"),
            primary_phone=_first(ContactPhone, "number"),
            tag_names=RawSQL(_TAG_NAMES_SQL[connection.vendor], []),  # noqa: S611 - fixed SQL
        )
    )


def contact_summary_page(
    *, actor: User, filters: ContactFilters | None = None, before: int | None = None, count: int
) -> list[dict]:
    """Up to ``count`` rows of ``contact_summary_rows(contact_list(...))`` with ``id < before``
    (all when None), newest first.

    Without filters — the list everyone opens — the SQL is compiled once per connection for each
    (visibility key, with/without ``before``, count) and then only executed: building and
    compiling the queryset costs more than running it. The statement is compiled from the
    very queryset the filtered path runs, so the visibility rule is the same."""
    if filters is not None and filters != ContactFilters():
        qs = contact_summary_rows(contact_list(actor=actor, filters=filters))
        if before is not None:
            qs = qs.filter(pk__lt=before)
        return list(qs.order_by("-pk")[:count])
    db = connections[Contact.objects.db]
    statements = db.__dict__.setdefault(_PAGE_STATEMENTS, {})
    key = (visibility_key(actor), before is not None, count)
    statement = statements.get(key)
    if statement is None:
        if len(statements) >= _PAGE_STATEMENTS_PER_CONNECTION:
            statements.clear()
        statement = _PageStatement(db=db, actor=actor, with_before=before is not None,
                                   count=count)  # fmt: skip
        statements[key] = statement
    return statement.run(before)


# Kept on the connection object (one per thread or async context; gone with it), because a
# compiled statement runs on, and converts values with, the connection it was compiled for.
_PAGE_STATEMENTS = "peyvand_contact_page_statements"
_PAGE_STATEMENTS_PER_CONNECTION = 256
# Stands for the cursor while compiling: in the id range (so the lookup is not folded away)
# and never an id, so its one place among the parameters is found by value.
_BEFORE_PLACEHOLDER = -7_340_851_292_019


class _PageStatement:
    """One compiled page query: SQL, parameters (the cursor's slot marked) and converters."""

    def __init__(self, *, db, actor: User, with_before: bool, count: int):
        qs = contact_summary_rows(contact_list(actor=actor))
        if with_before:
            qs = qs.filter(pk__lt=_BEFORE_PLACEHOLDER)
        qs = qs.order_by("-pk")[:count]
        query = qs.query
        self.compiler = query.get_compiler(connection=db)
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # the actor sees nothing (e.g. deactivated): nothing to run
            self.sql, params = None, ()
        self.params = list(params)
        slots = [i for i, p in enumerate(self.params) if p == _BEFORE_PLACEHOLDER]
        if self.sql is not None and len(slots) != (1 if with_before else 0):
            raise AssertionError(f"the cursor's parameter is not in one place: {slots}")
        self.before_slot = slots[0] if slots else None
        self.names = list(query.selected) if query.selected else [
            *query.extra_select, *query.values_select, *query.annotation_select
        ]  # fmt: skip
        fields = [s[0] for s in self.compiler.select[0 : self.compiler.col_count]]
        self.converters = self.compiler.get_converters(fields)

    def run(self, before: int | None) -> list[dict]:
        if self.sql is None:
            return []
        params = self.params
        if self.before_slot is not None:
            params = params.copy()
            params[self.before_slot] = before
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in rows]
