"""``peyvand duplicates find|export`` end to end on generated contacts."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peyvand.customers.models import Contact
from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.dedupe.models_batch import DuplicatePair, DuplicateRun
from peyvand.dedupe.selectors.detection import PAIR_ROW_HEADERS
from peyvand.dedupe.tests.batch_world import create_world, generate_world, precision_recall

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("duplicates", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _no_cli_user(settings):
    settings.PEYVAND_CLI_USER = ""


def _read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_find_then_export_300_contacts_with_30_planted_duplicates(users, tmp_path):
    """Given 300 contacts of which 30 are planted duplicates, when ``duplicates find`` and then
    ``duplicates export`` run, then the summary names the run and its counts, the stored pairs
    have precision and recall of at least 0.9, and the CSV holds every pair with both public
    ids and its group."""
    people, truth = generate_world(seed=3)
    ids = create_world(users["admin"], people)
    Contact.objects.filter(pk=ids[0]).update(external_id="CRM-0001")
    truth_ids = {(ids[a], ids[b]) for a, b in truth}

    out, err = run("find", "--user", "admin")

    run_row = DuplicateRun.objects.get()
    found = set(DuplicatePair.objects.values_list("contact_a_id", "contact_b_id"))
    precision, recall = precision_recall(found, truth_ids)
    assert (precision >= 0.9, recall >= 0.9) == (True, True), (precision, recall)
    lines = out.splitlines()
    assert re.fullmatch(rf"run {run_row.public_id}: done in \d+\.\ds", lines[0])
    assert lines[1] == (
        f"contacts compared: 300  duplicate pairs: {run_row.pairs_count}  "
        f"groups: {run_row.clusters_count}  threshold: 90%"
    )
    assert (
        lines[-1]
        == f"Export them all with: peyvand duplicates export FILE --run {run_row.public_id}"
    )
    assert "  read 300 of 300" in err.splitlines()

    target = tmp_path / "pairs.csv"
    out, _err = run("export", str(target), "--user", "admin")

    rows = _read_csv(target)
    assert out == f"wrote {run_row.pairs_count} pairs of run {run_row.public_id} to {target}\n"
    assert list(rows[0]) == PAIR_ROW_HEADERS
    public = dict(Contact.objects.values_list("public_id", "pk"))
    assert {(public[r["public_id_a"]], public[r["public_id_b"]]) for r in rows} == found
    assert rows[0]["group"] == "1"
    assert len({r["group"] for r in rows}) == run_row.clusters_count
    assert all(float(r["probability"]) >= 0.9 for r in rows)
    assert all(r["why"] for r in rows)
    external = [r for r in rows if ids[0] in (public[r["public_id_a"]], public[r["public_id_b"]])]
    assert all("CRM-0001" in (r["external_id_a"], r["external_id_b"]) for r in external)


def test_export_neutralises_formulas_and_keeps_persian(users, tmp_path):
    """Given a pair named «=SUM(1+1)» and «علی رضایی», when exported, then the formula cell
    starts with a quote and the Persian name is intact."""
    agent = users["agent_n"]
    for given in ("=SUM(1+1)", "=SUM(1+1)"):
        contact_create(
            actor=agent, data=ContactInput(given_name=given, phones=[PhoneInput("09121112233")])
        )
    for given in ("علی", "علي"):
        contact_create(
            actor=agent,
            data=ContactInput(
                given_name=given, family_name="رضایی", phones=[PhoneInput("09124445566")]
            ),
        )
    run("find", "--user", "agent_n", "--threshold", "0.5")
    target = tmp_path / "pairs.csv"

    run("export", str(target), "--user", "agent_n")

    names = sorted((r["name_a"], r["name_b"]) for r in _read_csv(target))
    assert names == [("'=SUM(1+1)", "'=SUM(1+1)"), ("علی رضایی", "علی رضایی")]


def test_find_without_duplicates_says_what_to_do(users):
    contact_create(actor=users["agent_n"], data=ContactInput(given_name="Ann"))
    contact_create(actor=users["agent_n"], data=ContactInput(given_name="Ben"))

    out, _err = run("find", "--user", "agent_n")

    assert (
        out.splitlines()[-1] == "No likely duplicates. Lower --threshold to see weaker candidates."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["find", "--threshold", "150"],
            "--threshold: The match threshold must be above 0% and below 100%, e.g. 90%.",
        ),
        (["export", "x.csv"], "No finished run yet. Start one with: peyvand duplicates find"),
        (["export", "x.csv", "--run", "nope"], "No such duplicate detection run."),
    ],
)
def test_errors_name_what_to_fix(users, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    with pytest.raises(CommandError) as exc:
        run(*args, "--user", "agent_n")

    assert str(exc.value) == message
    assert DuplicateRun.objects.count() == 0
    assert not (tmp_path / "x.csv").exists()


def test_a_viewer_cannot_find(users):
    with pytest.raises(CommandError) as exc:
        run("find", "--user", "viewer_n")

    assert str(exc.value) == "Your role cannot review duplicates."
    assert DuplicateRun.objects.count() == 0


@pytest.mark.parametrize("typed", ["50", "50%", "۵۰٪", "0.5"])
def test_find_reads_the_threshold_in_per_cent_or_as_before_from_0_to_1(users, typed):
    """Given a threshold typed as a percentage (any digits) or, as earlier versions asked, as a
    probability from 0 to 1, then the run uses 50% and says so."""
    contact_create(actor=users["agent_n"], data=ContactInput(given_name="Ann"))
    contact_create(actor=users["agent_n"], data=ContactInput(given_name="Ben"))

    out, _err = run("find", "--user", "agent_n", "--threshold", typed)

    assert DuplicateRun.objects.get().threshold == 0.5
    assert out.splitlines()[1].endswith("threshold: 50%")
