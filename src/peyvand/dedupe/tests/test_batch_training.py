"""The training shortcuts of ``dedupe.batch.run``: each gives what splink's own step gives (the
same u values, the same deterministic pair count, the same level of each pair), only faster."""

import duckdb
import pytest
from splink import DuckDBAPI, SettingsCreator
from splink import comparison_level_library as cll
from splink import comparison_library as cl
from splink.blocking_analysis import count_comparisons_from_blocking_rules

from peyvand.dedupe.batch.features import ContactRecord, features_table
from peyvand.dedupe.batch.run import _block_pairs, _linker, _prior, _sampled_u
from peyvand.dedupe.batch.settings import (
    DETERMINISTIC_RULES,
    _digit_typo,
    _edits_apart,
    _only_if,
    detection_settings,
)
from peyvand.dedupe.tests.batch_world import generate_world, to_record


@pytest.fixture(scope="module")
def table():
    people, _truth = generate_world(seed=5)
    return features_table([to_record(person, index) for index, person in enumerate(people)])


def _u_values(linker) -> list[tuple[str, str, object]]:
    model = linker.misc.save_model_to_json()
    return [
        (comparison["output_column_name"], level["label_for_charts"], level.get("u_probability"))
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    ]


def test_sampled_u_gives_splinks_u_values(table):
    """Given one table and seed, then u from one pass over the sampled pairs equals splink's
    estimate_u_using_random_sampling, level by level (fixed u values kept)."""
    with duckdb.connect() as con:
        sdf = DuckDBAPI(connection=con).register(table, table_name="contacts")
        splinks = _linker(sdf, detection_settings(prior=0.001))
        splinks.training.estimate_u_using_random_sampling(
            max_pairs=5000, seed=3, min_count_per_level=None, num_chunks=1
        )
        ours = _linker(sdf, detection_settings(prior=0.001))
        _sampled_u(ours, con, "contacts", contacts=table.num_rows, max_pairs=5000, seed=3)

        expected, got = _u_values(splinks), _u_values(ours)

    assert [(c, level) for c, level, _u in got] == [(c, level) for c, level, _u in expected]
    for (name, level, u), (_n, _l, want) in zip(got, expected, strict=True):
        assert u == pytest.approx(want, rel=1e-9), (name, level)
    assert ("national_id", "exact", 1e-6) in got  # fixed, not sampled


def test_prior_counts_the_pairs_splink_counts(table):
    """Given the deterministic rules, then the pairs counted by one UNION query are splink's
    cumulative count of the same rules."""
    with duckdb.connect() as con:
        sdf = DuckDBAPI(connection=con).register(table, table_name="contacts")
        records = count_comparisons_from_blocking_rules(
            sdf, blocking_rules=DETERMINISTIC_RULES, link_type="dedupe_only",
            record_sample_proportion=1.0,
        )  # fmt: skip
        _prior_value, found = _prior(con, "contacts", table.num_rows)

    assert found == int(records[-1]["cumulative_comparison_count"])
    assert found > 0


def test_block_pairs_counts_pairs_sharing_a_value():
    """Given phones a, a, a, b, none, then three pairs share a phone; no birth date: none."""
    records = [
        ContactRecord(id=i + 1, given_name="X", phones=[phone] if phone else [])
        for i, phone in enumerate(["+989120000001"] * 3 + ["+989120000002", ""])
    ]
    with duckdb.connect() as con:
        con.register("contacts", features_table(records))

        assert _block_pairs(con, "contacts", ["phone", "birth_date"]) == [3, 0]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("1234", "1234"), ("1234", "1235"), ("1234", "1243"), ("1234", "2143"),
        ("1234", "123"), ("1234", "12345"), ("1234", "1324"), ("1234", "13245"),
        ("12", "1234"), ("abcd", "abdc"), ("maryam", "mariam"), ("ali", "alii"),
        ("ali", None), (None, None),
    ],
)  # fmt: skip
def test_guarded_distances_agree_with_the_plain_ones(left, right):
    """The cheap forms (distance computed only where it can hold) say what the plain distances
    say, for equal and unequal lengths, swaps and missing values."""
    sql = (
        (
            f"SELECT coalesce({_edits_apart('v')}, false), "
            "coalesce(levenshtein(v_l, v_r) <= 1, false), "
            f"coalesce({_digit_typo('v')}, false), "
            "coalesce(damerau_levenshtein(v_l, v_r) <= 1, false), "
            f"coalesce({_only_if('v_l = v_r', 'length(v_l) > 2')}, false), "
            "coalesce(v_l = v_r AND length(v_l) > 2, false) "
            "FROM (SELECT ?::VARCHAR AS v_l, ?::VARCHAR AS v_r)"
        )
        .replace('"v_l"', "v_l")
        .replace('"v_r"', "v_r")
    )
    with duckdb.connect() as con:
        edits, levenshtein, typo, damerau, guarded, plain = con.execute(
            sql, [left, right]
        ).fetchall()[0]

    assert (edits, typo, guarded) == (levenshtein, damerau, plain)


def test_a_level_no_sampled_pair_reaches_is_left_unobserved_as_splink_leaves_it():
    """Given 30 different given names, then no sampled pair is an exact match: that level's
    u stays unset ("not observed", splink then uses 1e-6), exactly as splink's estimate."""
    records = [ContactRecord(id=i + 1, given_name=f"N{i}") for i in range(30)]

    def settings():
        return SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="unique_id",
            comparisons=[
                cl.CustomComparison(
                    output_column_name="given",
                    comparison_levels=[
                        cll.NullLevel("given_key"),
                        cll.ExactMatchLevel("given_key"),
                        cll.ElseLevel(),
                    ],
                )
            ],
        )

    with duckdb.connect() as con:
        sdf = DuckDBAPI(connection=con).register(features_table(records), table_name="contacts")
        ours = _linker(sdf, settings())
        _sampled_u(ours, con, "contacts", contacts=30, max_pairs=1e4, seed=1)
        splinks = _linker(sdf, settings())
        splinks.training.estimate_u_using_random_sampling(
            max_pairs=1e4, seed=1, min_count_per_level=None, num_chunks=1
        )

        assert (
            _u_values(ours)
            == _u_values(splinks)
            == [
                ("given", "Exact match on given_key", None),
                ("given", "All other comparisons", 1.0),
            ]
        )
