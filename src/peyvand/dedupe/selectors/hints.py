"""Live duplicate hints: which saved records a contact or organisation being typed probably is.

Candidates come from indexed lookups only, and at most ``RERANK_LIMIT`` of them are scored:

1. identity keys: exact email (lower case), phone in E.164, national ID — each an index hit;
2. names: the search engine's own candidate query (``customers.selectors.search``: FTS5 trigram
   on SQLite, pg_trgm GIN on PostgreSQL) with every word's typo corrections from the search
   vocabulary; a Latin name is also spelled the likeliest Persian ways and the spellings the
   vocabulary knows are searched too, so "Ali Rezaei" finds «علی رضائی».

rapidfuzz then scores the names (``dedupe.matching``). Every hint says why, as codes with
translated text. Only records the actor may see are looked at.

Score (0–100): national ID 100, email 95, phone or website 90; a name alone counts its
similarity × 0.9 (after the same city or a similar address closes a quarter of the gap to 100
each); the pieces combine as independent evidence, 1 − Π(1 − s). Below 80 nothing is shown.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Prefetch
from django.utils.translation import gettext as _

from peyvand.accounts.models import User
from peyvand.common.typos import MIN_WORD
from peyvand.customers import normalize
from peyvand.customers.models import (
    Contact,
    ContactOrganization,
    Organization,
    SearchWord,
)
from peyvand.customers.selectors import search as search_engine
from peyvand.customers.selectors.visibility import visible_q
from peyvand.dedupe.matching import (
    address_similarity,
    email_domain,
    is_free_mail,
    is_latin,
    latin_to_persian,
    name_key,
    name_similarity,
    same_domain,
    same_place,
    website_domain,
)

RERANK_LIMIT = 50  # name candidates scored with rapidfuzz
IDENTITY_LIMIT = 50  # records sharing one key (a switchboard number) looked at
HINT_MIN_SCORE = 80
# A name alone is weaker evidence than an identity key (there are many «علی رضایی»): even an
# identical name scores 90, like a shared phone; 94% similar scores 85.
NAME_WEIGHT = 0.9
NAME_SHOWN = 70  # a name this close is mentioned beside an identity key
IDENTITY_SCORES = {
    "same_national_id": 100,
    "same_email": 95,
    "same_website": 90,
    "same_phone": 90,
}
_PLACE_BOOST = 0.25  # same city / similar address close a quarter of the gap to 100


@dataclass(frozen=True)
class Reason:
    code: str
    text: str


@dataclass
class DuplicateHint:
    kind: str  # "contact" or "organization"
    public_id: str
    display_name: str
    score: int
    reasons: list[Reason]
    record: Contact | Organization = field(repr=False)

    @property
    def url(self) -> str:
        return self.record.get_absolute_url()


@dataclass(frozen=True)
class ContactDraft:
    """A contact as typed (nothing saved): raw values, normalised here."""

    given_name: str = ""
    family_name: str = ""
    display_name: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    national_id: str = ""
    country: str = ""  # "": the default country
    city: str = ""
    province: str = ""
    address: str = ""
    birth_date: dt.date | None = None
    organizations: tuple[str, ...] = ()  # public ids

    @property
    def name(self) -> str:
        return self.display_name or f"{self.given_name} {self.family_name}".strip()


@dataclass(frozen=True)
class OrganizationDraft:
    name: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    national_id: str = ""
    website: str = ""
    industry: str = ""
    country: str = ""
    city: str = ""
    province: str = ""
    address: str = ""


def contact_draft_from_record(contact: Contact) -> ContactDraft:
    address = next(iter(contact.addresses.all()), None)
    return ContactDraft(
        given_name=contact.given_name,
        family_name=contact.family_name,
        display_name=contact.display_name,
        emails=tuple(e.email for e in contact.emails.all()),
        phones=tuple(p.number for p in contact.phones.all()),
        national_id=contact.national_id,
        country=contact.country,
        city=address.city if address else "",
        province=address.province if address else "",
        address=address.line if address else "",
        birth_date=contact.birth_date,
        organizations=tuple(m.organization.public_id for m in contact.memberships.all()),
    )


def organization_draft_from_record(organization: Organization) -> OrganizationDraft:
    address = next(iter(organization.addresses.all()), None)
    return OrganizationDraft(
        name=organization.name,
        emails=(organization.email,) if organization.email else (),
        phones=(organization.phone,) if organization.phone else (),
        national_id=organization.national_id,
        website=organization.website,
        industry=organization.industry,
        city=address.city if address else "",
        province=address.province if address else "",
        address=address.line if address else "",
    )


# --- normalising a draft's identity keys ------------------------------------------------------


# Drafts are read with the same rules as what is saved (customers.normalize), so a typed
# value finds the record it would be stored as; what is not valid yet finds nothing.


def draft_emails(emails) -> list[str]:
    cleaned = []
    for raw in emails:
        try:
            cleaned.append(normalize.email(raw))
        except ValidationError:
            continue  # half typed
    return list(dict.fromkeys(e for e in cleaned if e))


def _draft_country(country: str) -> str:
    try:
        return normalize.country(country)
    except ValidationError:
        return normalize.default_country()


def draft_phones(phones, country: str) -> list[str]:
    numbers = []
    for raw in phones:
        try:
            numbers.append(normalize.phone(raw, country=_draft_country(country))[0])
        except ValidationError:
            continue  # half typed: nothing to look up yet
    return list(dict.fromkeys(numbers))


def _contact_national_id(value: str, country: str) -> str:
    try:
        return normalize.national_id(value, country=_draft_country(country))
    except ValidationError:
        return ""


# --- candidates ---------------------------------------------------------------------------------


def _name_groups(key: str) -> tuple[list[list[str]], list[list[str]]]:
    """(groups to search by, groups to pre-rank by) for a name in its own script: each word
    with its close spellings from the vocabulary; words under three letters only rank."""
    tokens = key.split()[:6]
    long_tokens = [t for t in tokens if len(t) >= 3]
    corrections = search_engine.name_corrections(long_tokens) if long_tokens else {}
    groups = [[t, *(w for w in corrections.get(t, []) if w != t)] for t in long_tokens]
    return groups, groups + [[t] for t in tokens if len(t) < 3]


def _persian_groups(key: str) -> tuple[list[list[str]], list[list[str]]]:
    """Groups for a Latin name among Persian records: the spellings of each word that the
    vocabulary knows; words too short for the vocabulary (علی, رضا) are searched by their
    likeliest spellings only when no word could be checked."""
    checked, unchecked = [], []
    guesses = {t: latin_to_persian(t) for t in key.split()[:6] if len(t) >= 2}
    long_guesses = {g for gs in guesses.values() for g in gs if len(g) >= MIN_WORD}
    known = set(
        SearchWord.objects.filter(variant__in=long_guesses, variant=F("word")).values_list(
            "word", flat=True
        )
    )
    for spellings in guesses.values():
        found = [s for s in spellings if s in known]
        if found:
            checked.append(found)
        else:
            short = [s for s in spellings if 3 <= len(s) < MIN_WORD][:4]
            if short:
                unchecked.append(short)
    return (checked or unchecked), checked + unchecked


def _hits(groups: list[list[str]], name: str) -> int:
    key = name_key(name)
    words, compact = set(key.split()), key.replace(" ", "")
    return sum(1 for g in groups if any(a in words or a in compact for a in g))


def _name_candidate_ids(
    model: type[Model], actor: User, name: str, exclude: set[int], *, organization: bool
) -> list[int]:
    key = name_key(name, organization=organization)
    if not key:
        return []
    plans = [_name_groups(key)]
    if is_latin(key):
        plans.append(_persian_groups(key))
    rows: dict[int, tuple[int, str]] = {}
    for search_groups, rank_groups in plans:
        if not search_groups:
            continue
        for row in search_engine.search_candidates(model, actor, search_groups):
            pk, record_name = row[0], row[1]
            if pk not in exclude:
                hits = _hits(rank_groups, record_name)
                rows[pk] = max(rows.get(pk, (0, "")), (hits, record_name))
    ranked = sorted(rows.items(), key=lambda item: (-item[1][0], -item[0]))
    return [pk for pk, _ in ranked[:RERANK_LIMIT]]


def _ids_of(model: type[Model], public_id: str | None) -> set[int]:
    if not public_id:
        return set()
    return set(model.objects.filter(public_id=public_id).values_list("id", flat=True))


def _contact_identity(actor: User, draft: ContactDraft, exclude: set[int]) -> dict[int, set[str]]:
    visible = Contact.objects.filter(visible_q(actor)).exclude(pk__in=exclude)
    found: dict[int, set[str]] = defaultdict(set)
    lookups = [
        ("same_email", "emails__email__in", draft_emails(draft.emails)),
        ("same_phone", "phones__number__in", draft_phones(draft.phones, draft.country)),
    ]
    national_id = _contact_national_id(draft.national_id, draft.country)
    if national_id:
        lookups.append(("same_national_id", "national_id__in", [national_id]))
    for code, lookup, values in lookups:
        if values:
            rows = visible.filter(**{lookup: values}).values_list("id", flat=True)
            for pk in rows[:IDENTITY_LIMIT]:
                found[pk].add(code)
    return found


def _organization_identity(
    actor: User, draft: OrganizationDraft, exclude: set[int]
) -> dict[int, set[str]]:
    visible = Organization.objects.filter(visible_q(actor)).exclude(pk__in=exclude)
    found: dict[int, set[str]] = defaultdict(set)
    try:
        national_id = normalize.organization_national_id(draft.national_id)
    except ValidationError:
        national_id = ""
    lookups = [
        ("same_email", "email__in", draft_emails(draft.emails)),
        ("same_phone", "phone__in", draft_phones(draft.phones, draft.country)),
        ("same_national_id", "national_id__in", [national_id] if national_id else []),
    ]
    for code, lookup, values in lookups:
        if values:
            rows = visible.filter(**{lookup: values}).values_list("id", flat=True)
            for pk in rows[:IDENTITY_LIMIT]:
                found[pk].add(code)
    for pk in organizations_with_domain(actor, website_domain(draft.website), websites=True):
        if pk not in exclude:
            found[pk].add("same_website")
    return found


def organizations_with_domain(actor: User, domain: str, *, websites: bool, emails: bool = False):
    """Ids of visible organisations whose website (and/or email) is at ``domain``, newest
    first: a substring hit in the search index, then checked exactly."""
    if len(domain) < 4 or "." not in domain or is_free_mail(domain):
        return []
    ids = [row[0] for row in search_engine.search_candidates(Organization, actor, [[domain]])]
    rows = Organization.objects.filter(pk__in=ids).values_list("id", "email", "website")
    found = {
        pk
        for pk, email, website in rows
        if (emails and same_domain(email_domain(email), domain))
        or (websites and same_domain(website_domain(website), domain))
    }
    return [pk for pk in ids if pk in found][:IDENTITY_LIMIT]


# --- scoring --------------------------------------------------------------------------------


def _score(identity: set[str], name_score: int, places: list[str]) -> tuple[int, list[Reason]]:
    reasons = [Reason(code, _IDENTITY_TEXT[code]()) for code in _IDENTITY_ORDER if code in identity]
    boosted = float(name_score)
    for _place in places:
        boosted += (100 - boosted) * _PLACE_BOOST
    name_component = boosted * NAME_WEIGHT
    counted = name_score >= NAME_SHOWN and name_component >= HINT_MIN_SCORE
    components = [IDENTITY_SCORES[code] for code in identity]
    if counted:
        components.append(name_component)
    if name_score >= NAME_SHOWN and (counted or identity):
        if name_score >= 100:
            reasons.append(Reason("same_name", _("same name")))
        else:
            text = _("name %(percent)s%% similar") % {"percent": name_score}
            reasons.append(Reason("similar_name", text))
        reasons += [Reason(code, _PLACE_TEXT[code]()) for code in places]
    elif identity:
        reasons += [Reason(code, _PLACE_TEXT[code]()) for code in places]
    missing = 1.0
    for component in components:
        missing *= 1 - min(component, 100) / 100
    return round(100 * (1 - missing)), reasons


_IDENTITY_ORDER = ["same_national_id", "same_email", "same_phone", "same_website"]
_IDENTITY_TEXT = {
    "same_national_id": lambda: _("same national ID"),
    "same_email": lambda: _("same email"),
    "same_phone": lambda: _("same phone"),
    "same_website": lambda: _("same website"),
}
_PLACE_TEXT = {
    "same_city": lambda: _("same city"),
    "similar_address": lambda: _("similar address"),
}


def _places(draft, addresses) -> list[str]:
    places = []
    if draft.city and any(same_place(draft.city, a.city) for a in addresses if a.city):
        places.append("same_city")
    if draft.address and any(address_similarity(draft.address, a.line) >= 90 for a in addresses):
        places.append("similar_address")
    return places


def _rank(hints: list[DuplicateHint], limit: int) -> list[DuplicateHint]:
    hints = [h for h in hints if h.score >= HINT_MIN_SCORE]
    hints.sort(key=lambda h: (-h.score, -h.record.pk))
    return hints[: max(0, limit)]


def contact_duplicate_hints(
    *, actor: User, draft: ContactDraft, exclude_public_id: str | None = None, limit: int = 5
) -> list[DuplicateHint]:
    """Saved contacts the actor may see that ``draft`` probably is, most likely first.

    Reads only; indexed lookups; at most ``RERANK_LIMIT`` names scored."""
    exclude = _ids_of(Contact, exclude_public_id)
    identity = _contact_identity(actor, draft, exclude)
    name_ids = []
    if draft.name:
        name_ids = _name_candidate_ids(
            Contact, actor, draft.name, exclude | set(identity), organization=False
        )
    ids = list(identity) + name_ids
    if not ids:
        return []
    visible_orgs = Organization.objects.filter(visible_q(actor))
    records = Contact.objects.filter(visible_q(actor), pk__in=ids).prefetch_related(
        "emails",
        "phones",
        "addresses",
        Prefetch(
            "memberships",
            queryset=ContactOrganization.objects.filter(
                organization__in=visible_orgs
            ).select_related("organization"),
        ),
    )
    hints = []
    for contact in records:
        name_score = name_similarity(draft.name, contact.display_name) if draft.name else 0
        places = _places(draft, list(contact.addresses.all()))
        score, reasons = _score(identity.get(contact.pk, set()), name_score, places)
        hints.append(
            DuplicateHint(
                "contact", contact.public_id, contact.display_name, score, reasons, contact
            )
        )
    return _rank(hints, limit)


def organization_duplicate_hints(
    *,
    actor: User,
    draft: OrganizationDraft,
    exclude_public_id: str | None = None,
    limit: int = 5,
) -> list[DuplicateHint]:
    """Saved organisations the actor may see that ``draft`` probably is, most likely first."""
    exclude = _ids_of(Organization, exclude_public_id)
    identity = _organization_identity(actor, draft, exclude)
    name_ids = []
    if draft.name:
        name_ids = _name_candidate_ids(
            Organization, actor, draft.name, exclude | set(identity), organization=True
        )
    ids = list(identity) + name_ids
    if not ids:
        return []
    records = Organization.objects.filter(visible_q(actor), pk__in=ids).prefetch_related(
        "addresses"
    )
    hints = []
    for organization in records:
        name_score = (
            name_similarity(draft.name, organization.name, organization=True) if draft.name else 0
        )
        places = _places(draft, list(organization.addresses.all()))
        score, reasons = _score(identity.get(organization.pk, set()), name_score, places)
        hints.append(
            DuplicateHint(
                "organization",
                organization.public_id,
                organization.name,
                score,
                reasons,
                organization,
            )
        )
    return _rank(hints, limit)
