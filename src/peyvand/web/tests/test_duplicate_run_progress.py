"""Duplicates → Find: the page shows the queued run's progress at once, polls it, and shows the
result when the worker has finished it, with no reload.

Tests keep the database task backend of production (the run is queued as a row); the queued
row is then run by db_worker's own ``Worker.run_task``. (``db_worker --batch`` itself closes
the connection between tasks, which the test's transaction cannot survive.)"""

import pytest
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.dedupe.models import DuplicateRun

pytestmark = pytest.mark.django_db

POLL = {"HX-Request": "true", "HX-Target": "duplicate-run"}


@pytest.fixture
def people(users):
    agent = users["agent_n"]
    for given, family, phone in [
        ("علی", "رضائی", "09121234567"), ("علي", "رضايي", "+98 912 123 4567"),
        ("مینا", "احمدی", "09193334455"), ("Babak", "Nouri", "09124445566"),
    ]:  # fmt: skip
        data = ContactInput(given_name=given, family_name=family, phones=[PhoneInput(phone)])
        contact_create(actor=agent, data=data)


def _worker() -> None:
    """What one pass of ``peyvand db_worker`` does with each queued task."""
    worker = Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip
    for queued in DBTaskResult.objects.ready():
        queued.claim(worker.worker_id)
        worker.run_task(queued)


def test_after_find_the_page_shows_progress_then_the_result(
    people, client_for, django_capture_on_commit_callbacks
):
    """Given four contacts (one pair), when the agent presses Find duplicates at 50%, then the
    page says the search is waiting for a worker, with a progress bar and polling; once the
    worker has run it, the polled box says what was found and brings the pair list along."""
    client = client_for("agent_n")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("web:duplicate_run_start"), {"threshold": "50"})
    assert started.status_code == 302
    run = DuplicateRun.objects.get()
    assert (run.status, run.threshold) == ("queued", 0.5)

    page = client.get(started.url).content.decode()
    assert "No search for duplicates has run yet" not in page
    assert 'Looking for duplicates… <span id="run-stage">Waiting for a worker to start it.' in page
    assert 'hx-trigger="every 1s"' in page
    assert '<progress class="w-100" max="100" value="0"' in page
    polled = client.get(reverse("web:duplicate_review"), headers=POLL).content.decode()
    assert 'id="run-running"' in polled
    assert 'id="duplicate-pairs"' not in polled

    _worker()

    polled = client.get(reverse("web:duplicate_review"), headers=POLL).content.decode()
    run.refresh_from_db()
    assert run.status == "done"
    assert "compared 4 contacts and found 1 likely duplicate pairs in 1 groups." in polled
    assert 'hx-trigger="every 1s"' not in polled  # polling stops
    assert '<div id="duplicate-pairs" hx-swap-oob="true">' in polled
    assert polled.count('class="list-group-item duplicate-pair"') == 1
    assert "<html" not in polled


def test_thresholds_are_offered_in_per_cent_and_persian_digits(people, fa_client):
    page = fa_client.get(reverse("web:duplicate_review")).content.decode()
    assert (
        'id="run-threshold" class="form-control" name="threshold" inputmode="decimal" value="۹۰"'
        in page
    )


def test_a_threshold_that_is_not_a_number_is_refused_in_per_cent_words(people, client_for):
    client = client_for("agent_n")
    response = client.post(reverse("web:duplicate_run_start"), {"threshold": "abc"}, follow=True)
    assert "Type the match threshold as a percentage, e.g. 90." in response.content.decode()
    assert DuplicateRun.objects.count() == 0


def test_a_queued_search_can_be_cancelled_from_the_page(
    people, client_for, django_capture_on_commit_callbacks
):
    """Given a search waiting for a worker, when the agent presses Cancel, then the run is
    cancelled at once, the page says so and offers Find again, and a worker that comes later
    finds nothing to do."""
    client = client_for("agent_n")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("web:duplicate_run_start"), {"threshold": "90"})
    run = DuplicateRun.objects.get()
    page = client.get(reverse("web:duplicate_review")).content.decode()
    assert reverse("web:duplicate_run_cancel", args=[run.public_id]) in page

    response = client.post(reverse("web:duplicate_run_cancel", args=[run.public_id]))

    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.cancel_requested) == ("cancelled", True)
    page = client.get(reverse("web:duplicate_review")).content.decode()
    assert "The last search was cancelled." in page
    assert 'id="run-start"' in page
    _worker()
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert run.pairs_count == 0
