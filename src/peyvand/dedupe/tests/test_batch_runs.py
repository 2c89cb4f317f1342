"""Duplicate detection runs (``dedupe.services.detection``): stored pairs and groups,
progress, permissions, cancel, the background task."""

import pytest
from django.core.exceptions import ValidationError

from peyvand.common.errors import NotFound, PermissionDenied
from peyvand.customers.services import ContactInput, EmailInput, PhoneInput, contact_create
from peyvand.dedupe.models_batch import (
    DuplicatePair,
    DuplicateRun,
    DuplicateRunStage,
    DuplicateRunStatus,
)
from peyvand.dedupe.selectors.detection import (
    duplicate_pairs_visible,
    duplicate_run_get_for_user,
    duplicate_run_latest,
)
from peyvand.dedupe.services.detection import (
    duplicate_run_cancel,
    duplicate_run_create,
    duplicate_run_execute,
    duplicate_run_now,
    duplicate_run_start,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def trio(users):
    """One man three times (Persian, Arabic letters, Latin), one other woman, a few others."""
    actor = users["agent_n"]

    def person(given, family, phone, email=None):
        emails = [EmailInput(email)] if email else []
        data = ContactInput(
            given_name=given, family_name=family, phones=[PhoneInput(phone)], emails=emails
        )
        return contact_create(actor=actor, data=data)

    ali = [
        person("علی", "رضائی", "09121234567", "ali.rezaei@gmail.com"),
        person("علي", "رضايي", "+98 912 123 4567"),
        person("Ali", "Rezaei", "۰۹۱۲۱۲۳۴۵۶۷", "Ali.Rezaei@gmail.com"),
    ]
    others = [
        person("سارا", "کریمی", "09351112233"),
        person("مینا", "احمدی", "09193334455"),
        person("Babak", "Nouri", "09124445566"),
    ]
    return ali, others


def test_a_run_stores_its_pairs_groups_counts_and_model(users, trio):
    """Given one man saved three ways among others, when an agent runs detection now, then
    the run is done with three pairs in one group, its counts, and the trained model."""
    ali, _others = trio
    seen = []

    run = duplicate_run_now(
        actor=users["agent_n"], threshold=0.5, on_progress=lambda r: seen.append(r.stage)
    )

    run.refresh_from_db()
    assert (run.status, run.stage, run.progress) == (DuplicateRunStatus.DONE, "", 100)
    assert (run.contacts_total, run.contacts_read) == (6, 6)
    assert (run.pairs_count, run.clusters_count, run.excluded_count) == (3, 1, 0)
    assert run.threshold == 0.5
    assert run.created_by == users["agent_n"]
    assert run.started_at <= run.finished_at
    assert run.parameters["link_type"] == "dedupe_only"
    pairs = list(DuplicatePair.objects.filter(run=run).order_by("contact_a_id", "contact_b_id"))
    ids = [c.pk for c in ali]
    assert [(p.contact_a_id, p.contact_b_id) for p in pairs] == [
        (ids[0], ids[1]), (ids[0], ids[2]), (ids[1], ids[2])
    ]  # fmt: skip
    assert {p.cluster_id for p in pairs} == {ids[0]}
    assert all(0.5 <= p.probability <= 1 and p.status == "open" for p in pairs)
    assert pairs[1].explanation["email"]["level"] == "shared"
    assert seen == ["reading", "training", "predicting", "clustering", "saving", ""]


def test_a_viewer_cannot_start_a_run_and_nothing_is_created(users, trio):
    with pytest.raises(PermissionDenied):
        duplicate_run_now(actor=users["viewer_n"], threshold=0.9)

    assert DuplicateRun.objects.count() == 0


@pytest.mark.parametrize("threshold", [0, 1, 1.5, -0.2])
def test_threshold_must_be_between_0_and_1(users, threshold):
    with pytest.raises(ValidationError) as exc:
        duplicate_run_create(actor=users["agent_n"], threshold=threshold)

    assert list(exc.value.message_dict) == ["threshold"]
    assert DuplicateRun.objects.count() == 0


def test_start_queues_the_task_which_executes_the_run(
    users, trio, django_capture_on_commit_callbacks
):
    """Given the immediate task backend, when a run is started, then the task runs it after
    the commit and the run is done."""
    with django_capture_on_commit_callbacks(execute=True):
        run = duplicate_run_start(actor=users["agent_n"], threshold=0.5)

    run.refresh_from_db()
    assert (run.status, run.pairs_count) == (DuplicateRunStatus.DONE, 3)


def test_cancel_stops_a_queued_run_before_it_reads_anything(users, trio):
    run = duplicate_run_create(actor=users["agent_n"], threshold=0.9)

    cancelled = duplicate_run_cancel(actor=users["agent_n"], public_id=run.public_id)
    executed = duplicate_run_execute(run_id=run.pk)

    assert (cancelled.status, executed.status) == ("cancelled", "cancelled")
    assert (executed.contacts_read, DuplicatePair.objects.count()) == (0, 0)


def test_cancel_requested_while_running_stops_at_the_next_stage(users, trio):
    """Given a running run, when cancel is asked during reading, then it stops at the next
    step, stores no pair and says it was cancelled."""
    run = duplicate_run_create(actor=users["agent_n"], threshold=0.5)

    def cancel_while_reading(r):
        if r.stage == DuplicateRunStage.READING:
            DuplicateRun.objects.filter(pk=r.pk).update(cancel_requested=True)

    result = duplicate_run_execute(run_id=run.pk, on_progress=cancel_while_reading)

    result.refresh_from_db()
    assert result.status == DuplicateRunStatus.CANCELLED
    assert DuplicatePair.objects.filter(run=run).count() == 0


def test_a_finished_run_cannot_be_cancelled(users, trio):
    run = duplicate_run_now(actor=users["agent_n"], threshold=0.9)

    with pytest.raises(ValidationError):
        duplicate_run_cancel(actor=users["agent_n"], public_id=run.public_id)

    run.refresh_from_db()
    assert (run.status, run.cancel_requested) == ("done", False)


def test_a_run_is_seen_by_its_starter_and_admins_only(users, trio):
    run = duplicate_run_now(actor=users["agent_n"], threshold=0.9)

    assert duplicate_run_get_for_user(actor=users["admin"], public_id=run.public_id) == run
    assert duplicate_run_latest(actor=users["agent_n"]) == run
    assert duplicate_run_latest(actor=users["agent_n2"]) is None
    with pytest.raises(NotFound):
        duplicate_run_get_for_user(actor=users["agent_n2"], public_id=run.public_id)


def test_pairs_are_shown_only_where_the_reader_sees_both_contacts(users, trio):
    """Given an admin's run that paired north contacts, then a south agent sees none of its
    pairs and the admin all three."""
    run = duplicate_run_now(actor=users["admin"], threshold=0.5)

    assert duplicate_pairs_visible(actor=users["admin"], run=run).count() == 3
    assert duplicate_pairs_visible(actor=users["agent_s"], run=run).count() == 0


def test_a_deleted_contacts_pairs_drop_out_of_the_lists(users, trio):
    """Pairs point at contacts loosely (a merge's undo re-creates ids), so a deleted contact's
    pairs stay stored but no list shows them."""
    ali, _others = trio
    run = duplicate_run_now(actor=users["agent_n"], threshold=0.5)

    ali[2].delete()

    assert duplicate_pairs_visible(actor=users["agent_n"], run=run).count() == 1
