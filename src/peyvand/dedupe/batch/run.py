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
   (likeliest pair first, never two contacts marked "not a duplicate" in one cluster; a
   cluster's id is its smallest contact id; a pair kept out of one cluster has the cluster
   of its first contact, or else of its second).

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

# splink has no public path to these
from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT
from splink.internals.estimate_u import _rows_needed_for_n_pairs
from splink.internals.exceptions import SplinkException

from peyvand.dedupe.batch.settings import (
    COMPARISONS,
    DETERMINISTIC_COLUMNS,
    DETERMINISTIC_RECALL,
    TRAINING_COLUMNS,
    TRAINING_RULES,
    detection_settings,
)

DEFAULT_THRESHOLD = 0.9
U_MAX_PAIRS = 3e5
EM_MAX_PAIRS = 3e5  # a 1M table: thousands of duplicates in the sample, a third of the time
PRIOR_CEILING = 0.5
# Expectation maximisation on a small table can set a level's m to 0 (never seen among the
# duplicates it found), which would veto every pair at that level; no level is that certain.
M_FLOOR = 0.01
DUCKDB_MEMORY_LIMIT = "1200MB"  # with the input table and Python, a 1M run peaks under 2 GB

Progress = Callable[[str, float], None]
Exclude = Callable[[list[tuple[int, int]]], set[tuple[int, int]]]
MarksWithin = Callable[[list[list[int]]], set[tuple[int, int]]]


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


def _prior(con, table_name: str, contacts: int) -> tuple[float, int]:
    """The probability that two random contacts are one person, and the deterministic pairs
    (every pair any rule finds, once: what splink's cumulative count of the rules gives, in
    one query instead of a linker's)."""
    rules = [
        f"SELECT l.unique_id, r.unique_id FROM {table_name} AS l JOIN {table_name} AS r "  # noqa: S608 - names from the settings
        "ON l.unique_id < r.unique_id AND "
        + " AND ".join(f'l."{column}" = r."{column}"' for column in columns)
        for columns in DETERMINISTIC_COLUMNS
    ]
    found = con.sql(f"SELECT count(*) FROM ({' UNION '.join(rules)})").fetchall()[0][0]  # noqa: S608
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


def group_pairs(
    edges: Iterable[tuple[int, int, float]], cannot_link: Iterable[tuple[int, int]] = ()
) -> dict[int, list[int]]:
    """Groups of contacts joined by ``edges`` (a, b, probability), keyed by each group's
    smallest id, such that no group holds both contacts of a ``cannot_link`` pair (people
    said "not a duplicate").

    Likeliest edge first, two groups are joined unless that would put a marked pair in one:
    with A–B marked, A–C at 0.99 and B–C at 0.98 give the group {A, C}, not all three (B is in
    no group: a group has two members at least)."""
    apart: dict[int, set[int]] = {}
    for a, b in cannot_link:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    root: dict[int, int] = {}
    members: dict[int, list[int]] = {}

    def find(node: int) -> int:
        if node not in root:
            root[node], members[node] = node, [node]
        while root[node] != node:
            root[node] = root[root[node]]
            node = root[node]
        return node

    def _apart(small: int, large: int) -> bool:
        """Is a member of group ``small`` marked apart from a member of group ``large``?"""
        return any(
            other in root and find(other) == large
            for node in members[small]
            for other in apart.get(node, ())
        )

    for a, b, _probability in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        first, second = find(a), find(b)
        if first == second:
            continue
        small, large = sorted((first, second), key=lambda r: len(members[r]))
        if apart and _apart(small, large):
            continue
        keep, gone = min(small, large), max(small, large)
        root[gone] = keep
        members[keep].extend(members.pop(gone))
    return {key: sorted(group) for key, group in members.items() if len(group) > 1}


def cluster_pairs(
    pairs: Iterable[DetectedPair], cannot_link: Iterable[tuple[int, int]] = ()
) -> dict[int, list[int]]:
    """The groups of ``pairs`` (see ``group_pairs``); keyed by each group's smallest id."""
    return group_pairs(((p.a, p.b, p.probability) for p in pairs), cannot_link)


def _linker(sdf, settings) -> Linker:
    """A linker without splink's settings validation: it only logs columns the SQL of a
    setting names but the table lacks, our settings are fixed and tested, and it parses every
    level's SQL (about 0.2 s per linker)."""
    return Linker(sdf, settings, log_level=None, validate_settings=False)


def _sampled_u(
    linker: Linker, con, table_name: str, *, contacts: int, max_pairs: float, seed: int
) -> None:
    """splink's ``estimate_u_using_random_sampling`` (the same sampled contacts, the same
    pairs, so the same u values), in one pass over the sampled pairs for all comparisons
    instead of one cross join per comparison, which took a third of a small run.

    u of a level = its share of the sampled pairs outside the comparison's null level; a level
    no sampled pair fell in is "not observed" (splink then uses a u of 1e-6); fixed u values
    stay as they are."""
    settings = linker._settings_obj
    comparisons = settings.comparisons
    proportion = min(_rows_needed_for_n_pairs(max_pairs) / contacts, 1.0)
    unique_id = settings.column_info_settings.unique_id_input_columns
    sample = linker._proportion_sample_sql(proportion, unique_id, seed=seed)
    columns = dict.fromkeys(
        select
        for comparison in comparisons
        for column in comparison._input_columns_used_by_case_statement
        for select in column.l_r_names_as_l_r
    )
    uid = unique_id[0].name
    gammas = [c._gamma_column_name for c in comparisons]
    rows = con.sql(
        f"""
        WITH sample AS (SELECT * FROM {table_name} WHERE 1=1 {sample}),
        pairs AS (
            SELECT {", ".join(columns)}
            FROM sample AS l JOIN sample AS r ON l.{uid} < r.{uid}
        ),
        levels AS (SELECT {", ".join(c._case_statement for c in comparisons)} FROM pairs)
        SELECT {", ".join(gammas)}, count(*) FROM levels GROUP BY ALL
        """  # noqa: S608 - names and SQL from the settings
    ).fetchall()
    for index, comparison in enumerate(comparisons):
        counts: dict[int, int] = {}
        for row in rows:
            counts[row[index]] = counts.get(row[index], 0) + row[-1]
        counts.pop(-1, None)  # the null level: no u
        total = sum(counts.values())
        for level in comparison._comparison_levels_excluding_null:
            count = counts.get(level.comparison_vector_value, 0)
            level._add_trained_u_probability(
                count / total if count else LEVEL_NOT_OBSERVED_TEXT,
                "estimate u by random sampling",
            )
    linker._populate_m_u_from_trained_values()


def _block_pairs(con, table_name: str, columns: list[str]) -> list[int]:
    """How many pairs of contacts share a value of each of ``columns`` (one query)."""
    counts = " UNION ALL ".join(
        f"SELECT {i} AS rule, coalesce(sum(n * (n - 1) // 2), 0) FROM "  # noqa: S608 - names from the settings
        f'(SELECT count(*) AS n FROM {table_name} WHERE "{column}" IS NOT NULL GROUP BY "{column}")'
        for i, column in enumerate(columns)
    )
    rows = dict(con.sql(counts).fetchall())
    return [int(rows[i]) for i in range(len(columns))]


def _floor_m(linker: Linker) -> None:
    for comparison in linker._settings_obj.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            m = level.m_probability
            if isinstance(m, int | float) and m < M_FLOOR:
                level.m_probability = M_FLOOR


def _train(linker: Linker, sdf, con, *, contacts: int, seed: int) -> tuple[Linker, list[str]]:
    """Estimate u, then m over each training rule; returns the trained linker and notes.

    A rule no two contacts share a value of is skipped without asking splink (a table without
    phones); a rule with few pairs is trained on all of them without splink's sampling probe."""
    notes = []
    pairs_total = contacts * (contacts - 1) / 2
    _sampled_u(
        linker, con, sdf.physical_name, contacts=contacts,
        max_pairs=min(U_MAX_PAIRS, pairs_total), seed=seed,
    )  # fmt: skip
    blocks = _block_pairs(con, sdf.physical_name, TRAINING_COLUMNS)
    for rule, pairs in zip(TRAINING_RULES, blocks, strict=True):
        description = rule.get_blocking_rule("duckdb").blocking_rule_sql
        if not pairs:
            notes.append(f"EM over {description} skipped: no two contacts share a value")
            continue
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule,
                estimate_without_term_frequencies=True,
                max_pairs=EM_MAX_PAIRS if pairs > EM_MAX_PAIRS else None,
            )
        except (SplinkException, ValueError, duckdb.Error) as exc:
            # e.g. no pair in any block: the levels keep their prior m values. A failed
            # session leaves the linker without the comparisons it set aside, so start again
            # from the model as it was.
            notes.append(f"EM over {description} skipped: {str(exc).splitlines()[0]}")
            linker = _linker(sdf, before)
    return linker, notes


def detect_duplicates(
    table: pa.Table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    exclude: Exclude | None = None,
    marks_within: MarksWithin | None = None,
    on_progress: Progress | None = None,
    seed: int = 42,
) -> DetectionResult:
    """The likely duplicate pairs among the rows of ``table`` (see ``features.SCHEMA``), each
    with its probability and explanation, and the clusters they form at ``threshold``.

    ``exclude`` gets the candidate pairs as (smaller id, larger id) and returns those to drop;
    ``marks_within`` gets groups of contact ids and returns the marked pairs inside them, which
    are kept out of one cluster (``group_pairs``).
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
        prior, _found = _prior(con, sdf.physical_name, contacts)
        linker = _linker(sdf, detection_settings(prior=prior))
        linker, notes = _train(linker, sdf, con, contacts=contacts, seed=seed)
        _floor_m(linker)
        model = linker.misc.save_model_to_json()
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
    # A group of two is one pair, and a marked pair was dropped above; bigger groups may still
    # hold two contacts someone said are different people (both like a third).
    larger = [members for members in clusters.values() if len(members) > 2]
    if marks_within is not None and larger:
        marks = marks_within(larger)
        if marks:
            clusters = cluster_pairs(pairs, marks)
    cluster_of = {node: key for key, members in clusters.items() for node in members}
    pairs = sorted(
        (
            DetectedPair(
                p.a,
                p.b,
                p.probability,
                p.match_weight,
                p.explanation,
                cluster_of.get(p.a) or cluster_of.get(p.b) or p.a,
            )
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
