"""One search selector, two engines.

* SQLite: an FTS5 table with the trigram tokenizer over ``search_document`` (kept in step by
  triggers, see migration 0002): any substring of three or more characters is an index hit.
* PostgreSQL: a GIN ``gin_trgm_ops`` index on ``search_document``; ``LIKE '%tok%'`` uses it
  (a token of one or two letters matches the start of a word, which the index can serve).

Both take at most ``CANDIDATES`` matches, newest first, and rank those in Python (whole words,
then word starts), so a common word costs no more than a rare one. Typo tolerance goes
through the name vocabulary of ``common.typos`` (exact, indexed lookups) and rapidfuzz.

Both search the same document (names, emails, phones in E.164 and national form, national
ID, organisation names, custom field text, then the name's words written together) built by
``customers.services.search_document``, in the matching form of ``common.persian.search_key``.
A query word matches inside one term or at the start of a run of words written together, never
across two words (``_in_one_word``), which every candidate row is checked for.
Results are always capped.
"""

import time
from collections import Counter

from django.db import connection, transaction
from django.db.models import BooleanField, Model, Q
from django.db.models.expressions import RawSQL

from peyvand.accounts.models import User
from peyvand.common.persian import search_key
from peyvand.common.phones import phone_search_variants
from peyvand.common.typos import MIN_WORD, close_words, variants
from peyvand.customers.models import Contact, Organization, SearchWord
from peyvand.customers.selectors.contacts import with_first_contacts
from peyvand.customers.selectors.visibility import visible_q
from peyvand.customers.services.search_document import RUNS_MARK

MAX_RESULTS = 50
CANDIDATES = 200
SHORT_QUERY_WINDOW = 20_000  # SQLite: a query of only 1–2-letter words looks at the newest rows
_PHONE_CHARS = set("0123456789+-() ")


def _plan(query: str) -> tuple[list[str], list[str]]:
    """Split a query into tokens that must all match and phone variants of which one must."""
    key = search_key(query)
    if not key:
        return [], []
    ascii_query = key.replace(" ", "")
    if set(search_key(query)) <= _PHONE_CHARS and sum(c.isdigit() for c in ascii_query) >= 4:
        return [], phone_search_variants(query)
    return key.split()[:8], []


def _fts_phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


# Trigram selectivity, estimated from a sample of the newest documents of each table.
SAMPLE_DOCUMENTS = 1000
SAMPLE_SECONDS = 600.0
COMMON_SHARE = 0.15  # a trigram in more than 15% of documents is not worth reading
PG_COMMON_SHARE = 0.5  # PostgreSQL: only what is in most documents (lookup_trigrams)
LOOKUP_TRIGRAMS = 3
_samples: dict[tuple[str, str], tuple[float, int, Counter]] = {}


def _trigram_sample(model: type[Model]) -> tuple[int, Counter]:
    """(documents sampled, in how many of them each trigram occurs) for ``model``'s table.

    Read from the newest ``SAMPLE_DOCUMENTS`` search documents once per ``SAMPLE_SECONDS`` and
    process: statistics for choosing index terms, never a filter, so a stale sample only costs
    speed."""
    key = (connection.alias, model._meta.db_table)
    now = time.monotonic()
    cached = _samples.get(key)
    if cached is not None and now - cached[0] < SAMPLE_SECONDS:
        return cached[1], cached[2]
    documents = list(
        model.objects.order_by("-id").values_list("search_document", flat=True)[:SAMPLE_DOCUMENTS]
    )
    counts: Counter = Counter()
    for document in documents:
        counts.update({document[i : i + 3] for i in range(len(document) - 2)})
    _samples[key] = (now, len(documents), counts)
    return len(documents), counts


def lookup_trigrams(token: str, sampled: int, counts: Counter, *, word_only: bool) -> list[str]:
    """What the index should look up to find ``token``: the token itself, unless one of its
    trigrams is common. Every trigram of a token occurs wherever the token does, so a record
    having the trigrams returned instead is a candidate that the caller then checks for the
    whole token.

    A long token (a whole email: ``@example.com`` is in most documents, ``091`` in every Tehran
    mobile number) then costs little more than its rare part instead of reading the posting
    lists of all its trigrams. SQLite (FTS5 skips along the rarest list): the rarest trigram
    plus up to two more that are not common. PostgreSQL (``word_only``; a GIN bitmap is cheap
    to build, rechecking rows is not): every trigram but the very common ones, and only
    trigrams of letters and digits, as pg_trgm splits words at other characters
    (``'%n.b%'`` would look up padded trigrams of one letter)."""
    grams = list(dict.fromkeys(token[i : i + 3] for i in range(len(token) - 2)))
    common = sampled * (PG_COMMON_SHARE if word_only else COMMON_SHARE)
    if all(counts[g] <= common for g in grams):
        return [token]
    if word_only:
        kept = [g for g in grams if g.isalnum() and counts[g] <= common]
        return kept or [token]
    grams.sort(key=lambda g: counts[g])  # stable: among equals, the first in the token
    common = max(counts[grams[0]], common)
    return [grams[0], *(g for g in grams[1:LOOKUP_TRIGRAMS] if counts[g] <= common)]


def _in_one_word(model: type[Model], alternative: str) -> RawSQL:
    """The check every candidate row gets: the document holds ``alternative`` inside one of
    its terms (its first occurrence comes before ``RUNS_MARK``), or at the start of one of the
    name's runs (a word start after the mark). The trigram index finds any substring, also one
    spanning two words of a run («کتای» in «شرکتایده»); this leaves those out. ``instr`` /
    ``strpos`` on the row, which neither engine tries to serve from its index; raw SQL, as the
    same check built from ORM expressions took longer to compile than to run."""
    column = f'"{model._meta.db_table}"."search_document"'
    find = "instr" if connection.vendor == "sqlite" else "strpos"
    mark = f"{find}({column} || %s, %s)"  # where the runs start; past the end when none
    sql = f"({find}({column}, %s) BETWEEN 1 AND {mark} OR {find}(substr({column}, {mark}), %s) > 0)"
    tail = " " + RUNS_MARK
    params = [alternative, tail, RUNS_MARK, tail, RUNS_MARK, " " + alternative]
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 - fixed SQL


def _word_start(alternative: str) -> Q:
    return Q(search_document__startswith=alternative) | Q(
        search_document__contains=" " + alternative
    )


def _fts_terms(alternative: str, sampled: int, counts: Counter) -> str | None:
    """The FTS5 query for the records holding ``alternative``; None when the index cannot
    help (one letter). A phrase of the whole token, or its rarest trigrams (both only find
    candidates: the row check says whether the token lies within one word). Two letters look
    for a word start, the phrase " tu": the runs of a name of two or more words put its
    first word after a space too."""
    if len(alternative) < 2:
        return None
    if len(alternative) == 2:
        return _fts_phrase(" " + alternative)
    grams = lookup_trigrams(alternative, sampled, counts, word_only=False)
    return "(" + " AND ".join(map(_fts_phrase, grams)) + ")"


def _in_newest_window(model: type[Model], base, groups: list[list[str]], match):
    """``base`` narrowed to the rows that match every group (any of its alternatives, through
    ``match``) among the newest ``SHORT_QUERY_WINDOW`` records, newest first."""
    newest = model.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for group in groups:
        condition = Q()
        for alternative in group:
            condition |= match(alternative)
        base = base.filter(condition)
    return base.filter(id__gt=newest - SHORT_QUERY_WINDOW).order_by("-id")


def _sqlite_candidates(model: type[Model], base, groups: list[list[str]]):
    """FTS5 candidates newest first, each checked on the row for its whole tokens within a
    word (``_in_one_word``; a token of two letters is a word start, which the index serves
    exactly)."""
    if all(min(map(len, g)) < 3 for g in groups):  # no trigram: bound the scan (docstring)
        return _in_newest_window(model, base, groups, lambda a: Q(_in_one_word(model, a)))
    sampled, counts = _trigram_sample(model)
    match_groups = []
    for group in groups:
        terms = [_fts_terms(a, sampled, counts) for a in group]
        if None not in terms:
            match_groups.append("(" + " OR ".join(terms) + ")")
        if any(len(alternative) != 2 for alternative in group):  # 2: exact word starts
            condition = Q()
            for alternative in group:
                condition |= (
                    _word_start(alternative)
                    if len(alternative) == 2
                    else Q(_in_one_word(model, alternative))
                )
            base = base.filter(condition)
    table = model._meta.db_table
    fts = f"{table}_fts"
    return base.extra(  # noqa: S610 - fixed table names; the query is a bound parameter
        tables=[fts],
        where=[f"{fts}.rowid = {table}.id", f"{fts} MATCH %s"],
        params=[" AND ".join(match_groups)],
        select={"fts_rowid": f"{fts}.rowid"},
        order_by=["-fts_rowid"],
    )


def search_candidates(model: type[Model], actor: User, groups: list[list[str]]) -> list[tuple]:
    """(id, name) of at most ``CANDIDATES`` visible records that match every group (any
    alternative of a group), newest first.

    Capping before ranking keeps a common word («علی» in a tenth of a million names) as cheap
    as a rare one. SQLite streams the FTS5 matches newest first and stops at the cap.
    PostgreSQL is told to take the trigram GIN index: its LIKE estimates are the same for every
    pattern, so with a LIMIT it would otherwise scan the table, which is fast for a common word
    and slow for a rare one; the bitmap yields rows in table order, so there the cap keeps the
    first matches stored (ordering all matches by id would visit every one of them).
    Each alternative of three or more letters is looked up by its rarest trigrams
    (``lookup_trigrams``) and checked whole on the candidate rows; one of one or two letters
    matches the start of a word on both engines, except that on SQLite a query made only of
    such words (no trigram to look up) matches substrings of the newest ``SHORT_QUERY_WINDOW``
    records; the third letter brings in the index.
    On PostgreSQL, next to other words, a word with several alternatives (the typo search's
    corrections) or of one or two letters is one regular expression (``_pg_any_of``), so that
    every word is one condition of a single GIN scan, which intersects them all; as ``OR``s
    of ``LIKE``s the planner would take one word's bitmap and check the others on every row.
    """
    name_field = "display_name" if model is Contact else "name"
    base = model.objects.filter(visible_q(actor))
    if connection.vendor == "sqlite":
        query = _sqlite_candidates(model, base, groups)
        return list(query.values_list("id", name_field)[:CANDIDATES])
    if all(min(map(len, g)) < 3 for g in groups):
        rows = _pg_newest_word_starts(model, base, groups, name_field)
        if len(rows) == CANDIDATES:
            return rows
    else:
        rows = []
    sampled, counts = _trigram_sample(model)
    for group in groups:
        if len(groups) > 1 and (len(group) > 1 or len(group[0]) < 3):
            # one index condition per word (docstring), each alternative checked on the row
            base = base.filter(search_document__regex=_pg_any_of(group)).filter(
                _pg_in_one_word_any(model, group)
            )
            continue
        condition = Q()
        for alternative in group:
            if len(alternative) < 3:  # too short for a trigram of its own: a word start
                condition |= _word_start(alternative)
                continue
            # Only a lone group: next to other words the planner, misled by the small
            # estimate of many LIKEs, would check those words on every candidate row.
            grams = lookup_trigrams(alternative, sampled, counts, word_only=True)
            if len(groups) == 1 and grams != [alternative]:
                lookup = Q()
                for gram in grams:
                    lookup &= Q(search_document__contains=gram)
                condition |= lookup & Q(_in_one_word(model, alternative))
            else:
                condition |= Q(search_document__contains=alternative) & Q(
                    _in_one_word(model, alternative)
                )
        base = base.filter(condition)
    query = base.order_by().values_list("id", name_field)[:CANDIDATES]
    found = _pg_rows_planned(query, "enable_seqscan = off", "enable_indexscan = off")
    rows = list(dict.fromkeys([*rows, *found]))
    rows.sort(key=lambda row: -row[0])
    return rows[:CANDIDATES]


def _pg_any_of(group: list[str]) -> str:
    """A PostgreSQL regular expression matching a document that holds any alternative of
    ``group`` (one or two letters: at the start of a word), as ``_in_one_word``/``_word_start``
    would. pg_trgm takes the trigrams of every branch from it."""

    def literal(text: str) -> str:  # a backslash makes any other character plain in an ARE
        return "".join(c if c.isalnum() or c == " " else "\\" + c for c in text)

    return "|".join(
        "(^| )" + literal(a) if len(a) < 3 else literal(a) for a in dict.fromkeys(group)
    )


def _pg_in_one_word_any(model: type[Model], group: list[str]) -> Q:
    """The row check for a group matched by ``_pg_any_of``: a word start stands; a longer
    alternative must lie within one word (``_in_one_word``)."""
    condition = Q()
    for alternative in dict.fromkeys(group):
        condition |= (
            _word_start(alternative)
            if len(alternative) < 3
            else Q(_in_one_word(model, alternative))
        )
    return condition


def _pg_newest_word_starts(model: type[Model], base, groups: list[list[str]], name_field: str):
    """PostgreSQL, a query of one- and two-letter words only: the newest matches from the
    newest ``SHORT_QUERY_WINDOW`` records, walking the primary key backwards. A common word
    start («ma») fills the cap within a few hundred rows, where the trigram index would first
    collect every word start in the table; a rare one leaves the cap unfilled, and the caller
    then asks the index, which is cheap for a rare word start."""
    query = _in_newest_window(model, base, groups, _word_start)
    query = query.values_list("id", name_field)[:CANDIDATES]
    return _pg_rows_planned(query, "enable_seqscan = off", "enable_bitmapscan = off")


def _pg_rows_planned(query, *settings: str) -> list[tuple]:
    """The rows of ``query`` (a ``values_list``) planned with the given planner ``settings``
    for this query alone.

    Outside a transaction in one round trip (four with BEGIN, SET, SELECT, COMMIT): the
    settings and the query go as one simple-protocol message (psycopg's client-side cursor,
    Django's default), which PostgreSQL runs as one implicit transaction, so ``SET LOCAL``
    ends with it. Inside the caller's transaction the query runs in a savepoint that is then
    rolled back, which undoes the settings (they would otherwise plan the rest of that
    transaction) and nothing else: the query only reads."""
    sql, params = query.query.sql_with_params()
    prefix = "".join(f"SET LOCAL {setting}; " for setting in settings)
    if connection.get_autocommit():
        if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql, params)
                for _setting in settings:  # past the result of each SET
                    cursor.nextset()
                return cursor.fetchall()
        with transaction.atomic(), connection.cursor() as cursor:  # SET LOCAL ends with it
            cursor.execute(prefix)
            cursor.execute(sql, params)
            return cursor.fetchall()
    savepoint = connection.savepoint()
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix)
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.savepoint_rollback(savepoint)
        connection.savepoint_commit(savepoint)


def _exact_rank(tokens: list[str], name: str) -> int:
    """Whole name words beat word starts, which beat matches elsewhere (email, phone…)."""
    words = search_key(name).split()
    score = 0
    for token in tokens:
        if token in words:
            score += 3
        elif any(word.startswith(token) for word in words):
            score += 2
    return score


def _search_ids(model: type[Model], actor: User, query: str, limit: int) -> list[int]:
    tokens, phone_variants = _plan(query)
    if not tokens and not phone_variants:
        return []
    limit = max(1, min(limit, MAX_RESULTS))
    groups = [phone_variants] if phone_variants else [[t] for t in tokens]
    rows = search_candidates(model, actor, groups)
    ranked = sorted(rows, key=lambda row: (-_exact_rank(tokens, row[1]), len(row[1]), -row[0]))
    return [row[0] for row in ranked[:limit]]


FUZZY_MIN_SCORE = 74  # one edit in a four-letter word scores 75


def name_corrections(tokens: list[str]) -> dict[str, list[str]]:
    """For each token long enough to carry a typo, the vocabulary words within its edits."""
    # a three-letter token may be a four-letter name with a letter dropped («سرا» for «سارا»)
    wanted = {t: variants(t) for t in tokens if len(t) >= MIN_WORD - 1}
    if not wanted:
        return {}
    all_variants = set().union(*wanted.values())
    found: dict[str, set[str]] = {}
    rows = SearchWord.objects.filter(variant__in=all_variants).values_list("variant", "word")
    for variant, word in rows:
        found.setdefault(variant, set()).add(word)
    corrections = {}
    for token, own in wanted.items():
        words = set().union(*(found.get(v, set()) for v in own))
        corrections[token] = close_words(token, words)
    return corrections


def typo_groups(tokens: list[str], corrections: dict[str, list[str]]) -> list[list[str]] | None:
    """The alternatives to look up for each query word when the exact search found nothing;
    None when no word has a close spelling.

    Each word stands for itself or its corrections. What the exact search has ruled out is
    left out, as is what another alternative implies, so the index reads fewer posting lists
    for the same records:
    * when only one word has corrections, that word as typed (with every other word as
      typed, it was the exact search, which found nothing);
    * an alternative containing another one («محمدی» beside «محمد»: every record holding
      the first holds the second)."""
    groups = [[t, *(w for w in corrections.get(t, []) if w != t)] for t in tokens]
    widened = [g for g in groups if len(g) > 1]
    if not widened:
        return None
    if len(widened) == 1:
        del widened[0][0]
    return [
        [a for a in group if not any(b != a and len(b) >= 3 and b in a for b in group)]
        for group in groups
    ]


def _typo_ids(model, actor: User, query: str, limit: int) -> list[int]:
    """When nothing matched exactly (the callers' condition, which ``typo_groups`` relies
    on), the records whose name is close to ``query`` (one typo a word, two in a long word):
    the vocabulary turns each word into its close spellings, the index finds the records
    having one spelling of every word, rapidfuzz ranks them."""
    tokens, phone_variants = _plan(query)
    if phone_variants or not tokens or max(map(len, tokens)) < MIN_WORD - 1:
        return []
    if any(ch.isdigit() or ch in "@." for token in tokens for ch in token):
        return []  # emails, phones and IDs are matched exactly; typos are for names
    from rapidfuzz import fuzz, process

    groups = typo_groups(tokens, name_corrections(tokens))
    if groups is None:
        return []  # no word has a close spelling: the exact search already said it all
    key = " ".join(tokens)

    def score(name: str) -> float:
        """Every query word must be close to some word of the name (so «علی کریمی» does not
        find «علی رضایی» on the strength of «علی» alone); a one-word query may also match
        the whole name with its spaces dropped."""
        words = name.split() or [""]
        worst = min(process.extractOne(t, words, scorer=fuzz.ratio)[1] for t in tokens)
        if len(tokens) == 1:
            worst = max(worst, fuzz.ratio(key, name.replace(" ", "")))
        return worst

    candidates = search_candidates(model, actor, groups)
    scored = sorted(((score(search_key(name)), pk) for pk, name in candidates), reverse=True)
    return [pk for value, pk in scored if value >= FUZZY_MIN_SCORE][:limit]


def contact_search(
    *, actor: User, query: str, limit: int = 20, typos: bool = True
) -> list[Contact]:
    """Contacts the actor may see that match every word of ``query``, best first; when none
    match exactly, names within a typo or two (vocabulary corrections, rapidfuzz re-rank)."""
    ids = _search_ids(Contact, actor, query, limit)
    if typos and not ids:
        ids = _typo_ids(Contact, actor, query, min(limit, MAX_RESULTS))
    by_id = {c.pk: c for c in with_first_contacts(Contact.objects.filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


def organization_search(
    *, actor: User, query: str, limit: int = 20, typos: bool = True
) -> list[Organization]:
    ids = _search_ids(Organization, actor, query, limit)
    if typos and not ids:
        ids = _typo_ids(Organization, actor, query, min(limit, MAX_RESULTS))
    by_id = Organization.objects.select_related("owner", "team").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
