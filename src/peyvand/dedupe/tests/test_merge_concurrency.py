"""Two merges of the same record: exactly one succeeds, the other fails with a clear error.

* after one another (how SQLite's single writer serialises them): the second finds the record
  gone;
* two threads really at once: the second waits for the lock the first holds (PostgreSQL: the
  row locks; SQLite: the database's write lock), then finds the record gone;
* SQLite, two ``peyvand merge`` processes started together against one database file.
"""

import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

from peyvand.common.errors import Conflict
from peyvand.customers.models import Contact
from peyvand.customers.services import ContactInput, EmailInput, contact_create
from peyvand.dedupe.models import Merge
from peyvand.dedupe.services import contact_merge
from peyvand.dedupe.services import merge as merge_service


def _three(agent):
    def make(name, email):
        return contact_create(
            actor=agent, data=ContactInput(given_name=name, emails=[EmailInput(email)])
        )

    return make("A", "a@x.ir"), make("B", "b@x.ir"), make("C", "c@x.ir")


@pytest.mark.django_db
def test_a_record_already_merged_away_cannot_be_merged_again(users):
    """Given B merged into A, when B is merged into C, then a Conflict says B was merged into
    another record, and C is unchanged."""
    a, b, c = _three(users["agent_n"])
    contact_merge(
        actor=users["agent_n"], survivor_public_id=a.public_id, other_public_ids=[b.public_id]
    )

    with pytest.raises(Conflict) as exc:
        contact_merge(
            actor=users["agent_n2"], survivor_public_id=c.public_id, other_public_ids=[b.public_id]
        )

    assert str(exc.value) == (
        f"Contact {b.public_id} no longer exists: it was merged into another record. "
        "Reload and try again."
    )
    c.refresh_from_db()
    assert c.version == 1
    assert list(c.emails.values_list("email", flat=True)) == ["c@x.ir"]
    assert Merge.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_threads_merging_one_record_at_once(users, monkeypatch):
    """Given merge 1 (B into A) holding its locks, when merge 2 (B into C) starts, then it
    waits; once merge 1 commits, merge 2 fails with a clear Conflict and C is untouched."""
    a, b, c = _three(users["admin"])
    locked, release = threading.Event(), threading.Event()
    original_lock = merge_service._contacts_lock

    def lock_and_hold(actor, survivor_public_id, other_ids):
        rows = original_lock(actor, survivor_public_id, other_ids)
        if survivor_public_id == a.public_id:
            locked.set()
            release.wait(10)
        return rows

    monkeypatch.setattr(merge_service, "_contacts_lock", lock_and_hold)
    outcomes = {}

    def run(name, survivor):
        try:
            outcomes[name] = contact_merge(
                actor=users["admin"],
                survivor_public_id=survivor.public_id,
                other_public_ids=[b.public_id],
            )
        except Exception as exc:  # the assertion below says which
            outcomes[name] = exc
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first", a))
    second = threading.Thread(target=run, args=("second", c))
    first.start()
    assert locked.wait(10)
    second.start()
    second.join(0.5)
    still_waiting = second.is_alive()
    release.set()
    first.join(10)
    second.join(10)

    assert still_waiting, "the second merge should wait for the first one's locks"
    assert isinstance(outcomes["first"], Merge), outcomes["first"]
    assert isinstance(outcomes["second"], Conflict), outcomes["second"]
    assert "merged into another record" in str(outcomes["second"])
    assert sorted(Contact.objects.values_list("given_name", flat=True)) == ["A", "C"]
    assert list(Contact.objects.get(pk=c.pk).emails.values_list("email", flat=True)) == ["c@x.ir"]


SEED = """
from peyvand.accounts.services import user_create
from peyvand.customers.services import ContactInput, EmailInput, contact_create
admin = user_create(actor=None, username="boss", password="pass-boss-1234", role="admin",
                    validate_password_strength=False)
for name in "ABC":
    c = contact_create(actor=admin, data=ContactInput(given_name=name,
                       emails=[EmailInput(name.lower() + "@x.ir")]))
    print(c.public_id)
"""


def _peyvand(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "peyvand", *args],
        env=env, check=True, capture_output=True, text=True, **kwargs,
    )  # fmt: skip


def test_two_merge_processes_on_one_sqlite_file(tmp_path):
    """Given one SQLite file and a writer holding it, when two ``peyvand merge`` processes merge
    B (into A and into C) and the writer lets go, then SQLite runs them one after the other:
    one succeeds, the other exits 1 saying B was merged into another record. (The file is its
    own database, so this runs in the PostgreSQL suite too.)"""
    env = {**os.environ, "PEYVAND_DATA_DIR": str(tmp_path), "PEYVAND_LOG_LEVEL": "ERROR",
           "PEYVAND_LANGUAGE": "en"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    _peyvand(env, "migrate", "-v", "0")
    a, b, c = _peyvand(env, "shell", "--no-imports", "-c", SEED).stdout.split()
    holder = sqlite3.connect(tmp_path / "peyvand.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # both merges must queue behind this writer
    command = [sys.executable, "-m", "peyvand", "merge", "--user", "boss"]
    processes = [
        subprocess.Popen(
            [*command, survivor, b], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        for survivor in (a, c)
    ]  # fmt: skip
    time.sleep(2)
    both_waiting = all(p.poll() is None for p in processes)
    holder.execute("ROLLBACK")
    results = [(p.wait(30), *p.communicate()) for p in processes]
    holder.close()

    assert both_waiting
    assert sorted(code for code, _out, _err in results) == [0, 1]
    _code, _out, error = next(r for r in results if r[0] == 1)
    assert f"Contact {b} no longer exists: it was merged into another record." in error
    merged = _peyvand(
        env, "shell", "--no-imports", "-c",
        "from peyvand.customers.models import Contact;"
        "print(sorted(Contact.objects.values_list('given_name', flat=True)))",
    )  # fmt: skip
    assert merged.stdout.strip() == "['A', 'C']"
