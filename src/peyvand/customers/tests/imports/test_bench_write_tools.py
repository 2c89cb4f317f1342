"""The two tools that take the import's write path apart (decision 0011): ``bench.gil_inserts``
and ``bench.replay_writer``, run on small inputs. Timing is printed, never asserted."""

import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[5]
if (ROOT / "bench" / "replay_writer.py").is_file() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # bench/ lives beside src/, outside the installed package

from bench import gil_inserts, replay_writer  # noqa: E402


def test_gil_inserts_writes_every_row_with_each_method(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["gil_inserts", "--rows", "1000"])

    gil_inserts.main()

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("1,000 rows of 20 columns")
    measured = [line for line in lines[1:] if " s " in line]
    assert len(measured) == 6  # three methods, alone and beside the busy thread
    assert all("stopped after" not in line for line in measured)


def test_replay_writer_batches_and_commits_as_the_importer_does():
    from peyvand.customers.imports import pipeline

    assert replay_writer.BATCH == pipeline.BATCH_ROWS
    assert pipeline.COMMIT_ROWS["sqlite"] == replay_writer.GROUP


def test_replay_writer_writes_a_real_import_again(tmp_path):
    """A small file imported through the CLI into a SQLite file, then replayed: every row of
    every table written again, and the copy's FTS5 index finds the first contact."""
    env = {**os.environ, "PEYVAND_DATA_DIR": str(tmp_path), "PEYVAND_LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)  # the tool reads SQLite files, whatever the suite runs on
    path = tmp_path / "people.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["نام", "نام خانوادگی", "موبایل", "ایمیل", "شهر", "شرکت"])
        for i in range(2_500):
            writer.writerow([f"مینا{i}", "احمدی", f"0912{i:07d}", f"m{i}@example.com",
                             "شیراز" if i % 3 else "", "پارس" if i % 4 == 0 else ""])  # fmt: skip

    def peyvand(*args):
        command = [sys.executable, "-m", "peyvand", *args]
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)

    peyvand("migrate", "-v", "0")
    peyvand("createuser", "boss", "--role", "admin", "--password", "pw-boss-123456")
    peyvand("import", "contacts", str(path), "--user", "boss")

    result = replay_writer.replay(tmp_path / "peyvand.sqlite3", batch=1_000, group=2_000)

    assert result["read"] == result["written"]
    assert result["written"]["customers_contact"] == 2_500
    assert result["written"]["customers_contactemail"] == 2_500
    assert result["written"]["customers_contactphone"] == 2_500
    assert result["written"]["customers_address"] == 2_500 - 834  # rows with a city
    assert result["written"]["customers_contactorganization"] == 625
    assert result["written"]["customers_historicalcontact"] == 2_500
    assert result["probe"] and result["found"] >= 1
