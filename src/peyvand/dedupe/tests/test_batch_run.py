"""The batch detection pipeline (``dedupe.batch.run``) on generated contacts, without the
database: Persian variants found, distinct people kept apart, exclusions, clusters."""

import pytest

from peyvand.dedupe.batch.features import ContactRecord, features_table
from peyvand.dedupe.batch.run import DetectedPair, cluster_pairs, detect_duplicates
from peyvand.dedupe.batch.settings import COMPARISONS, LEVEL_TEXT
from peyvand.dedupe.tests.batch_world import (
    DUPLICATES_PER_KIND,
    KINDS,
    generate_world,
    precision_recall,
    to_record,
)

# The three spellings of one man, and a namesake with nothing else in common.
ALI = [
    ContactRecord(id=9001, given_name="علی", family_name="رضائی", phones=["+989121234567"],
                  birth_date="1988-03-21"),
    ContactRecord(id=9002, given_name="علي", family_name="رضايي", phones=["+989121234567"],
                  emails=["ali.rezaei.88@gmail.com"]),
    ContactRecord(id=9003, given_name="Ali", family_name="Rezaei", phones=["+989121234567"]),
    ContactRecord(id=9004, given_name="علی", family_name="رضایی", phones=["+989357654321"],
                  birth_date="1971-11-30", city="شیراز"),
]  # fmt: skip


@pytest.fixture(scope="module")
def world():
    people, truth = generate_world(seed=7)
    records = [to_record(person, index) for index, person in enumerate(people)]
    return people, truth, records


@pytest.fixture(scope="module")
def result(world):
    _people, _truth, records = world
    return detect_duplicates(features_table(records + ALI), threshold=0.9)


def _found(result) -> set[tuple[int, int]]:
    return {(p.a, p.b) for p in result.pairs}


def test_the_planted_duplicates_are_found_with_precision_and_recall_of_at_least_09(world, result):
    """Given 270 people and 30 planted duplicates, when detection runs at 0.9, then at least
    90% of the planted pairs are found and at least 90% of what is found was planted."""
    _people, truth, _records = world

    precision, recall = precision_recall(_found(result) - _ali_pairs(result), truth)

    assert precision >= 0.9
    assert recall >= 0.9
    assert result.contacts == 304


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_variant_is_found(world, result, kind):
    """Arabic letters, Latin spellings, ZWNJ/spaces, typos, swapped names, a changed phone
    with the same national ID…: every planted duplicate of the kind is found."""
    people, truth, _records = world
    planted = {(a, b) for a, b in truth if people[b]["kind"] == kind}

    assert len(planted) == DUPLICATES_PER_KIND
    assert planted <= _found(result)


def _ali_pairs(result) -> set[tuple[int, int]]:
    return {(a, b) for a, b in _found(result) if a >= 9001 or b >= 9001}


def test_persian_arabic_and_latin_spellings_with_one_phone_are_one_cluster(result):
    """Given «علی رضائی» 0912…, «علي رضايي» +98 912… and "Ali Rezaei" with the same phone,
    then they are three pairs of one cluster, and the explanation says why."""
    pairs = {(p.a, p.b): p for p in result.pairs}

    assert _ali_pairs(result) == {(9001, 9002), (9001, 9003), (9002, 9003)}
    assert result.clusters[9001] == [9001, 9002, 9003]
    assert {pairs[k].cluster_id for k in _ali_pairs(result)} == {9001}
    assert pairs[(9001, 9002)].explanation["given"]["level"] == "exact"
    assert pairs[(9001, 9002)].explanation["family"]["level"] == "exact"
    assert pairs[(9001, 9003)].explanation["given"]["level"] == "skeleton"
    assert pairs[(9001, 9003)].explanation["family"]["level"] == "skeleton"
    assert pairs[(9001, 9003)].explanation["phone"]["level"] == "shared"
    assert pairs[(9001, 9003)].explanation["birth_date"] == {"level": "missing", "weight": 0.0}
    assert pairs[(9001, 9003)].explanation["phone"]["weight"] > 0


def test_a_namesake_with_nothing_else_in_common_is_not_paired(result):
    """Given «علی رضایی» with another phone, birth date and city, then it is in no pair."""
    assert not any(9004 in (p.a, p.b) for p in result.pairs)


def test_namesakes_and_household_members_are_not_paired(world, result):
    """Given people with the same name only, and people sharing a family name and a home
    phone but not a given name, then none of them is paired with the other."""
    _people, truth, _records = world
    wrong = _found(result) - truth - _ali_pairs(result)

    assert wrong == set()


def test_pairs_carry_probability_weight_and_an_explanation_per_comparison(result):
    pair = result.pairs[0]

    assert 0.9 <= pair.probability <= 1
    assert [p.probability for p in result.pairs] == sorted(
        (p.probability for p in result.pairs), reverse=True
    )
    assert all(p.a < p.b for p in result.pairs)
    assert list(pair.explanation) == list(COMPARISONS)
    assert {d["level"] for p in result.pairs for d in p.explanation.values()} <= set(LEVEL_TEXT)
    assert result.model["link_type"] == "dedupe_only"
    assert 0 < result.model["probability_two_random_records_match"] < 0.01


def test_excluded_pairs_are_dropped_before_clustering(world):
    """Given the three spellings of Ali, when the pair (9001, 9003) is excluded (marked "not a
    duplicate"), then it is not proposed and the others stay."""
    _people, _truth, records = world
    asked = []

    def exclude(pairs):
        asked.extend(pairs)
        return {(9001, 9003)}

    result = detect_duplicates(features_table(records + ALI), threshold=0.9, exclude=exclude)

    assert (9001, 9003) in asked
    assert _ali_pairs(result) == {(9001, 9002), (9002, 9003)}
    assert result.excluded == 1
    assert result.clusters[9001] == [9001, 9002, 9003]  # still linked through 9002


def test_a_higher_threshold_keeps_only_likelier_pairs(world, result):
    _people, _truth, records = world

    strict = detect_duplicates(features_table(records + ALI), threshold=0.999)

    assert _found(strict) <= _found(result)
    assert all(p.probability >= 0.999 for p in strict.pairs)


def test_progress_is_reported_by_stage(world):
    _people, _truth, records = world
    stages = []

    detect_duplicates(
        features_table(records[:120]), threshold=0.9, on_progress=lambda s, f: stages.append(s)
    )

    assert stages == ["training", "predicting", "clustering", "done"]


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_contacts_find_nothing(count):
    result = detect_duplicates(features_table(ALI[:count]))

    assert (result.contacts, result.pairs, result.clusters) == (count, [], {})


def test_two_contacts_are_enough_to_run():
    """Given only two records of one person, then the run completes (priors stand in for what
    cannot be learned from one pair) and pairs them."""
    result = detect_duplicates(features_table(ALI[:2]), threshold=0.5)

    assert [(p.a, p.b) for p in result.pairs] == [(9001, 9002)]


def test_cluster_pairs_are_connected_components_keyed_by_smallest_id():
    def pair(a, b):
        return DetectedPair(a, b, 0.99, 10.0, {})

    clusters = cluster_pairs([pair(5, 9), pair(2, 9), pair(7, 8), pair(2, 5)])

    assert clusters == {2: [2, 5, 9], 7: [7, 8]}


def test_a_training_rule_without_pairs_is_skipped_and_the_model_keeps_every_comparison(world):
    """Given contacts of which no two share a phone or a birth date, when detection runs, then
    expectation maximisation over the phone and the birth date blocks is skipped with a note
    each, and every comparison is still part of the model (splink drops them from a linker
    whose training failed)."""
    _people, _truth, records = world
    lonely = [r for r in records[:120] if r.phones]
    lonely = [
        r for i, r in enumerate(lonely) if r.phones[0] not in {x.phones[0] for x in lonely[:i]}
    ]

    result = detect_duplicates(features_table(lonely), threshold=0.9)

    assert [n.split(" skipped")[0] for n in result.notes] == [
        'EM over l."phone" = r."phone"',
        'EM over l."birth_date" = r."birth_date"',
    ]
    assert [c["output_column_name"] for c in result.model["comparisons"]] == list(COMPARISONS)
