"""The input table of batch duplicate detection: one row per contact, in matching forms.

Every column is already normalised, so the splink model compares plain strings:

* names in ``common.persian.search_key`` form without spaces (ي/ی, ك/ک, ZWNJ, «محمد رضا» and
  «محمدرضا» are all one form), the same with one ASCII character per Persian letter for
  fuzzy comparisons, and the cross-script consonant skeleton of ``dedupe.matching``
  ("Ali Rezaei" and «علی رضائی» are both ``lyrzy``);
* emails in lower case (all of them, and the first one's mailbox name), phones in E.164 (all of
  them, and the first one), the birth date in ISO form, the national ID, the city as a
  skeleton (Tehran = تهران = طهران) and the postal code as digits.

An empty value is NULL (never ""), so blocking rules and comparisons treat it as missing.

The rows are read with ``values_list`` iterators, ordered by contact id and merged by id (no
model instance is built), and turned into Arrow every ``BATCH_ROWS`` rows. Name forms are
cached: names repeat. Measured on SQLite, 110,000 contacts read and featured in about 3 s.
"""

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyarrow as pa

from peyvand.common.persian import search_key
from peyvand.dedupe.matching import skeleton

CHUNK = 10_000
BATCH_ROWS = 100_000
# Mailbox names many unrelated people or companies share: the same one says nothing.
GENERIC_MAILBOXES = frozenset(
    {
        "info", "admin", "contact", "sales", "support", "office", "hello", "mail", "email",
        "test", "noreply", "no-reply", "webmaster", "manager", "hr", "account", "accounts",
        "finance", "marketing", "service", "team", "ceo", "modir", "bazargani", "foroosh",
    }
)  # fmt: skip
MIN_MAILBOX_LENGTH = 4
ASSEMBLY_MEMORY_LIMIT = "1000MB"  # DuckDB's, putting the table together (it spills beyond)
NAME_CACHE = 1 << 18
# ASCII digits only (``search_key`` turns Persian and Arabic digits into them; others are
# dropped): the comparisons count the digits two postal codes differ in with DuckDB's
# ``hamming``, which compares bytes.
_NOT_DIGIT = re.compile(r"[^0-9]+")
_HAS_DIGIT = re.compile(r"\d")
# Words of an address that say nothing about which one it is, in their ``search_key`` form.
PLATE_WORDS = frozenset(search_key(w) for w in ("پلاک", "پ", "no", "number"))
ADDRESS_NOISE = PLATE_WORDS | frozenset(
    search_key(w)
    for w in (
        "خیابان", "خ", "کوچه", "بن‌بست", "بلوار", "میدان", "کوی", "واحد", "طبقه", "ساختمان",
        "مجتمع", "برج", "بلوک", "جنب", "روبروی", "نبش", "شهرک", "منطقه", "street", "st",
        "road", "rd", "avenue", "ave", "lane", "ln", "place", "pl", "drive", "dr", "court",
        "ct", "boulevard", "blvd", "unit", "floor", "apartment", "apt", "suite", "flat",
    )
)  # fmt: skip
# Fuzzy name comparisons run on this form: each Persian letter as one ASCII character. DuckDB's
# jaro_winkler_similarity and damerau_levenshtein work on UTF-8 bytes, and a Persian letter is
# two bytes whose first byte is one of four values, so on raw Persian text unrelated names
# look alike and one typo costs two edits.
FUZZY_TABLE = str.maketrans("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی", "ABCDEFGHIJKLMNOPQRSTUVWXYZ#$%&*=")

SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("given_key", pa.string()),
        ("family_key", pa.string()),
        ("full_key", pa.string()),
        ("name_fuzzy", pa.string()),
        ("name_skeleton", pa.string()),
        ("given_skeleton", pa.string()),
        ("family_skeleton", pa.string()),
        ("given_fuzzy", pa.string()),
        ("family_fuzzy", pa.string()),
        ("email", pa.string()),
        ("emails", pa.list_(pa.string())),
        ("email_local", pa.string()),
        ("phone", pa.string()),
        ("phones", pa.list_(pa.string())),
        ("birth_date", pa.string()),
        ("birth_year", pa.string()),
        ("national_id", pa.string()),
        ("city", pa.string()),
        ("postal_code", pa.string()),
        ("house_number", pa.string()),
        ("street_fuzzy", pa.string()),
    ]
)


@dataclass
class ContactRecord:
    """A contact as stored: emails in lower case and phones in E.164, each distinct, primary
    first (what the customer services guarantee)."""

    id: int
    given_name: str = ""
    family_name: str = ""
    display_name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    birth_date: str = ""  # ISO
    national_id: str = ""
    city: str = ""
    postal_code: str = ""
    address_line: str = ""


def _compact(value: str) -> str | None:
    """The ``search_key`` form without spaces, or None."""
    return search_key(value).replace(" ", "") or None


def name_skeleton(name: str) -> str | None:
    """The cross-script consonant skeleton of a name, without spaces."""
    return skeleton(name).replace(" ", "") or None


@functools.lru_cache(maxsize=NAME_CACHE)
def part_forms(value: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(key, fuzzy, spoken skeleton, skeleton) of one name field: the compact key, its fuzzy
    form, the skeleton of the words as written and the skeleton of the compact key (a
    compound «محمد رضا» as one word). Cached, because names repeat (every «علی»)."""
    words = search_key(value) if value else ""
    key = words.replace(" ", "")
    if not key:
        return None, None, None, None
    spoken = name_skeleton(value)
    # one word (most names): the compact key is the same word, so is its skeleton
    compact = spoken if key == words else name_skeleton(key)
    return key, key.translate(FUZZY_TABLE), spoken, compact


def name_forms(given_name: str, family_name: str, display_name: str) -> tuple:
    """(given_key, family_key, full_key, name_fuzzy, name_skeleton, given_skeleton,
    family_skeleton, given_fuzzy, family_fuzzy) of a name: made of the forms of its parts, so
    each distinct given and family name is worked out once (see ``contact_features``); the
    display name stands in for a contact with neither."""
    given, given_fuzzy, given_spoken, given_skeleton = part_forms(given_name)
    family, family_fuzzy, family_spoken, family_skeleton = part_forms(family_name)
    if given or family:
        full = (given or "") + (family or "")
        fuzzy = (given_fuzzy or "") + (family_fuzzy or "")
        spoken = ((given_spoken or "") + (family_spoken or "")) or None
    else:
        full, fuzzy, spoken, _skeleton = part_forms(display_name)
    if not full:
        return (None,) * 9
    return (
        given,
        family,
        full,
        fuzzy,
        spoken,
        given_skeleton,
        family_skeleton,
        given_fuzzy,
        family_fuzzy,
    )


@functools.lru_cache(maxsize=NAME_CACHE)
def city_form(city: str) -> str | None:
    return name_skeleton(city) if city else None


def mailbox_name(email: str) -> str | None:
    """The mailbox part of an email without a ``+tag`` and dots, unless it is generic."""
    local, at, _domain = email.rpartition("@")
    if not at:
        return None
    local = local.split("+", 1)[0].replace(".", "")
    if len(local) < MIN_MAILBOX_LENGTH or local in GENERIC_MAILBOXES:
        return None
    return local


def postal_digits(value: str) -> str | None:
    if not value:
        return None
    return _NOT_DIGIT.sub("", search_key(value)) or None


@functools.lru_cache(maxsize=NAME_CACHE)
def address_forms(line: str, city: str = "") -> tuple[str | None, str | None]:
    """(house number, street) of an address line: the number after «پلاک» ("plate") or else
    the first number; the words without numbers, without the city's words and without the
    words every address has (خیابان, کوچه, street, road…), joined, in the fuzzy form.

    A line that is only the city (what an import without a street writes) has neither.
    Cached: a building's address repeats."""
    if not line:
        return None, None
    words = search_key(line).split()
    number = None
    for index, word in enumerate(words):
        if word in PLATE_WORDS and index + 1 < len(words) and words[index + 1].isdigit():
            number = words[index + 1]
            break
    if number is None:
        number = next((w for w in words if w.isdigit()), None)
    skip = ADDRESS_NOISE | set(search_key(city).split())
    street = "".join(w for w in words if not _HAS_DIGIT.search(w) and w not in skip)
    return number, street.translate(FUZZY_TABLE) or None


def feature_values(record: ContactRecord) -> tuple:
    """The matching forms of one contact, in ``SCHEMA`` order."""
    emails, phones, birth = record.emails, record.phones, record.birth_date or None
    return (
        record.id,
        *name_forms(record.given_name, record.family_name, record.display_name),
        emails[0] if emails else None,
        emails or None,
        mailbox_name(emails[0]) if emails else None,
        phones[0] if phones else None,
        phones or None,
        birth,
        birth[:4] if birth else None,
        (record.national_id or "").strip() or None,
        city_form(record.city),
        postal_digits(record.postal_code),
        *address_forms(record.address_line, record.city),
    )


def feature_row(record: ContactRecord) -> dict:
    """The matching forms of one contact as a dict (a row of the input table)."""
    return dict(zip(SCHEMA.names, feature_values(record), strict=True))


def features_table(records: Iterable[ContactRecord]) -> pa.Table:
    """The input table for ``records``, built column by column and turned into Arrow every
    ``BATCH_ROWS`` rows, so only one batch of Python values is alive at a time."""
    batches = []
    columns: list[list] = [[] for _ in SCHEMA.names]

    def flush() -> None:
        arrays = [pa.array(c, type=f.type) for c, f in zip(columns, SCHEMA, strict=True)]
        batches.append(pa.RecordBatch.from_arrays(arrays, schema=SCHEMA))
        for column in columns:
            column.clear()

    appenders = [column.append for column in columns]
    for record in records:
        for append, value in zip(appenders, feature_values(record), strict=True):
            append(value)
        if len(columns[0]) >= BATCH_ROWS:
            flush()
    if columns[0] or not batches:
        flush()
    return pa.Table.from_batches(batches, schema=SCHEMA)


# --- reading the database ----------------------------------------------------------------------


def _grouped(rows: Iterator[tuple]) -> Iterator[tuple[int, list[tuple]]]:
    """(contact_id, [rest of each row]) for rows sorted by contact id."""
    current, group = None, []
    for contact_id, *rest in rows:
        if contact_id != current:
            if current is not None:
                yield current, group
            current, group = contact_id, []
        group.append(rest)
    if current is not None:
        yield current, group


class _Follower:
    """Walks one child table (sorted by contact id) alongside the contacts."""

    def __init__(self, rows: Iterator[tuple]):
        self._groups = _grouped(rows)
        self._next = next(self._groups, None)

    def take(self, contact_id: int) -> list[tuple]:
        while self._next is not None and self._next[0] < contact_id:
            self._next = next(self._groups, None)
        if self._next is not None and self._next[0] == contact_id:
            found = self._next[1]
            self._next = next(self._groups, None)
            return found
        return []


def contact_records(contacts) -> Iterator[ContactRecord]:
    """``ContactRecord`` for every contact of the queryset ``contacts``, by id.

    Four streamed queries (contacts, emails, phones, addresses), each ordered by contact id;
    emails and phones primary first, the first address (line, city, postal code).
    """
    from peyvand.customers.models import Address, ContactEmail, ContactPhone

    # All contacts: no IN (subquery) over the whole table.
    ids = {"contact__in": contacts.values("pk")} if contacts.query.has_filters() else {}
    people = contacts.order_by("pk").values_list(
        "pk", "given_name", "family_name", "display_name", "birth_date", "national_id"
    )
    emails = _Follower(
        ContactEmail.objects.filter(**ids)
        .order_by("contact_id", "-is_primary", "pk")
        .values_list("contact_id", "email")
        .iterator(chunk_size=CHUNK)
    )
    phones = _Follower(
        ContactPhone.objects.filter(**ids)
        .order_by("contact_id", "-is_primary", "pk")
        .values_list("contact_id", "number")
        .iterator(chunk_size=CHUNK)
    )
    addresses = _Follower(
        Address.objects.filter(**ids)
        .order_by("contact_id", "pk")
        .values_list("contact_id", "line", "city", "postal_code")
        .iterator(chunk_size=CHUNK)
    )
    for pk, given, family, display, birth, national_id in people.iterator(chunk_size=CHUNK):
        place = next(iter(addresses.take(pk)), ("", "", ""))
        yield ContactRecord(
            id=pk,
            given_name=given,
            family_name=family,
            display_name=display,
            emails=[e for (e,) in emails.take(pk)],
            phones=[p for (p,) in phones.take(pk)],
            birth_date=birth.isoformat() if birth else "",
            national_id=national_id,
            address_line=place[0],
            city=place[1],
            postal_code=place[2],
        )


# --- reading the database, vectorised ----------------------------------------------------------

# The input table from the four row tables, put together by DuckDB; Python only works out the
# forms of each distinct name part, city, postal code and address line (see ``contact_features``).
_ASSEMBLE = """
WITH first_address AS (
    SELECT contact_id, arg_min(line, id) AS line, arg_min(city, id) AS city,
           arg_min(postal_code, id) AS postal_code
    FROM addresses GROUP BY contact_id
), email_lists AS (
    SELECT contact_id, list(email ORDER BY is_primary DESC, id) AS emails
    FROM emails GROUP BY contact_id
), phone_lists AS (
    SELECT contact_id, list(number ORDER BY is_primary DESC, id) AS phones
    FROM phones GROUP BY contact_id
), people AS (
    SELECT c.*, e.emails, p.phones, coalesce(a.line, '') AS line,
           coalesce(a.city, '') AS city, coalesce(a.postal_code, '') AS postal_code,
           CASE WHEN coalesce(g.key, f.key) IS NOT NULL
                THEN coalesce(g.key, '') || coalesce(f.key, '') ELSE d.key END AS full_key,
           CASE WHEN coalesce(g.key, f.key) IS NOT NULL
                THEN coalesce(g.fuzzy, '') || coalesce(f.fuzzy, '') ELSE d.fuzzy END AS fuzzy,
           CASE WHEN coalesce(g.key, f.key) IS NOT NULL
                THEN nullif(coalesce(g.spoken, '') || coalesce(f.spoken, ''), '')
                ELSE d.spoken END AS spoken,
           g.key AS given_key, f.key AS family_key, g.skeleton AS given_skeleton,
           f.skeleton AS family_skeleton, g.fuzzy AS given_fuzzy, f.fuzzy AS family_fuzzy,
           regexp_extract(e.emails[1], '^(.*)@', 1) AS local_part
    FROM contacts c
    LEFT JOIN email_lists e ON e.contact_id = c.unique_id
    LEFT JOIN phone_lists p ON p.contact_id = c.unique_id
    LEFT JOIN first_address a ON a.contact_id = c.unique_id
    LEFT JOIN name_parts g ON g.value = c.given_name
    LEFT JOIN name_parts f ON f.value = c.family_name
    LEFT JOIN display_parts d ON d.value = c.display_name
), mailboxes AS (
    SELECT *, replace(split_part(local_part, '+', 1), '.', '') AS mailbox FROM people
)
SELECT m.unique_id, m.given_key, m.family_key, m.full_key,
       CASE WHEN m.full_key IS NOT NULL THEN m.fuzzy END AS name_fuzzy,
       CASE WHEN m.full_key IS NOT NULL THEN m.spoken END AS name_skeleton,
       m.given_skeleton, m.family_skeleton, m.given_fuzzy, m.family_fuzzy,
       m.emails[1] AS email, m.emails,
       CASE WHEN strpos(m.emails[1], '@') > 0 AND length(m.mailbox) >= $min_mailbox
                 AND NOT list_contains($generic, m.mailbox) THEN m.mailbox END AS email_local,
       m.phones[1] AS phone, m.phones, m.birth_date, substr(m.birth_date, 1, 4) AS birth_year,
       nullif(trim(m.national_id), '') AS national_id,
       ci.form AS city, po.form AS postal_code, ad.house_number, ad.street_fuzzy
FROM mailboxes m
LEFT JOIN city_forms ci ON ci.value = m.city
LEFT JOIN postal_forms po ON po.value = m.postal_code
LEFT JOIN address_forms ad ON ad.line = m.line AND ad.city = m.city
ORDER BY m.unique_id
"""


def _fetch(
    queryset, columns: dict[str, pa.DataType], on_rows: Callable[[int], None] | None = None
) -> pa.Table:
    """The rows of a ``values_list`` queryset as an Arrow table of ``columns`` (name → type),
    fetched in chunks with a plain cursor, without Django's per-row conversions."""
    from django.db import connections

    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    schema = pa.schema(list(columns.items()))
    batches, seen = [], 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            values = zip(*rows, strict=True)
            arrays = [pa.array(c, type=t) for c, t in zip(values, schema.types, strict=True)]
            batches.append(pa.RecordBatch.from_arrays(arrays, schema=schema))
            seen += len(rows)
            if on_rows is not None and len(rows) == CHUNK:  # the end is the caller's to report
                on_rows(seen)
    return pa.Table.from_batches(batches, schema=schema)


def _forms_table(keys: Iterable[tuple], function: Callable, names: list[str]) -> pa.Table:
    """A table of each key (a tuple of values) and its forms ``function(*key)``."""
    rows = [(*key, *function(*key)) for key in keys]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    return pa.table([pa.array(c, type=pa.string()) for c in columns], names=names)


def _one(function: Callable) -> Callable:
    return lambda *key: (function(*key),)


def contact_features(contacts, on_read: Callable[[int], None] | None = None) -> pa.Table:
    """The input table (``SCHEMA``) of every contact of the queryset ``contacts``, by id: the
    same table as ``features_table(contact_records(contacts))``, made much faster.

    Four streamed queries (contacts, emails, phones, addresses; unordered) go into Arrow as
    they are; DuckDB groups the emails and phones (primary first), takes the first address
    (the smallest id) and joins the
    forms of each *distinct* given name, family name, display name, city, postal code and
    address line, which Python works out once each (names repeat: a million contacts have a
    few thousand given names). ``on_read(count)`` is called as contacts are read.
    """
    import duckdb
    from django.db.models import CharField, IntegerField
    from django.db.models.functions import Cast

    from peyvand.customers.models import Address, ContactEmail, ContactPhone

    ids = {"contact__in": contacts.values("pk")} if contacts.query.has_filters() else {}
    text, number = pa.string(), pa.int64()
    people = _fetch(
        contacts.order_by().values_list(
            "pk", "given_name", "family_name", "display_name",
            Cast("birth_date", output_field=CharField()), "national_id",
        ),
        {"unique_id": number, "given_name": text, "family_name": text, "display_name": text,
         "birth_date": text, "national_id": text},
        on_read,
    )  # fmt: skip
    # Unordered: DuckDB sorts faster than the database (primary first, then by id).
    primary_first = Cast("is_primary", output_field=IntegerField())
    children = {
        "emails": (
            ContactEmail.objects.filter(**ids).order_by()
            .values_list("contact_id", "email", primary_first, "pk"),
            {"contact_id": number, "email": text, "is_primary": number, "id": number},
        ),
        "phones": (
            ContactPhone.objects.filter(**ids).order_by()
            .values_list("contact_id", "number", primary_first, "pk"),
            {"contact_id": number, "number": text, "is_primary": number, "id": number},
        ),
        "addresses": (
            Address.objects.filter(contact__isnull=False, **ids).order_by()
            .values_list("contact_id", "line", "city", "postal_code", "pk"),
            {"contact_id": number, "line": text, "city": text, "postal_code": text,
             "id": number},
        ),
    }  # fmt: skip
    with duckdb.connect() as con:
        con.execute(f"SET memory_limit = '{ASSEMBLY_MEMORY_LIMIT}'")
        con.register("contacts", people)
        for name, (queryset, columns) in children.items():
            con.register(name, _fetch(queryset, columns))

        def distinct(sql: str) -> list:
            return con.execute(sql).fetchall()

        names = distinct("SELECT given_name FROM contacts UNION SELECT family_name FROM contacts")
        part_columns = ["value", "key", "fuzzy", "spoken", "skeleton"]
        con.register(
            "name_parts", _forms_table((v for v in names if v[0]), part_forms, part_columns)
        )
        # the display name counts only without a given and a family name
        displays = distinct(
            "SELECT DISTINCT c.display_name FROM contacts c "
            "LEFT JOIN name_parts g ON g.value = c.given_name "
            "LEFT JOIN name_parts f ON f.value = c.family_name "
            "WHERE g.key IS NULL AND f.key IS NULL"
        )
        forms = {
            "display_parts": _forms_table(
                (v for v in displays if v[0]), part_forms, part_columns
            ),
            "city_forms": _forms_table(
                (v for v in distinct("SELECT DISTINCT city FROM addresses") if v[0]),
                _one(city_form), ["value", "form"],
            ),
            "postal_forms": _forms_table(
                (v for v in distinct("SELECT DISTINCT postal_code FROM addresses") if v[0]),
                _one(postal_digits), ["value", "form"],
            ),
            "address_forms": _forms_table(
                (v for v in distinct("SELECT DISTINCT line, city FROM addresses") if v[0]),
                address_forms, ["line", "city", "house_number", "street_fuzzy"],
            ),
        }  # fmt: skip
        for name, forms_table in forms.items():
            con.register(name, forms_table)
        table = con.sql(
            _ASSEMBLE,
            params={"min_mailbox": MIN_MAILBOX_LENGTH, "generic": sorted(GENERIC_MAILBOXES)},
        ).to_arrow_table()
    return table.cast(SCHEMA)
