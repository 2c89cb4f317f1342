"""The indexes of the tables an import fills: each one is read by some query (decision 0010).

An index nobody reads still costs every row written — at a million imported contacts about a
second per index. These tests pin the child tables' indexes so one does not come back unnoticed
(Django adds one for every foreign key and every ``db_index`` field of a base class)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexed_columns(table: str) -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        tuple(c["columns"])
        for c in constraints.values()
        if (c["index"] or c["unique"]) and not c["primary_key"] and c["columns"]
    }


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        # lookups by contact use the unique (contact, …) index's leading column; identity keys
        # are matched by value
        ("customers_contactemail", {("contact_id", "email"), ("email",)}),
        ("customers_contactphone", {("contact_id", "number"), ("number",)}),
        (
            "customers_contactorganization",
            {("contact_id", "organization_id"), ("organization_id",)},
        ),
        ("customers_address", {("contact_id",), ("organization_id",)}),
    ],
)
def test_child_tables_carry_only_the_indexes_queries_read(table, expected):
    assert _indexed_columns(table) == expected


def test_a_contacts_emails_and_phones_are_read_through_the_unique_index():
    """Dropping the separate contact_id index must not turn a contact's emails into a scan."""
    from peyvand.customers.models import ContactEmail

    query = str(ContactEmail.objects.filter(contact_id=1).query)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {query}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "SEARCH" in plan and "(contact_id=?)" in plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {query}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "contact_email_unique" in plan
