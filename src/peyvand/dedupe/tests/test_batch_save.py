"""Saving a detection run's pairs (``dedupe.services.detection``): every value written as the
model would write it, and pairs of contacts deleted meanwhile dropped."""

import pytest

from peyvand.customers.models import Contact
from peyvand.customers.services import ContactInput, contact_create
from peyvand.dedupe.batch.run import DetectedPair, DetectionResult
from peyvand.dedupe.models import DuplicatePair, DuplicateRun
from peyvand.dedupe.services import detection

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(users):
    return [
        contact_create(actor=users["admin"], data=ContactInput(given_name=f"C{i}")).pk
        for i in range(3)
    ]


def _result(ids: list[int]) -> DetectionResult:
    a, b, c = ids
    why = {"given": {"level": "exact", "weight": 6.5}, "phone": {"level": "missing", "weight": 0}}
    pairs = [
        DetectedPair(a, b, 0.98, 12.5, why, cluster_id=a),
        DetectedPair(a, c, 0.91, 7.25, {}, cluster_id=a),
    ]
    return DetectionResult(contacts=3, pairs=pairs, clusters={a: [a, b, c]})


def test_pairs_are_saved_with_every_value(users, three):
    """Given a run's result, when its pairs are inserted, then each row holds the pair's ids,
    probability, weight, explanation (JSON), group and the default status."""
    run = DuplicateRun.objects.create(threshold=0.9, status="running", created_by=users["admin"])
    a, b, c = three

    detection._insert_pairs(run, _result(three))

    rows = list(
        DuplicatePair.objects.filter(run=run)
        .order_by("contact_b_id")
        .values_list(
            "contact_a_id", "contact_b_id", "probability", "match_weight", "explanation",
            "cluster_id", "status",
        )
    )  # fmt: skip
    assert rows == [
        (a, b, 0.98, 12.5, _result(three).pairs[0].explanation, a, "open"),
        (a, c, 0.91, 7.25, {}, a, "open"),
    ]


@pytest.mark.parametrize("batch", [5000, 1], ids=["one_query", "id_range"])
def test_pairs_of_a_contact_deleted_meanwhile_are_dropped(monkeypatch, three, batch):
    """Given a result whose third contact was deleted after reading, then its pair is
    dropped and the other kept, whether the ids are looked up at once or over their range."""
    monkeypatch.setattr(detection, "SAVE_BATCH", batch)
    a, b, c = three
    Contact.objects.filter(pk=c).delete()

    kept = detection._without_vanished(_result(three))

    assert [(p.a, p.b) for p in kept.pairs] == [(a, b)]
    assert kept.clusters == {a: [a, b, c]}
