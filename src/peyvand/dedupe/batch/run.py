"""Run the splink model over an input table (``features``) and return the duplicate pairs.

Pure of the ORM: a pyarrow table in, dataclasses out, everything in an in-memory DuckDB.

1. prior — the probability that two random contacts are one person: the pairs the
   near-certain ``DETERMINISTIC_RULES`` find, over all pairs, divided by their assumed recall;
2. u — how often each comparison level happens by chance — from random pairs;
3. m — how often it happens for a true duplicate — by expectation maximisation over the
   ``TRAINING_RULES`` blocks, starting from the levels' prior m values (kept where a run
   cannot estimate them, e.g. on a tiny table), none below ``M_FLOOR``; no labels anywhere;
4. predict every candidate pair of the ``PREDICTION_RULES`` at ``threshold``;
5. drop the pairs ``exclude`` names (people said "not a duplicate"), then cluster what is left
   by connected components (a cluster's id is its smallest contact id).

Each pair keeps, per comparison, the level it fell in and that level's match weight (log2 of
its Bayes factor): that is its explanation.

The threshold is a posterior probability, not a score: with the prior estimated from the data
itself, 0.9 (``DEFAULT_THRESHOLD``) means "of the pairs that look like this, nine in ten are one
person" — a choice made without labelled pairs. Raise it to review fewer, surer pairs.
"""

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker
from splink.blocking_analysis import count_comparisons_from_blocking_rules
from splink.internals.exceptions import SplinkException  # splink has no public path to it

from peyvand.dedupe.batch.settings import (
    COMPARISONS,
    DETERMINISTIC_RECALL,
    DETERMINISTIC_RULES,
    TRAINING_RULES,
    detection_settings,
)

DEFAULT_THRESHOLD = 0.9
U_MAX_PAIRS = 1e6
EM_MAX_PAIRS = 1e6
PRIOR_CEILING = 0.5
# Expectation maximisation on a small table can set a level's m to 0 (never seen among the
# duplicates it found), which would veto every pair at that level; no level is that certain.
M_FLOOR = 0.01
DUCKDB_MEMORY_LIMIT = "1500MB"

Progress = Callable[[str, float], None]
Exclude = Callable[[list[tuple[int, int]]], set[tuple[int, int]]]


@dataclass(frozen=True)
class DetectedPair:
    a: int  # the smaller contact id
    b: int
    probability: float
    match_weight: float
    explanation: dict[str, dict]  # {"name": {"level": "skeleton", "weight": 5.1}, …}
    cluster_id: int = 0


@dataclass
class DetectionResult:
    contacts: int
    pairs: list[DetectedPair]
    clusters: dict[int, list[int]]  # cluster id → its contact ids, sorted
    excluded: int = 0  # candidate pairs dropped because they were marked "not a duplicate"
    model: dict = field(default_factory=dict)  # the trained splink settings (JSON)
    notes: list[str] = field(default_factory=list)  # training steps that were skipped, and why


@contextlib.contextmanager
def _quiet_splink():
    """splink logs every level it could not train as a warning; a run reports its own notes."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _report(on_progress: Progress | None, stage: str, fraction: float) -> None:
    if on_progress is not None:
        on_progress(stage, fraction)


def _prior(sdf, contacts: int) -> tuple[float, int]:
    """The probability that two random contacts are one person, and the deterministic pairs."""
    records = count_comparisons_from_blocking_rules(
        sdf,
        blocking_rules=DETERMINISTIC_RULES,
        link_type="dedupe_only",
        # exact: the rules join on near-unique keys, and a sample of rare pairs is noise
        record_sample_proportion=1.0,
    )
    found = int(records[-1]["cumulative_comparison_count"])
    total = contacts * (contacts - 1) / 2
    # With no certain pair at all, still expect one: a prior of 0 would find nothing.
    return min(max(found, 1) / DETERMINISTIC_RECALL / total, PRIOR_CEILING), found


def _level_codes(model: dict) -> dict[str, dict[int, str]]:
    """comparison → {gamma value → level code}: the null level is -1, the others count down
    to 0 (splink's numbering)."""
    codes: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        value = sum(1 for level in levels if not level.get("is_null_level")) - 1
        numbered = {}
        for level in levels:
            if level.get("is_null_level"):
                numbered[-1] = level["label_for_charts"]
            else:
                numbered[value] = level["label_for_charts"]
                value -= 1
        codes[comparison["output_column_name"]] = numbered
    return codes


def _read_pairs(con, table_name: str, columns: set[str], codes) -> list[DetectedPair]:
    select = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    for name in COMPARISONS:
        select += [f"gamma_{name}", f"mw_{name}"]
        select.append(f"mw_tf_adj_{name}" if f"mw_tf_adj_{name}" in columns else "0")
    rows = con.sql(f"SELECT {', '.join(select)} FROM {table_name}").fetchall()  # noqa: S608
    pairs = []
    for left, right, probability, weight, *values in rows:
        explanation = {}
        for index, name in enumerate(COMPARISONS):
            gamma, weight_part, tf_part = values[3 * index : 3 * index + 3]
            explanation[name] = {
                "level": codes[name][gamma],
                "weight": round(weight_part + tf_part, 2),
            }
        low, high = sorted((left, right))
        pairs.append(DetectedPair(low, high, round(probability, 6), round(weight, 2), explanation))
    return pairs


def cluster_pairs(pairs: Iterable[DetectedPair]) -> dict[int, list[int]]:
    """Connected components of the pairs (union-find); keyed by each cluster's smallest id."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in pairs:
        first, second = root(pair.a), root(pair.b)
        if first != second:
            parent[max(first, second)] = min(first, second)
    clusters: dict[int, list[int]] = {}
    for node in parent:
        clusters.setdefault(root(node), []).append(node)
    return {key: sorted(members) for key, members in clusters.items()}


def _floor_m(model: dict) -> dict:
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            m = level.get("m_probability")
            if isinstance(m, int | float) and m < M_FLOOR:
                level["m_probability"] = M_FLOOR
    return model


def _train(linker: Linker, sdf, *, pairs_total: float, seed: int) -> tuple[Linker, list[str]]:
    """Estimate u, then m over each training rule; returns the trained linker and notes."""
    notes = []
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(U_MAX_PAIRS, pairs_total), seed=seed, min_count_per_level=None
    )
    for rule in TRAINING_RULES:
        description = rule.get_blocking_rule("duckdb").blocking_rule_sql
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
            )
        except (SplinkException, ValueError, duckdb.Error) as exc:
            # e.g. no pair in any block: the levels keep their prior m values. A failed
            # session leaves the linker without the comparisons it set aside, so start again
            # from the model as it was.
            notes.append(f"EM over {description} skipped: {str(exc).splitlines()[0]}")
            linker = Linker(sdf, before, log_level=None)
    return linker, notes


def detect_duplicates(
    table: pa.Table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    exclude: Exclude | None = None,
    on_progress: Progress | None = None,
    seed: int = 42,
) -> DetectionResult:
    """The likely duplicate pairs among the rows of ``table`` (see ``features.SCHEMA``), each
    with its probability and explanation, and the clusters they form at ``threshold``.

    ``exclude`` gets the candidate pairs as (smaller id, larger id) and returns those to drop.
    ``on_progress(stage, fraction)`` is called as the stages go by.
    """
    contacts = table.num_rows
    if contacts < 2:
        return DetectionResult(contacts=contacts, pairs=[], clusters={})
    with duckdb.connect() as con, _quiet_splink():
        con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        db_api = DuckDBAPI(connection=con)
        sdf = db_api.register(table, table_name="contacts")
        _report(on_progress, "training", 0.0)
        prior, _found = _prior(sdf, contacts)
        linker = Linker(sdf, detection_settings(prior=prior), log_level=None)
        linker, notes = _train(linker, sdf, pairs_total=contacts * (contacts - 1) / 2, seed=seed)
        model = _floor_m(linker.misc.save_model_to_json())
        linker = Linker(sdf, model, log_level=None)
        _report(on_progress, "predicting", 0.5)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        name = predictions.physical_name
        columns = set(con.table(name).columns)
        pairs = _read_pairs(con, name, columns, _level_codes(model))
    _report(on_progress, "clustering", 0.9)
    excluded: set[tuple[int, int]] = set()
    if exclude is not None and pairs:
        excluded = exclude([(p.a, p.b) for p in pairs])
        pairs = [p for p in pairs if (p.a, p.b) not in excluded]
    clusters = cluster_pairs(pairs)
    cluster_of = {node: key for key, members in clusters.items() for node in members}
    pairs = sorted(
        (
            DetectedPair(p.a, p.b, p.probability, p.match_weight, p.explanation, cluster_of[p.a])
            for p in pairs
        ),
        key=lambda p: (-p.probability, p.a, p.b),
    )
    _report(on_progress, "done", 1.0)
    return DetectionResult(
        contacts=contacts,
        pairs=pairs,
        clusters=clusters,
        excluded=len(excluded),
        model=model,
        notes=notes,
    )
