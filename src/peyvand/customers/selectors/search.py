"""One search selector, two engines.

* SQLite: an FTS5 table with the trigram tokenizer over ``search_document`` (kept in step by
  triggers, see migration 0002): any substring of three or more characters is an index hit.
* PostgreSQL: a GIN ``gin_trgm_ops`` index on ``search_document``; ``LIKE '%tok%'`` uses it
  (a token of one or two letters matches the start of a word, which the index can serve).

Both take at most ``CANDIDATES`` matches, newest first, and rank those in Python (whole words,
then word starts), so a common word costs no more than a rare one. Typo tolerance goes
through the name vocabulary of ``common.typos`` (exact, indexed lookups) and rapidfuzz.

Both search the same document (names, compact names, emails, phones in E.164 and national
form, national ID, organisation names, custom field text) built by
``customers.services.search_document``, in the matching form of ``common.persian.search_key``.
Results are always capped.
"""

from django.db import connection, transaction
from django.db.models import Model, Q

from peyvand.accounts.models import User
from peyvand.common.persian import search_key
from peyvand.common.phones import phone_search_variants
from peyvand.common.typos import MIN_WORD, close_words, variants
from peyvand.customers.models import Contact, Organization, SearchWord
from peyvand.customers.selectors.contacts import with_first_contacts
from peyvand.customers.selectors.visibility import visible_q

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


def search_candidates(model: type[Model], actor: User, groups: list[list[str]]) -> list[tuple]:
    """(id, name) of at most ``CANDIDATES`` visible records that match every group (any
    alternative of a group), newest first.

    Capping before ranking keeps a common word («علی» in a tenth of a million names) as cheap
    as a rare one. SQLite streams the FTS5 matches newest first and stops at the cap.
    PostgreSQL is told to take the trigram GIN index: its LIKE estimates are the same for every
    pattern, so with a LIMIT it would otherwise scan the table, which is fast for a common word
    and slow for a rare one; the bitmap yields rows in table order, so there the cap keeps the
    first matches stored (ordering all matches by id would visit every one of them).
    On SQLite a query made only of one- or two-letter words (too short for the trigram index)
    looks at the newest ``SHORT_QUERY_WINDOW`` records; the third letter brings in the index.
    """
    name_field = "display_name" if model is Contact else "name"
    base = model.objects.filter(visible_q(actor))
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        indexed = [g for g in groups if min(map(len, g)) >= 3]
        for group in groups:
            if group not in indexed:
                condition = Q()
                for alternative in group:
                    condition |= Q(search_document__contains=alternative)
                base = base.filter(condition)
        if indexed:
            fts = f"{table}_fts"
            match = " AND ".join(
                "(" + " OR ".join(_fts_phrase(a) for a in group) + ")" for group in indexed
            )
            base = base.extra(  # noqa: S610 - fixed table names; the query is a bound parameter
                tables=[fts],
                where=[f"{fts}.rowid = {table}.id", f"{fts} MATCH %s"],
                params=[match],
                select={"fts_rowid": f"{fts}.rowid"},
                order_by=["-fts_rowid"],
            )
        else:  # only one- or two-letter words: no index can help, so bound the scan
            newest = model.objects.order_by("-id").values_list("id", flat=True).first() or 0
            base = base.filter(id__gt=newest - SHORT_QUERY_WINDOW).order_by("-id")
        return list(base.values_list("id", name_field)[:CANDIDATES])
    for group in groups:
        condition = Q()
        for alternative in group:
            if len(alternative) >= 3:
                condition |= Q(search_document__contains=alternative)
            else:  # too short for a trigram of its own: the start of a word («عل» → « عل»)
                condition |= Q(search_document__startswith=alternative)
                condition |= Q(search_document__contains=" " + alternative)
        base = base.filter(condition)
    query = base.order_by().values_list("id", name_field)[:CANDIDATES]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        rows = list(query)
    rows.sort(key=lambda row: -row[0])
    return rows


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


def _typo_ids(model, actor: User, query: str, limit: int) -> list[int]:
    """When nothing matched exactly, the records whose name is close to ``query`` (one typo a
    word, two in a long word): the vocabulary turns each word into its close spellings, the
    index finds the records having one spelling of every word, rapidfuzz ranks them."""
    tokens, phone_variants = _plan(query)
    if phone_variants or not tokens or max(map(len, tokens)) < MIN_WORD - 1:
        return []
    if any(ch.isdigit() or ch in "@." for token in tokens for ch in token):
        return []  # emails, phones and IDs are matched exactly; typos are for names
    from rapidfuzz import fuzz, process

    corrections = name_corrections(tokens)
    groups = [[t, *(w for w in corrections.get(t, []) if w != t)] for t in tokens]
    if all(len(g) == 1 for g in groups):
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
