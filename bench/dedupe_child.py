"""One section of ``bench.dedupe`` on ONE fresh database, in its own process.

Started by ``bench.dedupe`` with ``PEYVAND_DATA_DIR`` pointing at a fresh directory (a new
SQLite database); writes its numbers as JSON.

    python -m bench.dedupe_child SECTION --workdir DIR --out OUT.json [--size N] [--limit N]

Sections: ``febrl3``, ``febrl4``, ``persian`` (import through ``peyvand import contacts`` →
``duplicate_run_now`` → score), ``merge`` (``contact_merge`` / ``merge_undo`` latency),
``scale_import`` and ``scale_detect`` (the two halves of ``--size-1m``: the parent measures the
detection process's peak RSS).
"""

import argparse
import csv
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

from bench import dedupe_data as data
from bench.suite import BENCH_USER, log, setup_database

MERGE_PAIRS = 100
MERGE_WARMUP = 5


# --- import and detect -------------------------------------------------------------------------
def import_csv(path: Path, headers: list[str], rows: list[list[str]], mapping: dict) -> dict:
    """Write ``rows`` to a CSV and import it with ``peyvand import contacts`` (every row
    created, even when it shares an email/phone/ID with an earlier one)."""
    from django.core.management import call_command

    from peyvand.customers.models import Contact, ImportJob

    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    mapping_path = path.with_suffix(".mapping.json")
    mapping_path.write_text(json.dumps(mapping), encoding="utf-8")
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command(
            "import", "contacts", str(path), "--user", BENCH_USER, "--mapping",
            str(mapping_path), "--on-duplicate", "create", stdout=quiet, stderr=quiet,
        )  # fmt: skip
    seconds = time.perf_counter() - started
    job = ImportJob.objects.order_by("-id").first()
    return {
        "rows": len(rows),
        "seconds": seconds,
        "status": job.status,
        "rows_created": job.rows_created,
        "rows_error": job.rows_error,
        "contacts": Contact.objects.count(),
    }


def detect(truth: set, *, sweep: bool = True) -> dict:
    """``duplicate_run_now`` at Peyvand's default threshold (timed), scored against ``truth``
    (pairs of external IDs); then, untimed, the same detection down to ``SWEEP_FLOOR`` for the
    best F1 over all thresholds."""
    from peyvand.accounts.models import User
    from peyvand.customers.models import Contact
    from peyvand.dedupe.batch.run import DEFAULT_THRESHOLD
    from peyvand.dedupe.models_batch import DuplicatePair
    from peyvand.dedupe.selectors.detection import contact_duplicates_detect
    from peyvand.dedupe.services.detection import duplicate_run_now

    actor = User.objects.get(username=BENCH_USER)
    stages: dict[str, float] = {}  # diagnostics: seconds from each stage's start to the next
    mark = {"stage": "start", "at": time.perf_counter()}

    def on_progress(run) -> None:
        now = time.perf_counter()
        stages[mark["stage"]] = stages.get(mark["stage"], 0.0) + now - mark["at"]
        mark.update(stage=run.stage or "end", at=now)

    started = mark["at"]
    run = duplicate_run_now(actor=actor, threshold=DEFAULT_THRESHOLD, on_progress=on_progress)
    seconds = time.perf_counter() - started
    # read after the run, so the scoring's own id map is not in the run's peak memory
    external = dict(Contact.objects.values_list("pk", "external_id"))
    found = [
        data.pair(external[a], external[b])
        for a, b in DuplicatePair.objects.filter(run=run).values_list(
            "contact_a_id", "contact_b_id"
        )
    ]
    result = {
        "seconds": seconds,
        "status": run.status,
        "threshold": DEFAULT_THRESHOLD,
        "contacts": run.contacts_read,
        "notes": run.notes,
        "stage_seconds": {name: round(value, 3) for name, value in stages.items()},
        **data.scores(found, truth),
    }
    if sweep:
        low = contact_duplicates_detect(actor=actor, threshold=data.SWEEP_FLOOR)
        scored = [(p.probability, data.pair(external[p.a], external[p.b])) for p in low.pairs]
        result["best"] = data.best_f1(scored, truth)
    return result


def _subset(frames: list, truth: set, limit: int | None) -> tuple[list, set]:
    """The first ``limit`` records of each file and the true pairs among them (quick runs)."""
    if not limit:
        return frames, truth
    frames = [f.iloc[:limit] for f in frames]
    kept = {rec_id for f in frames for rec_id in f.index}
    return frames, {p for p in truth if p[0] in kept and p[1] in kept}


def section_febrl(name: str, workdir: Path, limit: int | None) -> dict:
    frames, truth = _subset(*data.febrl_load(name), limit)
    rows = [row for frame in frames for row in data.febrl_rows(frame)]
    log(f"{name}: import {len(rows):,} records through peyvand import contacts")
    imported = import_csv(workdir / f"{name}.csv", data.FEBRL_HEADERS, rows, data.FEBRL_MAPPING)
    log(f"  {imported['rows_created']:,} created in {imported['seconds']:.1f}s; detecting")
    peyvand = detect(truth)
    log(f"  peyvand F1 {peyvand['f1']:.4f} in {peyvand['seconds']:.1f}s; splink")
    splink = data.splink_febrl(name, frames)
    scored = splink.pop("scored")
    splink_found = [p for probability, p in scored if probability >= data.SPLINK_THRESHOLD]
    splink.update(data.scores(splink_found, truth), threshold=data.SPLINK_THRESHOLD)
    splink["best"] = data.best_f1(scored, truth)
    log(f"  splink F1 {splink['f1']:.4f} in {splink['seconds']:.1f}s; recordlinkage ECM")
    ecm = data.ecm_febrl(frames)
    ecm.update(data.scores(ecm.pop("found"), truth))
    log(f"  ECM F1 {ecm['f1']:.4f} in {ecm['seconds']:.1f}s")
    return {
        "records": len(rows),
        "limit": limit,
        "dates_left_empty": sum(1 for row in rows if not row[8]),
        "import": imported,
        "peyvand": peyvand,
        "splink": splink,
        "ecm": ecm,
    }


def section_persian(workdir: Path, size: int) -> dict:
    rows, truth = data.persian_rows(size)
    log(f"persian: import {len(rows):,} records ({len(truth)} duplicates)")
    imported = import_csv(workdir / "persian.csv", data.PERSIAN_HEADERS, rows, data.PERSIAN_MAPPING)
    log(f"  {imported['rows_created']:,} created in {imported['seconds']:.1f}s; detecting")
    peyvand = detect(truth)
    log(f"  peyvand F1 {peyvand['f1']:.4f} in {peyvand['seconds']:.1f}s")
    return {"records": len(rows), "people": size, "import": imported, "peyvand": peyvand}


# --- merge latency -----------------------------------------------------------------------------
def _merge_fixtures(actor) -> tuple[str, str]:
    from peyvand.customers.services import (
        CustomFieldInput,
        OrganizationInput,
        custom_field_create,
        organization_create,
    )

    for key, field_type in (("club", "text"), ("score", "number")):
        custom_field_create(
            actor=actor,
            data=CustomFieldInput(
                entity="contact", key=key, label=key.title(), field_type=field_type
            ),
        )
    first = organization_create(actor=actor, data=OrganizationInput(name="پارس"))
    second = organization_create(actor=actor, data=OrganizationInput(name="Kish Co"))
    return first.public_id, second.public_id


def merge_pair(actor, number: int, orgs: tuple[str, str]):
    """Two records of one person overlapping in email, phone, tag, consent, organisation and
    address, each with rows of its own in every related table."""
    import datetime as dt

    from django.utils import timezone

    from peyvand.customers.services import (
        AddressInput,
        ConsentInput,
        ContactInput,
        EmailInput,
        MembershipInput,
        PhoneInput,
        contact_create,
    )

    now = timezone.now()
    mobile = f"0912{number:07d}"
    first = contact_create(
        actor=actor,
        data=ContactInput(
            given_name="علی", family_name=f"رضایی {number}",
            emails=[EmailInput(f"ali{number}@example.com", is_primary=True),
                    EmailInput(f"a.r{number}@work.ir")],
            phones=[PhoneInput(mobile)],
            addresses=[AddressInput(line="خیابان آزادی ۱۲", city="تهران")],
            consents=[ConsentInput("sms", granted=True, source="form",
                                   recorded_at=now - dt.timedelta(days=400))],
            tags=["VIP", "تهران"],
            organizations=[MembershipInput(orgs[0], job_title="")],
            custom_fields={"club": f"C-{number}"},
        ),
    )  # fmt: skip
    second = contact_create(
        actor=actor,
        data=ContactInput(
            given_name="Ali", family_name=f"Rezaei {number}", birth_date=dt.date(1990, 3, 21),
            emails=[EmailInput(f"ali{number}@example.com"),
                    EmailInput(f"ali.home{number}@example.com", is_primary=True)],
            phones=[PhoneInput(mobile), PhoneInput(f"0218{number:07d}", kind="home")],
            addresses=[AddressInput(line="خیابان آزادی ۱۲", city="تهران", postal_code="1234567890"),
                       AddressInput(line="Kish island", city="Kish")],
            consents=[ConsentInput("sms", granted=False, source="call", recorded_at=now),
                      ConsentInput("phone", granted=True, source="call", recorded_at=now)],
            tags=["vip", "Kish"],
            organizations=[MembershipInput(orgs[0], job_title="Buyer"),
                           MembershipInput(orgs[1], job_title="Owner")],
            custom_fields={"club": f"D-{number}", "score": "7.5"},
        ),
    )  # fmt: skip
    return first, second


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"count": len(ordered), "p50_ms": cuts[49], "p95_ms": cuts[94], "max_ms": ordered[-1]}


def section_merge(pairs: int) -> dict:
    """``contact_merge`` of ``pairs`` fresh pairs (after ``MERGE_WARMUP`` uncounted ones), then
    ``merge_undo`` of each merge, newest first."""
    from peyvand.accounts.models import User
    from peyvand.dedupe.services.merge import contact_merge, merge_undo

    actor = User.objects.get(username=BENCH_USER)
    orgs = _merge_fixtures(actor)
    log(f"merge: {pairs} pairs (+{MERGE_WARMUP} warm-up)")
    merge_ms, merges = [], []
    for number in range(pairs + MERGE_WARMUP):
        first, second = merge_pair(actor, number, orgs)
        started = time.perf_counter()
        merge = contact_merge(
            actor=actor, survivor_public_id=first.public_id, other_public_ids=[second.public_id]
        )
        elapsed = (time.perf_counter() - started) * 1000
        if number >= MERGE_WARMUP:
            merge_ms.append(elapsed)
            merges.append(merge.public_id)
    undo_ms = []
    for public_id in reversed(merges):
        started = time.perf_counter()
        merge_undo(actor=actor, merge_public_id=public_id)
        undo_ms.append((time.perf_counter() - started) * 1000)
    result = {"merge": _percentiles(merge_ms), "undo": _percentiles(undo_ms)}
    merge_p95, undo_p95 = result["merge"]["p95_ms"], result["undo"]["p95_ms"]
    log(f"  merge p95 {merge_p95:.1f} ms, undo p95 {undo_p95:.1f} ms")
    return result


# --- scale -------------------------------------------------------------------------------------
SCALE_DUPLICATE_SHARE = 0.10


def section_scale_import(workdir: Path, size: int) -> dict:
    """``bench.generate``'s contacts with its near-duplicate share raised to 10%, an external
    ID per row, imported with every row created. The true pairs are every two rows of one
    person (an original may be duplicated more than once)."""
    from bench import generate

    generate.DUPLICATE_SHARE = SCALE_DUPLICATE_SHARE  # read by iter_contacts at each row
    rows, groups, root = [], {}, {}
    for index, (row, duplicate_of) in enumerate(generate.iter_contacts(size, seed=7)):
        rows.append([f"g{index}", *row])
        if duplicate_of is not None:
            root[index] = root.get(duplicate_of, duplicate_of)
            groups.setdefault(root[index], [root[index]]).append(index)
    # Every two rows of one person are a true pair: two duplicates of the same original too.
    truth = {
        data.pair(f"g{first}", f"g{second}")
        for members in groups.values()
        for i, first in enumerate(members)
        for second in members[i + 1 :]
    }
    headers = ["External ID", *generate.HEADERS]
    mapping = dict(zip(headers, [
        "external_id", "given_name", "family_name", "email", "phone", "national_id", "city",
        "organization", "birth_date",
    ], strict=True))  # fmt: skip
    (workdir / "scale-truth.json").write_text(json.dumps(sorted(truth)), encoding="utf-8")
    log(f"scale: import {size:,} contacts ({len(truth):,} duplicates)")
    imported = import_csv(workdir / "scale.csv", headers, rows, mapping)
    log(f"  {imported['rows_created']:,} created in {imported['seconds']:.1f}s")
    return {"records": size, "duplicates": len(truth), "import": imported}


def section_scale_detect(workdir: Path) -> dict:
    truth = {tuple(p) for p in json.loads((workdir / "scale-truth.json").read_text())}
    log("scale: detecting")
    result = detect(truth, sweep=False)
    log(f"  F1 {result['f1']:.4f} in {result['seconds']:.1f}s")
    return {"peyvand": result}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dedupe_child")
    parser.add_argument("section", choices=[
        "febrl3", "febrl4", "persian", "merge", "scale_import", "scale_detect",
    ])  # fmt: skip
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0, help="FEBRL: first N records per file")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peyvand.config.settings")
    import django

    django.setup()
    for name in ("splink", "recordlinkage"):
        logging.getLogger(name).setLevel(logging.ERROR)
    result: dict = {}
    if args.section != "scale_detect":
        result["database"] = setup_database()
    if args.section in {"febrl3", "febrl4"}:
        result.update(section_febrl(args.section, args.workdir, args.limit or None))
    elif args.section == "persian":
        result.update(section_persian(args.workdir, args.size))
    elif args.section == "merge":
        result.update(section_merge(args.size or MERGE_PAIRS))
    elif args.section == "scale_import":
        result.update(section_scale_import(args.workdir, args.size))
    else:
        result.update(section_scale_detect(args.workdir))
    args.out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
