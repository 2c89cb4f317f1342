"""One search selector, two engines.

* SQLite: an FTS5 table with the trigram tokenizer over ``search_document`` (kept in step by
  triggers, see migration 0002): any substring of three or more characters is an index hit.
* PostgreSQL: a GIN ``gin_trgm_ops`` index on ``search_document``; ``LIKE '%tok%'`` uses it and
  ``word_similarity`` ranks.

Both search the same document (names, compact names, emails, phones in E.164 and national
form, national ID, organisation names, custom field text) built by
``customers.services.search_document``, in the matching form of ``common.persian.search_key``.
Results are always capped.
"""

from django.db import connection
from django.db.models import Model, Q, QuerySet

from peyvand.accounts.models import User
from peyvand.common.persian import search_key
from peyvand.common.phones import phone_search_variants
from peyvand.customers.models import Contact, Organization
from peyvand.customers.selectors.visibility import visible_q

MAX_RESULTS = 50
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


def _search(model: type[Model], actor: User, query: str, limit: int) -> QuerySet:
    tokens, phone_variants = _plan(query)
    base = model.objects.filter(visible_q(actor))
    if not tokens and not phone_variants:
        return base.none()
    limit = max(1, min(limit, MAX_RESULTS))
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        long_tokens = [t for t in tokens if len(t) >= 3]
        short_tokens = [t for t in tokens if len(t) < 3]
        qs = base
        for token in short_tokens:
            qs = qs.filter(search_document__contains=token)
        terms = long_tokens and " AND ".join(_fts_phrase(t) for t in long_tokens)
        if phone_variants:
            terms = " OR ".join(_fts_phrase(v) for v in phone_variants if len(v) >= 3)
        if terms:
            fts = f"{table}_fts"
            qs = qs.extra(  # noqa: S610 - fixed table names; the query is a bound parameter
                tables=[fts],
                where=[f"{fts}.rowid = {table}.id", f"{fts} MATCH %s"],
                params=[terms],
                select={"search_rank": f"{fts}.rank"},
                order_by=["search_rank", "-id"],
            )
        else:
            qs = qs.order_by("-id")
        return qs[:limit]
    from django.contrib.postgres.search import TrigramWordSimilarity

    qs = base
    for token in tokens:
        qs = qs.filter(search_document__contains=token)
    if phone_variants:
        condition = Q()
        for variant in phone_variants:
            condition |= Q(search_document__contains=variant)
        qs = qs.filter(condition)
    ranked = qs.annotate(
        search_rank=TrigramWordSimilarity(" ".join(tokens or phone_variants), "search_document")
    )
    return ranked.order_by("-search_rank", "-id")[:limit]


FUZZY_CANDIDATES = 200
FUZZY_MIN_SCORE = 74  # one edit in a four-letter word scores 75


def _trigrams(tokens: list[str]) -> list[str]:
    grams = []
    for token in tokens:
        grams += [token[i : i + 3] for i in range(len(token) - 2)]
    return list(dict.fromkeys(grams))


def _fuzzy_candidates(model: type[Model], actor: User, tokens: list[str], exclude: set[int]):
    """Records sharing trigrams with the query (index hits), best first, capped."""
    base = model.objects.filter(visible_q(actor)).exclude(pk__in=exclude)
    table = model._meta.db_table
    text = " ".join(tokens)
    if connection.vendor == "sqlite":
        grams = _trigrams(tokens)
        if not grams:
            return base.none()
        fts = f"{table}_fts"
        return base.extra(  # noqa: S610 - fixed table names; the query is a bound parameter
            tables=[fts],
            where=[f"{fts}.rowid = {table}.id", f"{fts} MATCH %s"],
            params=[" OR ".join(_fts_phrase(g) for g in grams)],
            select={"search_rank": f"{fts}.rank"},
            order_by=["search_rank"],
        )[:FUZZY_CANDIDATES]
    with connection.cursor() as cursor:  # the default (0.6) misses a typo in a short word
        cursor.execute("SET pg_trgm.word_similarity_threshold = 0.3")
    return base.extra(  # noqa: S610
        where=[f"{table}.search_document %%> %s"],
        params=[text],
        select={"search_rank": f"{table}.search_document <->> %s"},
        select_params=[text],
        order_by=["search_rank"],
    )[:FUZZY_CANDIDATES]


def _name_of(record) -> str:
    return getattr(record, "display_name", None) or getattr(record, "name", "")


def _with_typos(model, actor: User, query: str, limit: int, found: list) -> list:
    """Fill up ``found`` with records whose name is close to ``query`` (one or two typos)."""
    tokens, phone_variants = _plan(query)
    if phone_variants or not tokens or len(found) >= limit or max(map(len, tokens)) < 4:
        return found
    if any(ch.isdigit() or ch in "@." for token in tokens for ch in token):
        return found  # emails, phones and IDs are matched exactly; typos are for names
    from rapidfuzz import fuzz, process

    candidates = list(
        _fuzzy_candidates(model, actor, tokens, {r.pk for r in found}).only(
            "pk", "display_name" if model is Contact else "name"
        )
    )
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

    scored = sorted(((score(search_key(_name_of(c))), c.pk) for c in candidates), reverse=True)
    ids = [pk for value, pk in scored if value >= FUZZY_MIN_SCORE][: limit - len(found)]
    return found + sorted(model.objects.filter(pk__in=ids), key=lambda r: ids.index(r.pk))


def contact_search(
    *, actor: User, query: str, limit: int = 20, typos: bool = True
) -> list[Contact]:
    """Contacts the actor may see that match every word of ``query``, best first; when few
    match exactly, names within a typo or two follow (trigram candidates, rapidfuzz re-rank)."""
    found = list(_search(Contact, actor, query, limit))
    if typos:
        found = _with_typos(Contact, actor, query, min(limit, MAX_RESULTS), found)
    ids = [c.pk for c in found]
    full = Contact.objects.filter(pk__in=ids).select_related("owner", "team")
    by_id = {c.pk: c for c in full.prefetch_related("emails", "phones", "tags")}
    return [by_id[pk] for pk in ids if pk in by_id]


def organization_search(
    *, actor: User, query: str, limit: int = 20, typos: bool = True
) -> list[Organization]:
    found = list(_search(Organization, actor, query, limit).select_related("owner", "team"))
    if typos:
        found = _with_typos(Organization, actor, query, min(limit, MAX_RESULTS), found)
    return found
