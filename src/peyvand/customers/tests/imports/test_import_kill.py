"""A killed import leaves no partial records: a dry run writes nothing, an import keeps whole
batches and continues after the last one.

Runs the real CLI in a subprocess against its own database (a SQLite file, or a fresh
PostgreSQL database when the suite runs with DATABASE_URL) and kills it with SIGKILL.
"""

import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROWS = 25_000


def _make_csv(path: Path, count: int, start: int = 0) -> Path:
    rng = random.Random(count + start)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["نام", "نام خانوادگی", "موبایل", "ایمیل"])
        for i in range(start, start + count):
            phone = f"0912{i:07d}"
            email = f"p{i}@example.com" if i % 97 else "broken@"  # ~1% bad rows
            writer.writerow([f"نام{rng.randint(1, 999)}", f"خانواده{i}", phone, email])
    return path


class Database:
    """Just enough of a DB-API handle to count rows from outside the subprocess."""

    def __init__(self, tmp_path: Path):
        url = os.environ.get("DATABASE_URL", "")
        self.env = {
            **os.environ, "PEYVAND_DATA_DIR": str(tmp_path), "PEYVAND_LOG_LEVEL": "ERROR",
            "PEYVAND_IMPORT_WORKERS": "2",  # the forked-worker path, as on a large file
        }  # fmt: skip
        self.postgres = url.startswith("postgres")
        if self.postgres:
            import psycopg

            self.name = f"peyvand_kill_{uuid.uuid4().hex[:8]}"
            self.admin_url = url.rsplit("/", 1)[0] + "/postgres"
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {self.name}")
            self.url = url.rsplit("/", 1)[0] + "/" + self.name
            self.env["DATABASE_URL"] = self.url
        else:
            self.env.pop("DATABASE_URL", None)
            self.path = tmp_path / "peyvand.sqlite3"

    def scalar(self, sql: str):
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql).fetchone()[0]
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()

    def drop(self):
        if self.postgres:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def _peyvand(db: Database, *args, **kwargs):
    command = [sys.executable, "-m", "peyvand", *args]
    return subprocess.run(command, env=db.env, check=True, capture_output=True, text=True, **kwargs)


def _start(db: Database, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "peyvand", *args], env=db.env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path)
    _peyvand(database, "migrate", "-v", "0")
    _peyvand(database, "createuser", "boss", "--role", "admin", "--password", "pw-boss-123456")
    yield database
    database.drop()


def _wait_for(predicate, process, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.02)
    return False


def test_kill_during_dry_run_writes_nothing_then_runs_again(db, tmp_path):
    path = _make_csv(tmp_path / "big.csv", ROWS)
    valid = ROWS - len([i for i in range(ROWS) if i % 97 == 0])
    process = _start(db, "import", "contacts", str(path), "--dry-run", "--user", "boss")
    threshold = random.choice([10_000, 20_000])
    reached = _wait_for(
        lambda: (db.scalar("SELECT COALESCE(MAX(rows_checked), 0) FROM customers_importjob")
                 >= threshold),
        process,
    )  # fmt: skip
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert reached, process.stderr.read() if process.stderr else ""
    assert db.scalar("SELECT COUNT(*) FROM customers_contact") == 0
    assert db.scalar("SELECT rows_checked FROM customers_importjob") % 10_000 == 0
    job = db.scalar("SELECT public_id FROM customers_importjob")
    _peyvand(db, "import", "contacts", "--resume", job, "--dry-run", "--user", "boss")
    assert db.scalar("SELECT status FROM customers_importjob") == "checked"
    assert db.scalar("SELECT rows_valid FROM customers_importjob") == valid
    assert db.scalar("SELECT rows_created FROM customers_importjob") == valid  # would create
    assert db.scalar("SELECT COUNT(*) FROM customers_contact") == 0


def test_kill_during_import_keeps_whole_batches_then_resumes(db, tmp_path):
    path = _make_csv(tmp_path / "big.csv", ROWS)
    valid = ROWS - len([i for i in range(ROWS) if i % 97 == 0])
    process = _start(db, "import", "contacts", str(path), "--user", "boss")
    threshold = random.choice([0, 10_000, 20_000])
    _wait_for(
        lambda: db.scalar(
            "SELECT COUNT(*) FROM customers_importjob WHERE status = 'applying' "
            f"AND rows_checked >= {threshold}"
        ),
        process,
    )
    time.sleep(random.uniform(0.0, 0.3))  # anywhere inside a batch
    process.send_signal(signal.SIGKILL)
    process.wait()
    contacts = db.scalar("SELECT COUNT(*) FROM customers_contact")
    # Only whole batches: every contact with its phone and its history row, as the job says.
    assert db.scalar("SELECT COUNT(*) FROM customers_contactphone") == contacts
    assert db.scalar("SELECT COUNT(*) FROM customers_historicalcontact") == contacts
    assert db.scalar("SELECT rows_created FROM customers_importjob") == contacts
    checked = db.scalar("SELECT rows_checked FROM customers_importjob")
    assert checked % 10_000 == 0 or checked == ROWS
    errors = db.scalar("SELECT COUNT(DISTINCT row_number) FROM customers_importrowerror")
    assert contacts + errors == checked
    job = db.scalar("SELECT public_id FROM customers_importjob")
    if db.scalar("SELECT status FROM customers_importjob") != "done":
        result = _peyvand(db, "import", "contacts", "--resume", job, "--user", "boss")
        assert f"created: {valid}" in result.stdout
    assert db.scalar("SELECT COUNT(*) FROM customers_contact") == valid
    assert db.scalar("SELECT COUNT(DISTINCT number) FROM customers_contactphone") == valid
    assert db.scalar("SELECT COUNT(*) FROM customers_historicalcontact") == valid
    assert db.scalar("SELECT COUNT(DISTINCT row_number) FROM customers_importrowerror") == (
        ROWS - valid
    )


def _process_table() -> dict[int, tuple[int, str, str]]:
    """pid → (parent pid, state, start time) of every process, from /proc/<pid>/stat."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # the name may hold spaces or brackets
        table[int(entry.name)] = (int(fields[1]), fields[0], fields[19])
    return table


def _alive(processes: dict[int, str]) -> list[int]:
    """Which of pid → start time are still running (a zombie has ended; a reused pid is not
    the same process)."""
    table = _process_table()
    return [
        pid
        for pid, started in processes.items()
        if pid in table and table[pid][1] != "Z" and table[pid][2] == started
    ]


def test_killed_import_leaves_no_worker_behind(db, tmp_path):
    """Given an import normalising a large file in three forked workers, when the import is
    killed with SIGKILL, then every one of its workers has ended within a few seconds."""
    path = _make_csv(tmp_path / "big.csv", ROWS)
    env = {**db.env, "PEYVAND_IMPORT_WORKERS": "3"}
    with open(tmp_path / "import.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "peyvand", "import", "contacts", str(path), "--user", "boss"],
            env=env, stdout=log, stderr=log,
        )  # fmt: skip
    workers: dict[int, str] = {}
    try:

        def three_workers_running() -> bool:
            table = _process_table()
            workers.clear()
            workers.update({pid: row[2] for pid, row in table.items() if row[0] == process.pid})
            return len(workers) == 3

        started = _wait_for(three_workers_running, process)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert started, (tmp_path / "import.log").read_text()

        deadline = time.monotonic() + 10
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)

        assert _alive(workers) == []
    finally:
        for pid in _alive(workers):  # a failing run must not leave them behind either
            os.kill(pid, signal.SIGKILL)
