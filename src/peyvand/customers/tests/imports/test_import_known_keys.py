"""Large imports match identity keys against a hash snapshot (imports/keys.py): the same
decisions as the per-key lookups, with the database asked only about keys that may exist."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peyvand.customers.imports import keys as keys_module
from peyvand.customers.imports import write as write_module
from peyvand.customers.imports.keys import KnownKeys, worth_it
from peyvand.customers.imports.write import CONTACT_LOOKUPS
from peyvand.customers.models import Contact
from peyvand.customers.services import ContactInput, EmailInput, PhoneInput, contact_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot_always(monkeypatch):
    monkeypatch.setattr(keys_module, "SNAPSHOT_FROM_ROWS", 0)


def _write_csv(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _import(*args) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_snapshot_holds_existing_keys_only(users):
    contact_create(
        actor=users["agent_n"],
        data=ContactInput(
            given_name="Old", national_id="0013542419",
            emails=[EmailInput("old@x.com")], phones=[PhoneInput("09121234567")],
        ),
    )  # fmt: skip
    known = KnownKeys.load(CONTACT_LOOKUPS)
    assert known.candidates("primary_email", ["new@x.com", "old@x.com"]) == ["old@x.com"]
    assert known.candidates("primary_phone", ["+989121234567", "+989120000000"]) == [
        "+989121234567"
    ]
    assert known.candidates("national_id", ["0013542419"]) == ["0013542419"]
    # a key is its name and value: the national ID is no email
    assert known.candidates("primary_email", ["0013542419"]) == []
    assert known.candidates("external_id", []) == []


def test_snapshot_is_taken_for_a_file_large_beside_the_table(users, monkeypatch):
    monkeypatch.setattr(keys_module, "SNAPSHOT_FROM_ROWS", 10)
    assert not worth_it(5, "customers_contact")  # a small file: per-key lookups
    assert worth_it(10, "customers_contact")
    for i in range(3):
        contact_create(actor=users["agent_n"], data=ContactInput(given_name=f"C{i}"))
    monkeypatch.setattr(keys_module, "SNAPSHOT_TABLE_RATIO", 0.1)
    assert not worth_it(10, "customers_contact")  # a big table beside the file


def test_new_keys_are_not_looked_up_one_by_one(users, tmp_path, snapshot_always):
    contact_create(
        actor=users["agent_n"],
        data=ContactInput(given_name="Old", emails=[EmailInput("old@x.com")]),
    )
    rows = [["name", "email"], *[[f"N{i}", f"n{i}@x.com"] for i in range(20)]]
    rows.append(["Old again", "OLD@x.com"])
    path = _write_csv(tmp_path / "n.csv", rows)
    with CaptureQueriesContext(connection) as queries:
        output = _import("contacts", str(path), "--user", "agent_n")
    assert "created: 20" in output and "skipped: 1" in output
    lookup = "MIN(contact_id) FROM customers_contactemail"
    lookups = [q["sql"] for q in queries if lookup in q["sql"]]
    assert len(lookups) == 1  # one query, for the one address the snapshot knows
    assert "n0@x.com" not in lookups[0] and "old@x.com" in lookups[0]


def test_a_customer_added_by_someone_else_during_the_import_is_matched(
    users, tmp_path, snapshot_always, monkeypatch
):
    """A contact created (say, in the web form) between two batches is not in the snapshot
    taken at the start; the next batch catches up on it, and the file's row is skipped."""
    from peyvand.customers.imports import pipeline

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    rows = [["name", "phone"], ["A", "09120000001"], ["B", "09120000002"],
            ["C", "09120000003"], ["D", "09120000004"]]  # fmt: skip
    original = write_module.ContactImportBatch._create
    calls = {"n": 0}

    def someone_else_adds_c(self, creating):
        original(self, creating)
        calls["n"] += 1
        if calls["n"] == 1:
            contact_create(
                actor=users["agent_n"],
                data=ContactInput(given_name="C (web)", phones=[PhoneInput("0912 000 0003")]),
            )

    monkeypatch.setattr(write_module.ContactImportBatch, "_create", someone_else_adds_c)
    output = _import("contacts", str(_write_csv(tmp_path / "c.csv", rows)), "--user", "agent_n")
    assert "created: 3" in output and "skipped: 1" in output
    assert sorted(Contact.objects.values_list("display_name", flat=True)) == [
        "A", "B", "C (web)", "D"
    ]  # fmt: skip


@pytest.mark.parametrize("runs", [1, 12])  # in SQL, and past _OWN_RUNS_IN_SQL in Python
def test_catch_up_leaves_out_the_imports_own_records(users, runs):
    known = KnownKeys.load(CONTACT_LOOKUPS)
    made = [
        contact_create(
            actor=users["agent_n"],
            data=ContactInput(given_name=f"C{i}", emails=[EmailInput(f"c{i}@x.com")]),
        )
        for i in range(2 * runs + 1)
    ]
    ids = sorted(c.pk for c in made)
    own = ids[:-1] if runs == 1 else ids[:-1:2]  # one run, or every other id (many runs)
    known.written(own)
    assert len(known.own) == runs
    known.catch_up()
    emails = [f"c{i}@x.com" for i in range(2 * runs + 1)]
    others = {f"c{i}@x.com" for i, c in enumerate(made) if c.pk not in own}
    assert set(known.candidates("primary_email", emails)) == others
    assert known.own == []


@pytest.mark.parametrize(("policy", "expected"), [("skip", "skipped: 1"), ("update", "updated: 1")])
def test_a_customer_added_after_the_batch_was_decided_is_matched_when_it_is_written(
    users, tmp_path, snapshot_always, monkeypatch, policy, expected
):
    """With the snapshot a batch is decided ahead of its writing. A contact someone saves in
    between (here: after the second batch is decided, before it is written) shares a phone with
    a row the batch would create: the writer's catch-up finds it, and the row is matched by the
    policy instead of becoming a second record."""
    from peyvand.customers.imports import pipeline

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    rows = [["name", "phone", "email"], ["A", "09120000001", ""], ["B", "09120000002", ""],
            ["C", "09120000003", "c@x.com"], ["D", "09120000004", ""]]  # fmt: skip
    original = write_module.ImportBatch.apply
    calls = {"n": 0}

    def someone_saves_c_meanwhile(self, prepared):
        calls["n"] += 1
        if calls["n"] == 2:
            assert [r.record["display_name"] for r in prepared.creation.results] == ["C", "D"]
            contact_create(
                actor=users["agent_n"],
                data=ContactInput(given_name="C (web)", phones=[PhoneInput("0912 000 0003")]),
            )
        return original(self, prepared)

    monkeypatch.setattr(write_module.ImportBatch, "apply", someone_saves_c_meanwhile)
    output = _import(
        "contacts", str(_write_csv(tmp_path / "c.csv", rows)), "--user", "agent_n",
        "--on-duplicate", policy,
    )  # fmt: skip
    assert "created: 3" in output and expected in output
    assert sorted(Contact.objects.values_list("display_name", flat=True)) == [
        "A", "B", "C (web)", "D"
    ]  # fmt: skip
    web = Contact.objects.get(display_name="C (web)")
    emails = list(web.emails.values_list("email", flat=True))
    assert emails == (["c@x.com"] if policy == "update" else [])
    d = Contact.objects.get(display_name="D")
    assert list(d.phones.values_list("number", flat=True)) == ["+989120000004"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("policy", "created"), [("skip", 7), ("create", 8)])
def test_large_files_are_decided_while_the_writer_writes_the_batch_before(
    users, tmp_path, snapshot_always, monkeypatch, policy, created
):
    """Outside a test transaction, with the snapshot, the reading thread decides and lays out
    each batch and the writer thread only writes it: every batch once, in file order."""
    import threading

    from peyvand.customers.imports import pipeline

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    where: dict[str, list] = {"prepare": [], "apply": []}
    prepare, apply = write_module.ImportBatch.prepare, write_module.ImportBatch.apply

    def noting_prepare(self, results, raws):
        where["prepare"].append((threading.current_thread().name, results[0].row_number))
        return prepare(self, results, raws)

    def noting_apply(self, prepared):
        first = min([r.row_number for r in prepared.creation.results] if prepared.creation else [0])
        where["apply"].append((threading.current_thread().name, first))
        return apply(self, prepared)

    monkeypatch.setattr(write_module.ImportBatch, "prepare", noting_prepare)
    monkeypatch.setattr(write_module.ImportBatch, "apply", noting_apply)
    rows = [["name", "phone"]] + [[f"P{i}", f"0912000{i:04d}"] for i in range(7)]
    rows.append(["P0 again", "0912 000 0000"])
    output = _import(
        "contacts", str(_write_csv(tmp_path / "t.csv", rows)), "--user", "agent_n",
        "--on-duplicate", policy,
    )  # fmt: skip
    assert f"created: {created}" in output and f"skipped: {8 - created}" in output
    main = threading.main_thread().name
    assert where["prepare"] == [(main, 2), (main, 4), (main, 6), (main, 8)]
    assert where["apply"] == [("import-writer", n) for n in (2, 4, 6, 8)]
    assert Contact.objects.count() == Contact.history.count() == created
    assert sorted(Contact.objects.values_list("display_name", flat=True)) == sorted(
        [f"P{i}" for i in range(7)] + (["P0 again"] if policy == "create" else [])
    )
