"""The issue-4 evaluation (``bench.dedupe``): its scoring, the FEBRL and Persian rows it feeds
to the importer, one small section end to end, and the pass/fail of its table."""

import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[4]
if (ROOT / "bench" / "dedupe.py").is_file() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # bench/ lives beside src/, outside the installed package

from bench import dedupe, dedupe_child, dedupe_data  # noqa: E402
from bench.suite import BENCH_USER  # noqa: E402

from peyvand.accounts.services import user_create  # noqa: E402
from peyvand.customers.models import Contact  # noqa: E402
from peyvand.dedupe.models import Merge  # noqa: E402


@pytest.fixture
def bench_user(db):
    return user_create(
        actor=None, username=BENCH_USER, password="bench-not-a-secret-0",
        role="admin", language="en", validate_password_strength=False,
    )  # fmt: skip


def test_scores_count_pairs_found_against_the_truth():
    """Given 3 true pairs and 3 found pairs of which 2 are true, when scored, then precision
    and recall are 2/3 each and F1 2/3."""
    truth = {("a", "b"), ("c", "d"), ("e", "f")}

    result = dedupe_data.scores([("a", "b"), ("c", "d"), ("a", "c")], truth)

    assert result == {
        "pairs_found": 3, "true_pairs": 3, "true_positives": 2, "false_positives": 1,
        "false_negatives": 1, "precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3,
    }  # fmt: skip


def test_best_f1_tries_each_probability_as_the_threshold():
    """Given true pairs at 0.9 and 0.6 and a false one at 0.8, when the best F1 is sought,
    then cutting at 0.6 (P 2/3, R 1: F1 0.8) beats 0.9 (F1 2/3) and 0.8 (F1 1/2)."""
    truth = {("a", "b"), ("c", "d")}
    scored = [(0.9, ("a", "b")), (0.8, ("x", "y")), (0.6, ("c", "d"))]

    best = dedupe_data.best_f1(scored, truth)

    assert best == {"f1": pytest.approx(0.8), "threshold": 0.6, "precision": 2 / 3, "recall": 1.0}


def test_iso_date_keeps_real_dates_and_drops_corrupted_ones():
    """Given FEBRL birth dates, when converted, then real dates become ISO and impossible
    or future ones empty."""
    values = ["19560409", "19561309", "1956049", "", None, float("nan"), "29990101"]

    assert [dedupe_data.iso_date(v) for v in values] == ["1956-04-09", "", "", "", "", "", ""]


def test_febrl_rows_map_the_columns_to_the_importer():
    """Given a FEBRL record with a missing address line and state, when turned into a row,
    then each value lands in the importer's column, the country is AU and rec_id is kept."""
    frame = pd.DataFrame(
        [{"given_name": "mitchell", "surname": "green", "street_number": "7",
          "address_1": "wallaby place", "address_2": float("nan"), "suburb": "cleveland",
          "postcode": "2119", "state": float("nan"), "date_of_birth": "19560409",
          "soc_sec_id": "1804974"}],
        index=pd.Index(["rec-1496-org"], name="rec_id"),
    )  # fmt: skip

    rows = dedupe_data.febrl_rows(frame)

    assert rows == [[
        "rec-1496-org", "mitchell", "green", "7 wallaby place", "cleveland", "", "2119", "AU",
        "1956-04-09", "1804974",
    ]]  # fmt: skip
    assert dict(zip(dedupe_data.FEBRL_HEADERS, rows[0], strict=True))["national id"] == "1804974"


def test_persian_rows_plant_one_duplicate_per_ten_people():
    """Given 100 people, when the Persian set is generated, then it has 110 rows with unique
    external IDs and 10 true pairs, each between an original and a later row."""
    rows, truth = dedupe_data.persian_rows(100, seed=3)

    ids = [row[0] for row in rows]
    assert (len(rows), len(set(ids)), len(truth)) == (110, 110, 10)
    assert all(
        int(b[1:]) >= 100 > int(a[1:])
        for a, b in (sorted(p, key=lambda x: int(x[1:])) for p in truth)
    )


@pytest.mark.django_db
@pytest.mark.slow
def test_febrl3_sample_is_imported_and_scored(bench_user, tmp_path):
    """Given the first 300 FEBRL3 records (20 true pairs among them), when the section imports
    them through the real command and runs detection and both baselines, then every named
    record is created, the found contacts map back to their rec_ids (most true pairs found by
    Peyvand and splink alike, none wrong) and the run finished."""
    result = dedupe_child.section_febrl("febrl3", tmp_path, 300)

    named = sum(1 for row in dedupe_data.febrl_rows(dedupe_data.febrl_load("febrl3")[0][0][:300])
                if row[1] or row[2])  # fmt: skip
    ours, splink = result["peyvand"], result["splink"]
    assert (result["records"], result["import"]["rows_created"]) == (300, named)
    assert Contact.objects.count() == named
    assert (ours["status"], ours["true_pairs"], splink["true_pairs"]) == ("done", 20, 20)
    assert (ours["true_positives"] >= 16, splink["true_positives"] >= 16) == (True, True)
    assert (ours["false_positives"], splink["false_positives"]) == (0, 0)


@pytest.mark.django_db
def test_merge_section_times_merges_and_undoes_them(bench_user):
    """Given the merge section with 3 pairs (after 5 warm-up merges), when it runs, then it
    reports 3 merge and 3 undo timings, and only the warm-up merges remain: 5 survivors plus
    the 6 restored contacts."""
    result = dedupe_child.section_merge(3)

    assert (result["merge"]["count"], result["undo"]["count"]) == (3, 3)
    assert Contact.objects.count() == dedupe_child.MERGE_WARMUP + 6
    assert Merge.objects.filter(undone_at__isnull=True).count() == dedupe_child.MERGE_WARMUP


def test_table_marks_a_target_missed():
    """Given FEBRL3 results below the F1 target and a merge p95 within its target, when the
    table is built, then FEBRL3 fails and the merge passes."""
    quality = {"precision": 1.0, "recall": 0.98, "f1": 0.9899, "false_positives": 0,
               "false_negatives": 2, "true_pairs": 100, "threshold": 0.9}  # fmt: skip
    timing = {"count": 100, "p50_ms": 20.0, "p95_ms": 40.0, "max_ms": 50.0}
    results = {
        "febrl3": {
            "records": 5000, "limit": None, "import": {"seconds": 1.0, "rows_created": 5000},
            "peyvand": {**quality, "seconds": 2.0}, "splink": {**quality, "seconds": 3.0},
            "ecm": {**quality, "seconds": 1.0},
        },
        "merge": {"merge": timing, "undo": timing},
    }  # fmt: skip

    rows = dedupe.table_rows(results)

    assert [row["pass"] for row in rows] == [False, True, None]
