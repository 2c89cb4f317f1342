"""bulk_insert: every row written once and in order, on both databases, in few statements."""

import datetime as dt
import json

import pytest
from django.db import connection

from peyvand.customers.imports import bulk
from peyvand.customers.imports.bulk import bulk_insert
from peyvand.customers.models import Contact, ImportJob, ImportRowError

COLUMNS = ["job_id", "row_number", "column", "value", "reason", "raw"]


@pytest.fixture
def job(django_user_model):
    user = django_user_model.objects.create_user("bulk", password="x")
    return ImportJob.objects.create(
        entity="contact", created_by=user, original_name="a.csv", file_path="a.csv"
    )


def _rows(job, count: int) -> list[tuple]:
    return [
        (job.pk, n, "ایمیل", f"v{n}", f"«{n}» is not an email; it's 'quoted' %s ? %%",
         json.dumps({"ایمیل": f"v{n}"}, ensure_ascii=False))
        for n in range(1, count + 1)
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, 1, 7, 1000, 5461, 12_345])
def test_every_row_is_written_once_and_in_order(job, count):
    rows = _rows(job, count)

    assert bulk_insert(ImportRowError._meta.db_table, COLUMNS, rows) == count

    stored = list(
        ImportRowError.objects.filter(job=job)
        .order_by("id")
        .values_list("row_number", "column", "value", "reason", "raw")
    )
    assert stored == [(*r[1:5], json.loads(r[5])) for r in rows]


@pytest.mark.django_db
def test_a_batch_takes_few_statements_of_few_sizes(job, monkeypatch):
    sizes = []
    original = bulk._values_statement

    def noting(table, column_list, width, count):
        sizes.append(count)
        return original(table, column_list, width, count)

    monkeypatch.setattr(bulk, "_values_statement", noting)

    bulk_insert(ImportRowError._meta.db_table, COLUMNS, _rows(job, 10_000))

    assert ImportRowError.objects.filter(job=job).count() == 10_000
    if connection.vendor == "sqlite":
        # 6 columns: 4,096 rows a statement, the rest in powers of two (10,000 = 2·4096 + 1808),
        # so that sqlite3 keeps a handful of compiled statements, not one per remainder
        assert sizes == [4096, 4096, 1024, 512, 256, 16]
    else:
        assert sizes == []  # one COPY


@pytest.mark.django_db
def test_dates_nulls_and_persian_text_round_trip(django_user_model):
    user = django_user_model.objects.create_user("dates", password="x")
    now = dt.datetime(2026, 3, 21, 8, 30, tzinfo=dt.UTC)
    stamp = connection.ops.adapt_datetimefield_value(now)
    columns = [
        "public_id", "created_at", "updated_at", "given_name", "family_name", "display_name",
        "birth_date", "national_id", "external_id", "country", "preferred_language",
        "preferred_channel", "lifecycle_stage", "acquisition_source", "owner_id", "team_id",
        "notes", "created_by_id", "search_document", "version",
    ]  # fmt: skip
    rows = [
        (f"bulk{n:012d}", stamp, stamp, "علی", "", f"علی {n}",
         connection.ops.adapt_datefield_value(dt.date(1990, 1, n)) if n % 2 else None,
         "", "", "IR", "", "", "lead", "", user.pk, None, "", user.pk, f"علی {n}", 1)
        for n in range(1, 4)
    ]  # fmt: skip

    bulk_insert("customers_contact", columns, rows)

    stored = Contact.objects.order_by("public_id")
    assert list(stored.values_list("display_name", "birth_date", "created_at")) == [
        ("علی 1", dt.date(1990, 1, 1), now),
        ("علی 2", None, now),
        ("علی 3", dt.date(1990, 1, 3), now),
    ]
