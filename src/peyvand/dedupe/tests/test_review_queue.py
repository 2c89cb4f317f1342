"""The duplicate review queue (``/duplicates/``): a real detection run started from the page,
then skip, "not a duplicate", merge from the compare page, bulk merge, and undo."""

import pytest
from django.urls import reverse

from peyvand.customers.models import Contact
from peyvand.customers.services import ContactInput, PhoneInput, contact_create
from peyvand.dedupe.models import DuplicatePair, DuplicateRun, Merge, NotDuplicate
from peyvand.dedupe.selectors.merges import contact_pair_is_not_duplicate
from peyvand.dedupe.services import merge_undo
from peyvand.dedupe.services.detection import duplicate_run_now

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(users):
    """«علی رضائی» saved twice (Arabic letters, another phone format), «سارا کریمی» twice,
    and two other people."""
    agent = users["agent_n"]

    def person(given, family, phone):
        data = ContactInput(given_name=given, family_name=family, phones=[PhoneInput(phone)])
        return contact_create(actor=agent, data=data)

    return {
        "ali": person("علی", "رضائی", "09121234567"),
        "ali2": person("علي", "رضايي", "+98 912 123 4567"),
        "sara": person("سارا", "کریمی", "09351112233"),
        "sara2": person("سارا", "كريمي", "۰۹۳۵۱۱۱۲۲۳۳"),
        "mina": person("مینا", "احمدی", "09193334455"),
        "babak": person("Babak", "Nouri", "09124445566"),
    }


def _open_pairs(run):
    pairs = DuplicatePair.objects.filter(run=run, status="open").order_by("contact_a_id")
    return [(p.contact_a_id, p.contact_b_id) for p in pairs]


def test_a_run_started_from_the_page_lists_its_pairs(
    people, client_for, django_capture_on_commit_callbacks
):
    """Given duplicates, when an agent presses "Find duplicates" (a threshold typed in Persian
    digits), then the task runs and the queue lists both pairs with their reasons and a
    compare link. (Six contacts teach the model little: their pairs score about 0.84.)"""
    client = client_for("agent_n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:duplicate_run_start"), {"threshold": "۰٫۵"})
    assert response.status_code == 302
    run = DuplicateRun.objects.get()
    assert (run.status, run.threshold) == ("done", 0.5)

    page = client.get(reverse("web:duplicate_review")).content.decode()
    ali, ali2 = people["ali"], people["ali2"]
    assert page.count('class="list-group-item duplicate-pair"') == 2
    assert f"ids={ali.public_id},{ali2.public_id}" in page
    assert "same phone" in page  # the explanation in words, in the agent's language
    assert "(+" not in page  # no raw match weights


def test_a_bad_threshold_is_refused_with_a_message(people, client_for):
    client = client_for("agent_n")
    response = client.post(reverse("web:duplicate_run_start"), {"threshold": "abc"}, follow=True)
    assert "Type the match threshold as a percentage, e.g. 90." in response.content.decode()
    assert DuplicateRun.objects.count() == 0


def test_not_a_duplicate_is_remembered_and_never_proposed_again(people, users, client_for):
    """Given a run, when the agent marks the Sara pair "not a duplicate", then it leaves the
    queue, the mark is stored, and the next run does not propose it."""
    run = duplicate_run_now(actor=users["agent_n"], threshold=0.5)
    sara, sara2 = sorted((people["sara"], people["sara2"]), key=lambda c: c.pk)
    pair = DuplicatePair.objects.get(run=run, contact_a=sara, contact_b=sara2)

    response = client_for("agent_n").post(
        reverse("web:duplicate_pair_not_duplicate", args=[pair.pk])
    )

    assert response.status_code == 302
    assert contact_pair_is_not_duplicate(a=sara.pk, b=sara2.pk)
    assert NotDuplicate.objects.count() == 1
    again = duplicate_run_now(actor=users["agent_n"], threshold=0.5)
    assert (sara.pk, sara2.pk) not in _open_pairs(again)
    assert (people["ali"].pk, people["ali2"].pk) in _open_pairs(again)


def test_skip_leaves_the_queue_without_remembering(people, users, client_for):
    run = duplicate_run_now(actor=users["agent_n"], threshold=0.5)
    pair = DuplicatePair.objects.filter(run=run).first()
    client_for("agent_n").post(reverse("web:duplicate_pair_skip", args=[pair.pk]))
    pair.refresh_from_db()
    assert pair.status == "skipped"
    assert NotDuplicate.objects.count() == 0


def test_merging_from_the_compare_page_closes_the_pair_and_undo_reopens_it(
    people, users, client_for
):
    run = duplicate_run_now(actor=users["agent_n"], threshold=0.5)
    ali, ali2 = people["ali"], people["ali2"]
    client = client_for("agent_n")

    client.post(reverse("web:contact_merge"), {"ids": f"{ali.public_id},{ali2.public_id}"})

    assert not Contact.objects.filter(pk=ali2.pk).exists()
    pair = DuplicatePair.objects.get(run=run, contact_a=ali.pk, contact_b=ali2.pk)
    assert pair.status == "merged"
    page = client.get(reverse("web:duplicate_review")).content.decode()
    assert ali2.public_id not in page
    merge_undo(actor=users["agent_n"], merge_public_id=Merge.objects.get().public_id)
    pair.refresh_from_db()
    assert pair.status == "open"


def test_bulk_merge_above_a_threshold_merges_each_group_into_its_oldest(people, users, client_for):
    """Given a run with two groups, when the agent merges in bulk at 0.8, then each group is
    one record (the oldest stays), each as its own undoable merge."""
    duplicate_run_now(actor=users["agent_n"], threshold=0.5)

    response = client_for("agent_n").post(
        reverse("web:duplicate_merge_above"), {"threshold": "0.8"}, follow=True
    )

    assert response.status_code == 200
    remaining = set(Contact.objects.values_list("pk", flat=True))
    assert remaining == {people[k].pk for k in ("ali", "sara", "mina", "babak")}
    assert Merge.objects.count() == 2
    assert "2 groups merged (2 records merged into others)." in response.content.decode()


def test_bulk_merge_refuses_a_threshold_below_one_half(people, users, client_for):
    duplicate_run_now(actor=users["agent_n"], threshold=0.5)
    client_for("agent_n").post(reverse("web:duplicate_merge_above"), {"threshold": "0.3"})
    assert Contact.objects.count() == 6
    assert Merge.objects.count() == 0


def test_a_viewer_sees_the_queue_without_actions(people, users, client_for):
    duplicate_run_now(actor=users["admin"], threshold=0.5)
    page = client_for("viewer_n").get(reverse("web:duplicate_review")).content.decode()
    assert "run-start" not in page and "bulk-merge" not in page
    assert "compare-merge" not in page


def test_another_teams_agent_cannot_touch_a_pair(people, users, client_for):
    run = duplicate_run_now(actor=users["agent_n"], threshold=0.5)
    pair = DuplicatePair.objects.filter(run=run).first()
    response = client_for("agent_s").post(reverse("web:duplicate_pair_skip", args=[pair.pk]))
    assert response.status_code == 404
    pair.refresh_from_db()
    assert pair.status == "open"
