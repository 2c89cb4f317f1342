"""Imports through the real entry points: the CLI command and the services behind the web."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from peyvand.customers.imports import write as write_module
from peyvand.customers.models import Contact, ContactPhone, ImportJob, ImportRowError
from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.customers.services.imports import import_job_create, import_job_start

pytestmark = pytest.mark.django_db


def _write_csv(path: Path, rows, encoding="utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _import(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue()


def _fail_batch(monkeypatch, number: int, message: str) -> None:
    """Make the ``number``-th batch that creates contacts raise ``RuntimeError(message)``."""
    original = write_module.ContactImportBatch._create
    calls = {"n": 0}

    def failing(self, creation):
        calls["n"] += 1
        if calls["n"] == number:
            raise RuntimeError(message)
        return original(self, creation)

    monkeypatch.setattr(write_module.ContactImportBatch, "_create", failing)


def test_mixed_rows_good_ones_imported_bad_ones_reported(users, tmp_path, persian_rows):
    path = _write_csv(tmp_path / "p.csv", persian_rows)
    report = tmp_path / "errors.csv"
    output = _import("contacts", str(path), "--user", "agent_n", "--errors", str(report))
    assert "created: 2" in output
    assert "row 3 [ایمیل]: “bad-email” is not an email address." in output
    ali = Contact.objects.get(family_name="رضایی")
    assert ali.given_name == "علی"
    assert ali.primary_phone == "+989121234567"
    assert str(ali.birth_date) == "1991-04-04"
    assert ali.owner.username == "agent_n" and ali.team.name == "North"
    assert [m.organization.name for m in ali.memberships.all()] == ["پارس"]
    assert ali.history.get().history_type == "+"
    mina = Contact.objects.get(given_name="مینا")
    assert sorted(t.name for t in mina.tags.all()) == ["VIP", "طلایی"]
    with open(report, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][-3:] == ["row", "column", "reason"]
    assert rows[1][:4] == ["سارا", "کریمی", "0935 111 2233", "bad-email"]
    assert rows[1][-3:] == ["3", "ایمیل", "“bad-email” is not an email address."]
    job = ImportJob.objects.get()
    assert (job.rows_checked, job.rows_valid, job.rows_error, job.last_row_number) == (3, 2, 1, 4)


def test_imported_contacts_are_found_by_search(users, tmp_path, persian_rows):
    from peyvand.customers.selectors import contact_search

    _import("contacts", str(_write_csv(tmp_path / "p.csv", persian_rows)), "--user", "agent_n")
    found = contact_search(actor=users["agent_n"], query="علي رضايي")
    assert [c.display_name for c in found] == ["علی رضایی"]
    assert [
        c.display_name for c in contact_search(actor=users["agent_n"], query="09120001111")
    ] == ["مینا احمدی"]


def test_imported_names_join_the_typo_vocabulary(users, tmp_path, persian_rows):
    """A misspelt imported name is found: the import adds its name words to the vocabulary."""
    from peyvand.customers.models import SearchWord
    from peyvand.customers.selectors import contact_search

    _import("contacts", str(_write_csv(tmp_path / "p.csv", persian_rows)), "--user", "agent_n")
    assert SearchWord.objects.filter(variant="احمدی", word="احمدی").exists()
    found = contact_search(actor=users["agent_n"], query="مینا اخمدی")
    assert [c.display_name for c in found] == ["مینا احمدی"]


def test_dry_run_writes_nothing(users, tmp_path, persian_rows):
    output = _import(
        "contacts", str(_write_csv(tmp_path / "p.csv", persian_rows)), "--dry-run",
        "--user", "agent_n",
    )  # fmt: skip
    assert "dry run: nothing was written" in output
    assert Contact.objects.count() == 0
    job = ImportJob.objects.get()
    assert (job.status, job.rows_valid, job.rows_error) == ("checked", 2, 1)


@pytest.mark.parametrize("snapshot", [False, True], ids=["per-key", "snapshot"])
@pytest.mark.parametrize(
    ("policy", "expected_count", "expected_name"),
    [("skip", 1, "Old"), ("update", 1, "علی"), ("create", 2, "Old")],
)
def test_duplicate_policies(
    users, tmp_path, monkeypatch, policy, expected_count, expected_name, snapshot
):
    """The same decisions whether existing keys are looked up per key or found through the
    hash snapshot of a large file (imports/keys.py)."""
    from peyvand.customers.imports import keys

    if snapshot:
        monkeypatch.setattr(keys, "SNAPSHOT_FROM_ROWS", 0)
    contact_create(
        actor=users["agent_n"],
        data=ContactInput(given_name="Old", phones=[PhoneInput("09121234567")]),
    )
    rows = [["نام", "موبایل", "ایمیل"], ["علی", "+98 912 123 4567", "new@x.com"]]
    output = _import(
        "contacts", str(_write_csv(tmp_path / "d.csv", rows)), "--on-duplicate", policy,
        "--user", "agent_n",
    )  # fmt: skip
    assert Contact.objects.count() == expected_count
    oldest = Contact.objects.order_by("id").first()
    assert oldest.given_name == expected_name
    if policy == "update":
        assert "updated: 1" in output
        assert sorted(e.email for e in oldest.emails.all()) == ["new@x.com"]
        assert oldest.version == 2


def test_within_file_duplicates_skipped(users, tmp_path):
    rows = [["name", "phone"], ["A", "09121234567"], ["A again", "۰۹۱۲۱۲۳۴۵۶۷"]]
    output = _import("contacts", str(_write_csv(tmp_path / "w.csv", rows)), "--user", "agent_n")
    assert "created: 1" in output and "skipped: 1" in output


def test_failure_inside_a_batch_leaves_nothing_of_it_and_can_be_resumed(
    users, tmp_path, persian_rows, monkeypatch
):
    """Given a crash while a batch is being written, none of the batch is kept (not even the
    contacts written before the crash); resuming writes it whole."""
    path = _write_csv(tmp_path / "p.csv", persian_rows)
    original = write_module.ImportBatch._insert_history

    def explode(self, ids):
        original(self, ids)  # contacts, emails, phones, history: all written, then…
        raise RuntimeError("power cut")

    monkeypatch.setattr(write_module.ImportBatch, "_insert_history", explode)
    with pytest.raises(RuntimeError):
        _import("contacts", str(path), "--user", "agent_n")
    assert Contact.objects.count() == 0
    assert ContactPhone.objects.count() == 0
    assert Contact.history.count() == 0
    job = ImportJob.objects.get()
    assert (job.status, job.last_row_number, job.rows_created) == ("applying", 0, 0)
    assert ImportRowError.objects.filter(job=job).count() == 0  # rolled back with the batch
    monkeypatch.undo()
    output = _import("contacts", "--resume", job.public_id, "--user", "agent_n")
    assert "created: 2" in output
    assert Contact.objects.count() == 2
    assert Contact.history.count() == 2
    assert ImportRowError.objects.filter(job=job).count() == 1


def test_batches_commit_whole_and_resume_continues_after_the_last(users, tmp_path, monkeypatch):
    """Several batches: a crash in the third keeps the first two (whole records, history and
    all); resuming writes the rest, and a row that repeats a phone from an earlier batch is
    still recognised as the file's own duplicate."""
    from peyvand.customers.imports import pipeline

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 3)
    rows = [["name", "phone"]] + [[f"P{i}", f"0912000{i:04d}"] for i in range(8)]
    rows.append(["P0 again", "0912 000 0000"])  # row 10 repeats row 2's phone
    path = _write_csv(tmp_path / "b.csv", rows)
    original = write_module.ContactImportBatch._create
    _fail_batch(monkeypatch, 3, "killed")
    with pytest.raises(RuntimeError):
        _import("contacts", str(path), "--user", "agent_n")
    job = ImportJob.objects.get()
    assert (job.last_row_number, job.rows_created) == (7, 6)
    assert Contact.objects.count() == ContactPhone.objects.count() == Contact.history.count() == 6
    monkeypatch.setattr(write_module.ContactImportBatch, "_create", original)
    output = _import("contacts", "--resume", job.public_id, "--user", "agent_n")
    assert "created: 8" in output and "skipped: 1" in output
    assert Contact.objects.count() == ContactPhone.objects.count() == Contact.history.count() == 8
    assert sorted(Contact.objects.values_list("display_name", flat=True)) == [
        f"P{i}" for i in range(8)
    ]


def test_web_service_path_runs_as_background_task(
    users, tmp_path, persian_rows, django_capture_on_commit_callbacks
):
    path = _write_csv(tmp_path / "p.csv", persian_rows)
    job = import_job_create(
        actor=users["agent_n"], entity="contact", source_path=path, original_name="p.csv"
    )
    assert job.mapping["موبایل"] == "phone"
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_start(actor=users["agent_n"], public_id=job.public_id, apply=False)
    job.refresh_from_db()
    assert job.status == "checked"
    assert ImportRowError.objects.filter(job=job).count() == 1
    assert (job.rows_created, job.rows_skipped) == (2, 0)  # would create
    assert Contact.objects.count() == 0
    assert [row["display_name"] for row in job.preview] == ["علی رضایی", "مینا احمدی"]
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_start(actor=users["agent_n"], public_id=job.public_id, apply=True)
    job.refresh_from_db()
    assert (job.status, job.rows_created) == ("done", 2)


def test_organizations_import(users, tmp_path):
    rows = [
        ["company", "website", "phone", "industry"],
        ["پارس‌آنلاین", "parsonline.example", "021 8888 7777", "ISP"],
        ["", "x", "", ""],
    ]
    output = _import(
        "organizations", str(_write_csv(tmp_path / "o.csv", rows)), "--user", "agent_n"
    )
    assert "created: 1" in output and "row 3" in output
    from peyvand.customers.models import Organization

    organization = Organization.objects.get()
    assert organization.website == "https://parsonline.example"
    assert organization.phone == "+982188887777"


def test_vcard_import(users, tmp_path):
    from peyvand.customers.tests.imports.test_readers import VCARD

    path = tmp_path / "phone.vcf"
    path.write_text(VCARD, encoding="utf-8")
    output = _import("contacts", str(path), "--user", "agent_n")
    assert "created: 3" in output
    ali = Contact.objects.get(display_name="علی رضایی")
    assert sorted(p.number for p in ali.phones.all()) == ["+982188887777", "+989121234567"]
    assert ali.addresses.get().city == "تهران"


def test_imported_search_document_equals_the_services_own(users, tmp_path):
    """The import builds search documents itself (no per-row queries); they must be exactly
    what the services would build for the same record."""
    from peyvand.customers.services.search_document import contact_document

    rows = [
        ["Full name", "Given name", "Family name", "Mobile", "Work phone", "Email", "Company",
         "National ID"],
        ["دکتر علی", "علي", "رضايي", "09121234567", "021 8888 7777", "A@x.com", "پارس",
         "0013542419"],
        ["", "Sara", "Connor", "+1 202 555 0101", "", "", "", ""],
    ]  # fmt: skip
    _import("contacts", str(_write_csv(tmp_path / "d.csv", rows)), "--user", "agent_n")
    for contact in Contact.objects.all():
        assert contact.search_document == contact_document(contact)


def test_phones_are_read_in_the_rows_country(users, tmp_path):
    """A national number belongs to the row's country when the file has one (FEBRL's
    Australian rows), to Iran otherwise; errors keep the file's column order."""
    rows = [
        ["name", "phone", "country", "email"],
        ["Sam", "0412 345 678", "AU", "sam@x.com"],
        ["Ali", "0912 123 4567", "", "ali@x.com"],
        ["Bad", "12", "AU", "nope"],
    ]
    output = _import("contacts", str(_write_csv(tmp_path / "c.csv", rows)), "--user", "agent_n")
    assert "created: 2" in output
    assert Contact.objects.get(display_name="Sam").primary_phone == "+61412345678"
    assert Contact.objects.get(display_name="Ali").primary_phone == "+989121234567"
    errors = list(ImportRowError.objects.values_list("column", flat=True))
    assert errors == ["phone", "email"]


def test_a_second_run_of_the_same_import_stops_instead_of_writing_twice(
    users, tmp_path, monkeypatch
):
    """Two runs of one import (a resume started while the first still runs): the one that
    finds the other ahead of it stops before writing its batch, so no row is written twice."""
    from peyvand.customers.imports import pipeline
    from peyvand.customers.services.imports import import_job_create

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    rows = [["name", "phone"]] + [[f"P{i}", f"0912000{i:04d}"] for i in range(6)]
    job = import_job_create(
        actor=users["agent_n"], entity="contact",
        source_path=_write_csv(tmp_path / "t.csv", rows), original_name="t.csv",
        on_duplicate="create",  # so a row written twice would be two contacts
    )  # fmt: skip
    pipeline.import_reset_for_apply(job)
    first = ImportJob.objects.get(pk=job.pk)
    second = ImportJob.objects.get(pk=job.pk)

    def the_other_run_moves_on(running):
        # after the first run's first batch, the second run writes the next batches
        if not hasattr(the_other_run_moves_on, "done"):
            the_other_run_moves_on.done = True
            pipeline.run_apply(second)

    first = pipeline.run_apply(first, on_batch=the_other_run_moves_on)
    assert first.status == "done"
    assert Contact.objects.count() == ContactPhone.objects.count() == 6
    assert sorted(Contact.objects.values_list("display_name", flat=True)) == [
        f"P{i}" for i in range(6)
    ]


@pytest.mark.django_db(transaction=True)
def test_the_writer_thread_writes_every_batch_and_hands_back_its_errors(
    users, tmp_path, monkeypatch
):
    """Outside a test transaction batches are committed by a writer thread while the file is
    read on: every batch is written once, and an error in the writer stops the import at the
    next batch and comes back to the caller. Batches commit in groups (here two at a time):
    the groups before the error are kept whole, the one it stopped leaves nothing."""
    import threading

    from peyvand.customers.imports import pipeline

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    monkeypatch.setattr(pipeline, "COMMIT_ROWS", {"sqlite": 4, "postgresql": 4})
    writers = set()
    original = write_module.ContactImportBatch._create

    def noting_thread(self, creating):
        writers.add(threading.current_thread().name)
        return original(self, creating)

    monkeypatch.setattr(write_module.ContactImportBatch, "_create", noting_thread)
    rows = [["name", "phone"]] + [[f"P{i}", f"0912000{i:04d}"] for i in range(7)]
    output = _import("contacts", str(_write_csv(tmp_path / "t.csv", rows)), "--user", "agent_n")
    assert "created: 7" in output
    assert writers == {"import-writer"}
    assert Contact.objects.count() == ContactPhone.objects.count() == 7

    _fail_batch(monkeypatch, 4, "disk full")  # the second batch of the second group
    rows = [["name", "phone"]] + [[f"Q{i}", f"0935000{i:04d}"] for i in range(7)]
    with pytest.raises(RuntimeError, match="disk full"):
        _import("contacts", str(_write_csv(tmp_path / "q.csv", rows)), "--user", "agent_n")
    job = ImportJob.objects.order_by("-id").first()
    assert (job.status, job.last_row_number, job.rows_created) == ("applying", 5, 4)
    assert Contact.objects.filter(display_name__startswith="Q").count() == 4
    assert ContactPhone.objects.filter(contact__display_name__startswith="Q").count() == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("seconds", "kept"), [(0.0, 2), (3600.0, 0)])
def test_the_writers_transaction_commits_after_its_time_even_below_its_rows(
    users, tmp_path, monkeypatch, seconds, kept
):
    """The writer's open transaction commits once it has been open ``COMMIT_SECONDS``, however
    few rows it holds (SQLite's write lock is not held longer than that for a web user's save
    waiting on it); below both limits an error takes the whole open group with it."""
    from peyvand.customers.imports import pipeline

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    monkeypatch.setattr(pipeline, "COMMIT_ROWS", {"sqlite": 1000, "postgresql": 1000})
    monkeypatch.setattr(pipeline, "COMMIT_SECONDS", seconds)
    _fail_batch(monkeypatch, 2, "disk full")
    rows = [["name", "phone"]] + [[f"Q{i}", f"0935000{i:04d}"] for i in range(5)]
    with pytest.raises(RuntimeError, match="disk full"):
        _import("contacts", str(_write_csv(tmp_path / "q.csv", rows)), "--user", "agent_n")
    job = ImportJob.objects.get()
    assert (job.rows_created, Contact.objects.count(), ContactPhone.objects.count()) == (
        kept,
        kept,
        kept,
    )


def test_rare_gc_while_importing_and_the_thresholds_come_back():
    """Overlapping imports in one process (threads of a worker): the collector's thresholds are
    the import's while any runs, and the process's own again when the last one ends."""
    import gc

    from peyvand.customers.imports import pipeline

    before = gc.get_threshold()
    first, second = pipeline.lean_gc(), pipeline.lean_gc()
    first.__enter__()
    assert gc.get_threshold() == pipeline.IMPORT_GC_THRESHOLD
    second.__enter__()
    first.__exit__(None, None, None)  # the first ends while the second still runs
    assert gc.get_threshold() == pipeline.IMPORT_GC_THRESHOLD
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def _worker_settings():
    import gc
    import os

    return os.nice(0), gc.get_threshold()


def test_normalising_workers_yield_the_cpu_to_the_writer():
    """The forked workers run below the writer's priority and with the import's GC thresholds."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from peyvand.customers.imports import pipeline
    from peyvand.customers.imports.rows import RowContext

    context = RowContext(entity="contact", mapping={})
    with ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("fork"),
        initializer=pipeline._remember_context, initargs=(context, os.getpid()),
    ) as pool:  # fmt: skip
        niceness, threshold = pool.submit(_worker_settings).result()
    assert niceness == min(19, os.nice(0) + pipeline.WORKER_NICENESS)
    assert threshold == pipeline.IMPORT_GC_THRESHOLD


def test_forked_workers_return_rows_in_file_order_with_the_raw_rows_of_errors(monkeypatch):
    """Rows normalised in forked workers come back in file order; each row with errors brings
    its raw cells (for the error report) and the others none."""
    from peyvand.customers.imports import pipeline
    from peyvand.customers.imports.rows import RowContext

    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 7)  # several chunks in flight at once
    context = RowContext(
        entity="contact", mapping={"name": "given_name", "mobile": "phone", "mail": "email"}
    )
    rows = [
        (n, {"name": f"نام{n}", "mobile": f"0912{n:07d}",
             "mail": "broken@" if n % 5 == 0 else f"p{n}@x.com"})
        for n in range(2, 60)
    ]  # fmt: skip

    results = list(pipeline._results(iter(rows), context, workers=2))

    assert [result.row_number for result, _ in results] == [n for n, _ in rows]
    for (result, raw), (number, cells) in zip(results, rows, strict=True):
        if number % 5 == 0:
            assert result.errors and raw == cells
        else:
            assert not result.errors and raw is None
            assert result.record["primary_phone"] == f"+98912{number:07d}"


def _search_index_settings() -> dict[str, int | str]:
    """What governs the search index's upkeep on this connection: FTS5's segment merging
    (SQLite, stored in the index) or the trigram index's pending list (PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT k, v FROM customers_contact_fts_config "
                "WHERE k IN ('automerge', 'crisismerge')"
            )
            return dict(cursor.fetchall())
        cursor.execute("SHOW gin_pending_list_limit")
        return {"gin_pending_list_limit": cursor.fetchone()[0]}


@pytest.mark.django_db(transaction=True)  # batches commit as they do outside tests
def test_the_search_index_is_kept_up_in_bulk_while_importing_and_as_before_after(
    users, tmp_path, monkeypatch
):
    """While a batch writes, the search index gathers more before it merges (SQLite: FTS5
    segments, decision 0010; PostgreSQL: the trigram index's pending list); when the import
    ends, the settings are back and the index finds every imported row."""
    from django.db import connection

    from peyvand.customers.imports import pipeline
    from peyvand.customers.selectors import contact_search

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    seen = []
    original = write_module.ContactImportBatch._create

    def create_and_look(self, creating):
        original(self, creating)
        seen.append(_search_index_settings())  # still inside the batch's transaction

    monkeypatch.setattr(write_module.ContactImportBatch, "_create", create_and_look)
    rows = [["name", "phone"]] + [[f"Person {i}", f"0912100{i:04d}"] for i in range(5)]
    _import("contacts", str(_write_csv(tmp_path / "m.csv", rows)), "--user", "agent_n")
    if connection.vendor == "sqlite":
        during, after = {"automerge": 16, "crisismerge": 64}, {"automerge": 4, "crisismerge": 16}
    else:
        during, after = {"gin_pending_list_limit": "64MB"}, {"gin_pending_list_limit": "4MB"}
    assert len(seen) == 3 and all(s == during for s in seen)
    assert _search_index_settings() == after
    found = contact_search(actor=users["agent_n"], query="Person 3")
    assert [c.display_name for c in found] == ["Person 3"]
