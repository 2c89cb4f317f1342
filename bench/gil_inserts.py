# ruff: noqa: S608, S311 - names are constants of this script, values are bound; test data
"""Why SQLite's bulk writes are multi-row INSERTs (decision 0011).

Inserts the same rows with ``executemany`` and with multi-row ``INSERT … VALUES`` statements,
alone and beside a thread that runs Python without ever blocking (as the import's reading
thread does while it decides a batch)::

    python -m bench.gil_inserts [--rows 200000] [--quick]

``--quick`` stops the ``executemany`` beside the busy thread after 5 s and reports its rate:
the full run took nine minutes on two cores.
"""

import argparse
import random
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

WIDTH = 20
INDEXED = ("c1", "c2", "c3", "c4", "c6", "c7", "c10")


def _rows(count: int) -> list[tuple]:
    rng = random.Random(1)
    return [
        (i + 1, f"pid{i:010d}", "2026-01-01", rng.random().hex()[:12], rng.choice("abcde") * 5,
         None, 42, 7, "x" * 30, *(rng.random().hex()[:10] for _ in range(11)))
        for i in range(count)
    ]  # fmt: skip


def _database(path: Path) -> sqlite3.Connection:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-131072")
    columns = ", ".join(f"c{i}" for i in range(1, WIDTH))
    db.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {columns})")
    for column in INDEXED:
        db.execute(f"CREATE INDEX t_{column} ON t ({column})")
    return db


def _executemany(db, rows, deadline):
    sql = f"INSERT INTO t VALUES ({', '.join('?' * WIDTH)})"
    done = 0
    for start in range(0, len(rows), 1000):
        db.executemany(sql, rows[start : start + 1000])
        done += len(rows[start : start + 1000])
        if deadline and time.perf_counter() > deadline:
            break
    return done


def _values(per_statement: int):
    def insert(db, rows, deadline):
        one = "(" + ", ".join("?" * WIDTH) + ")"
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            db.execute(
                f"INSERT INTO t VALUES {', '.join([one] * len(part))}",
                [value for row in part for value in row],
            )
        return len(rows)

    return insert


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rows = _rows(args.rows)
    methods = [("executemany", _executemany), ("VALUES × 500 rows", _values(500)),
               ("VALUES × 1,024 rows", _values(1024))]  # fmt: skip
    print(f"{args.rows:,} rows of {WIDTH} columns, {len(INDEXED)} indexes, one transaction")
    with tempfile.TemporaryDirectory() as tmp:
        for busy in (False, True):
            for name, insert in methods:
                db = _database(Path(tmp) / "gil.sqlite3")
                stop = threading.Event()
                burner = threading.Thread(target=_burn, args=(stop,), daemon=True)
                if busy:
                    burner.start()
                deadline = time.perf_counter() + 5 if busy and args.quick else None
                started = time.perf_counter()
                db.execute("BEGIN")
                done = insert(db, rows, deadline if name == "executemany" else None)
                db.execute("COMMIT")
                seconds = time.perf_counter() - started
                stop.set()
                if busy:
                    burner.join()
                db.close()
                where = "beside a busy thread" if busy else "alone"
                rate = f"{done / seconds:,.0f} rows/s"
                note = f" (stopped after {done:,} rows)" if done < len(rows) else ""
                print(f"{name:22s} {where:22s} {seconds:7.2f} s  {rate}{note}", flush=True)


def _burn(stop: threading.Event) -> None:
    total = 0
    while not stop.is_set():
        for i in range(1000):
            total += i * i


if __name__ == "__main__":
    main()
