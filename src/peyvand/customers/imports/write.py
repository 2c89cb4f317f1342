"""Decide what each normalised row does and write it: the set-based core of an import.

``ImportBatch`` takes batches of ``RowResult`` (file order) and, per batch:

1. records the row errors;
2. decides each valid row's action from the duplicate policy: a row sharing an identity key
   (email, E.164 phone, national ID, external ID) with an earlier row of the file, or matching
   an existing record (one indexed ``IN`` query per key and batch);
3. unless it is a dry run, writes the new records straight into the customer tables —
   contacts or organisations with ids allocated up front, so emails, phones, addresses, tags,
   memberships, custom values and the "+" history rows need no join back — with ``COPY`` on
   PostgreSQL and multi-row INSERTs on SQLite (``bulk.bulk_insert``); rows matched under
   "update" go through the services like an edit in the web form.

The caller wraps each batch in one transaction together with the job's progress.
"""

import json
from collections import Counter
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import ClassVar

from django.db import connection, models, transaction
from django.utils import timezone

from peyvand.common.entities import registry
from peyvand.common.models import new_public_ids
from peyvand.common.persian import search_key
from peyvand.common.typos import typo_words
from peyvand.customers.imports.bulk import bulk_insert, execute
from peyvand.customers.imports.keys import KnownKeys, worth_it
from peyvand.customers.imports.rows import ORGANIZATION_ROWS, RowResult, _document
from peyvand.customers.models import (
    Contact,
    ContactOrganization,
    CustomFieldValue,
    ImportJob,
    ImportRowError,
    ImportTouchedRange,
    Organization,
    Tag,
)
from peyvand.customers.search_index import (
    FTS_MERGE_BULK,
    sqlite_fts_merging,
    sqlite_insert_trigger,
)
from peyvand.customers.services.search_words import search_words_add

IDENTITY_KEYS = ("primary_email", "primary_phone", "national_id", "external_id")
PREVIEW_ROWS = 20
ERROR_COLUMNS = ["job_id", "row_number", "column", "value", "reason", "raw"]
CONTACT_COLUMNS = [
    "id", "public_id", "created_at", "updated_at", "given_name", "family_name", "display_name",
    "birth_date", "national_id", "external_id", "country", "preferred_language",
    "preferred_channel", "lifecycle_stage", "acquisition_source", "owner_id", "team_id", "notes",
    "created_by_id", "search_document", "version",
]  # fmt: skip
ORGANIZATION_COLUMNS = [
    "id", "public_id", "created_at", "updated_at", "name", "industry", "website", "email",
    "phone", "national_id", "external_id", "owner_id", "team_id", "notes", "created_by_id",
    "search_document", "version",
]  # fmt: skip
CONTACT_LOOKUPS = {
    "primary_email": ("customers_contactemail", "email", "contact_id"),
    "primary_phone": ("customers_contactphone", "number", "contact_id"),
    "national_id": ("customers_contact", "national_id", "id"),
    "external_id": ("customers_contact", "external_id", "id"),
}
ORGANIZATION_LOOKUPS = {
    "primary_email": ("customers_organization", "email", "id"),
    "primary_phone": ("customers_organization", "phone", "id"),
    "national_id": ("customers_organization", "national_id", "id"),
    "external_id": ("customers_organization", "external_id", "id"),
}
_LOOKUP_CHUNK = 5000


@dataclass
class BatchCounts:
    valid: int = 0
    error: int = 0
    create: int = 0
    update: int = 0

    @property
    def skip(self) -> int:
        """Valid rows neither created nor updated: duplicates skipped by the policy."""
        return self.valid - self.create - self.update


@dataclass
class Creation:
    """The records a batch creates, built before their ids exist: ``index`` in a child row is
    the record's position in ``results`` (its id is drawn when the batch is written)."""

    results: list[RowResult]
    records: list[tuple]  # the entity's columns after id, public_id, created_at, updated_at
    emails: list[tuple] = field(default_factory=list)  # (index, email, kind, is_primary)
    phones: list[tuple] = field(default_factory=list)  # (index, number, kind, is_primary)
    addresses: list[tuple] = field(default_factory=list)  # (index, kind, line, …, country)
    tags: list[tuple] = field(default_factory=list)  # (index, name)
    memberships: list[tuple] = field(default_factory=list)  # (index, organisation, job title)
    custom: list[tuple] = field(default_factory=list)  # (index, definition id, columns)

    def without(self, dropped: set[int]) -> "Creation":
        """The same creation less the records at ``dropped`` (positions renumbered)."""
        kept = [i for i in range(len(self.results)) if i not in dropped]
        new_index = {old: new for new, old in enumerate(kept)}

        def rows(items: list[tuple]) -> list[tuple]:
            return [(new_index[i], *rest) for i, *rest in items if i in new_index]

        return Creation(
            [self.results[i] for i in kept], [self.records[i] for i in kept],
            rows(self.emails), rows(self.phones), rows(self.addresses), rows(self.tags),
            rows(self.memberships), rows(self.custom),
        )  # fmt: skip


@dataclass
class PreparedBatch:
    """A batch decided and laid out, ready to write (``ImportBatch.prepare``)."""

    counts: BatchCounts
    errors: list[tuple]  # rows of ImportRowError
    creation: Creation | None
    updating: list[tuple[RowResult, int]]
    words: set[str]  # new words of the typo vocabulary
    known_position: int = 0  # how much of the key snapshot's catch-ups the decision saw


@dataclass
class ImportBatch:
    """What one pass over a file remembers between batches."""

    job: ImportJob
    dry_run: bool
    # identity key -> did its first row create a new record? (the file's own duplicates)
    seen: dict[str, bool] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)
    tag_ids: dict[str, int] = field(default_factory=dict)
    organization_ids: dict[str, int] = field(default_factory=dict)
    preview: list[dict] = field(default_factory=list)
    # identity key -> the first preview row (file row number) that had it ("same as row N")
    preview_keys: dict[str, int] = field(default_factory=dict)
    # hashes of the keys already in the database (large files, see keys.py); None: ask per key
    known: KnownKeys | None = None
    id_sequence: str | None = None  # PostgreSQL: the sequence of the entity table's ids

    # what differs per record type (ContactImportBatch, OrganizationImportBatch below; a type
    # registers its class as EntitySpec.import_writer): its model, where its identity keys are
    # looked up, how its rows are laid out, created and updated
    model: ClassVar[type[models.Model]]
    lookups: ClassVar[dict[str, tuple[str, str, str]]]

    @staticmethod
    def for_job(job: ImportJob, *, dry_run: bool) -> "ImportBatch":
        return registry.get(job.entity).import_writer(job=job, dry_run=dry_run)

    def __post_init__(self) -> None:
        self.now = timezone.now()
        # in the form the database takes (SQLite: text), adapted once instead of per cell
        self.stamp = connection.ops.adapt_datetimefield_value(self.now)

    def snapshot_keys(self) -> None:
        """Read the existing identity keys once, if the file is large beside the table."""
        if self.job.on_duplicate != "create" and worth_it(
            self.job.rows_estimate, self.model._meta.db_table
        ):
            self.known = KnownKeys.load(self.lookups)

    # -- the file's own duplicates ---------------------------------------------------------
    def remember(self, result: RowResult) -> None:
        """Replay a row an interrupted run already handled (on resume), so later rows see it
        as the earlier duplicate it was."""
        if result.record is not None and self.job.on_duplicate != "create":
            for key in _keys(result.record):
                self.seen.setdefault(key, True)

    # -- one batch --------------------------------------------------------------------------
    def handle(self, results: list[RowResult], raws: dict[int, dict]) -> BatchCounts:
        return self.apply(self.prepare(results, raws))

    @property
    def pipelined(self) -> bool:
        """Can batches be prepared ahead, outside the transaction that writes them? With the
        key snapshot (the writer then catches up on rows others wrote meanwhile and re-checks
        the few rows they touch, ``_recheck``), or when every row is created anyway. Otherwise
        the per-key lookups run in the writing transaction, so that nothing committed in
        between is missed."""
        return self.known is not None or self.job.on_duplicate == "create"

    def prepare(self, results: list[RowResult], raws: dict[int, dict]) -> PreparedBatch:
        """Decide each row's action and lay out the rows to write. Reads the database (the
        keys that may exist) but writes nothing; batches are prepared in file order."""
        counts = BatchCounts()
        errors = []
        valid: list[RowResult] = []
        for result in results:
            if result.errors:
                raw = json.dumps(raws.get(result.row_number, {}), ensure_ascii=False)
                errors += [
                    (self.job.pk, result.row_number, column, value, reason, raw)
                    for column, value, reason in result.errors
                ]
                counts.error += 1
            else:
                valid.append(result)
        counts.valid = len(valid)
        position = self.known.position() if self.known is not None else 0
        with _reading():
            actions = self._decide(valid)
        creating = [r for r, (action, _) in zip(valid, actions, strict=True) if action == "create"]
        updating = [
            (r, match) for r, (action, match) in zip(valid, actions, strict=True)
            if action == "update"
        ]  # fmt: skip
        counts.create, counts.update = len(creating), len(updating)
        if len(self.preview) < PREVIEW_ROWS:
            self._keep_preview(valid, actions)
        if self.dry_run or not creating:
            return PreparedBatch(counts, errors, None, updating, set(), position)
        creation = self._lay_out(creating)
        return PreparedBatch(counts, errors, creation, updating, self._new_words(creating),
                             position)  # fmt: skip

    def apply(self, prepared: PreparedBatch) -> BatchCounts:
        """Write a prepared batch; call inside the batch's transaction."""
        counts = prepared.counts
        bulk_insert(ImportRowError._meta.db_table, ERROR_COLUMNS, prepared.errors)
        if self.dry_run:
            return counts
        if self.known is not None:
            self.known.catch_up()
            if prepared.creation is not None:
                self._recheck(prepared)
        search_words_add(prepared.words)  # an index of names, not customer data (common.typos)
        if prepared.creation is not None and prepared.creation.results:
            self._create(prepared.creation)
        if prepared.updating:
            counts.update = self._update(prepared.updating)
        return counts

    def _recheck(self, prepared: PreparedBatch) -> None:
        """Rows others wrote after this batch was decided (found by the writer's catch-up) may
        share a key with a row the batch would create: that row now matches them."""
        fresh = self.known.added_since(prepared.known_position)
        creation = prepared.creation
        if not fresh:
            return
        touched = [
            i for i, result in enumerate(creation.results)
            if any(hash(key) in fresh for key in _keys(result.record))
        ]  # fmt: skip
        if not touched:
            return
        matches = self._existing([creation.results[i].record for i in touched])
        dropped = set()
        for i in touched:
            keys = _keys(creation.results[i].record)
            match = next((matches[k] for k in keys if k in matches), None)
            if match is None:
                continue
            dropped.add(i)
            if self.job.on_duplicate == "update":
                prepared.updating.append((creation.results[i], match))
        if dropped:
            prepared.creation = creation.without(dropped)
            counts = prepared.counts
            counts.create -= len(dropped)
            counts.update = len(prepared.updating)

    def _decide(self, valid: list[RowResult]) -> list[tuple[str, int | None]]:
        """(action, existing record id) per row, in file order."""
        policy = self.job.on_duplicate
        if policy == "create":  # no lookups, and nothing to remember for later rows
            return [("create", None)] * len(valid)
        seen = self.seen
        row_keys = [_keys(r.record) for r in valid]
        counts = Counter(k for keys in row_keys for k in keys)
        earlier = {k for k in counts if k in seen}  # keys of earlier batches
        fresh = [r.record for r, keys in zip(valid, row_keys, strict=True)
                 if earlier.isdisjoint(keys)]  # fmt: skip
        matches = self._existing(fresh) if fresh else {}
        # a row none of whose keys is shared (with an earlier row, another row of this batch or
        # an existing record) is new, whatever the order: most rows of a large file
        shared = earlier | {k for k, n in counts.items() if n > 1} | matches.keys()
        create = ("create", None)
        decided: list[tuple[str, int | None]] = []
        for result, keys in zip(valid, row_keys, strict=True):
            if shared.isdisjoint(keys):
                decided.append(create)
                for key in keys:
                    seen[key] = True
                continue
            repeated = any(k in seen for k in keys)
            if repeated and (policy == "skip" or any(seen.get(k) for k in keys)):
                decided.append(("skip", None))  # the file's own duplicate of an earlier row
            else:
                # keys in IDENTITY_KEYS order: the first key that finds a record wins
                match = next((matches[k] for k in keys if k in matches), None)
                if match is None and repeated:
                    # "update": a repeat of a row that updated an existing record updates it too
                    found = self._existing([result.record])
                    match = next((found[k] for k in keys if k in found), None)
                if match is None:
                    decided.append(create)
                else:
                    decided.append(("update" if policy == "update" else "skip", match))
            created = decided[-1][0] == "create"
            for key in keys:
                seen.setdefault(key, created)
        return decided

    def _existing(self, records: list[dict]) -> dict[str, int]:
        """identity key -> id of the oldest existing record with it, for these rows."""
        postgres = connection.vendor == "postgresql"
        found: dict[str, int] = {}
        wanted = {}
        for name in self.lookups:
            values = sorted({r[name] for r in records if r.get(name)})
            wanted[name] = self.known.candidates(name, values) if self.known else values
        if not any(wanted.values()):
            return found
        with connection.cursor() as cursor:
            if postgres:
                # thousands of keys look "unselective" to the planner, which then scans the
                # whole table in parallel; sorted index probes are six times faster
                cursor.execute("SET LOCAL enable_seqscan = off")
            for name, (table, column, id_column) in self.lookups.items():
                values = wanted[name]
                for start in range(0, len(values), _LOOKUP_CHUNK):
                    chunk = values[start : start + _LOOKUP_CHUNK]
                    if postgres:
                        where, params = f"{column} = ANY(%s)", [chunk]
                    else:
                        where, params = f"{column} IN ({', '.join(['%s'] * len(chunk))})", chunk
                    cursor.execute(
                        f"SELECT {column}, MIN({id_column}) FROM {table} WHERE {where} "
                        f"GROUP BY {column}",
                        params,
                    )
                    found.update((f"{name}:{value}", pk) for value, pk in cursor.fetchall())
            if postgres:
                cursor.execute("SET LOCAL enable_seqscan = on")
        return found

    def _keep_preview(self, valid: list[RowResult], actions) -> None:
        """The first rows with their action, the earlier row of the file they repeat ("same
        as row N") and the existing record they match (its public id, to link to)."""
        kept = []
        for result, (action, match) in zip(valid, actions, strict=True):
            if len(self.preview) + len(kept) >= PREVIEW_ROWS:
                break
            record = result.record
            keys = _keys(record)
            same_as = next((self.preview_keys[k] for k in keys if k in self.preview_keys), None)
            for key in keys:
                self.preview_keys.setdefault(key, result.row_number)
            birth = record.get("birth_date")
            kept.append({
                "row_number": result.row_number,
                "display_name": record.get("display_name") or record.get("name", ""),
                "primary_phone": record["primary_phone"],
                "primary_email": record["primary_email"],
                "national_id": record["national_id"],
                "birth_date": birth.isoformat() if birth else None,
                "action": action,
                "same_as_row": same_as,
                "match": match,
            })  # fmt: skip
        matched = [row["match"] for row in kept if row["match"] is not None]
        public_ids = dict(
            self.model.objects.filter(pk__in=matched).values_list("id", "public_id")
        ) if matched else {}  # fmt: skip
        for row in kept:
            row["match"] = public_ids.get(row["match"])
        self.preview += kept

    def _new_words(self, creating: list[RowResult]) -> set[str]:
        new = set()
        for result in creating:
            new |= typo_words(result.record["name_key"])
        new -= self.words
        self.words |= new
        return new

    # -- creating ----------------------------------------------------------------------------
    def _allocate(self, count: int) -> list[int]:
        """Ids for ``count`` new rows of the entity's table (this transaction holds the write
        lock on SQLite, so the range after the current maximum is ours)."""
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                if self.id_sequence is None:
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                    self.id_sequence = cursor.fetchone()[0]
                # the sequence named once: pg_get_serial_sequence in the select list looked it
                # up again for every row (2 µs each, 0.25 µs for nextval itself)
                cursor.execute(
                    "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                    [self.id_sequence, count],
                )
                ids = [row[0] for row in cursor.fetchall()]
            else:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                first = cursor.fetchone()[0] + 1
                ids = list(range(first, first + count))
        if self.known is not None:
            self.known.written(ids)
        return ids

    def _insert_records(self, columns: list[str], rows: list[tuple], ids: list[int]) -> None:
        """Insert the entity's rows; on SQLite the FTS5 index is filled in one statement
        instead of by the per-row trigger (an FTS5 insert inside a trigger flushes every row,
        five times slower), the trigger being back before the transaction commits."""
        table = self.model._meta.db_table
        if connection.vendor != "sqlite":
            bulk_insert(table, columns, rows)
            return
        execute(f"DROP TRIGGER IF EXISTS {table}_ai")
        with connection.cursor() as cursor:
            sqlite_fts_merging(cursor, table, FTS_MERGE_BULK)  # the defaults: pipeline._analyze
        bulk_insert(table, columns, rows)
        execute(
            f"INSERT INTO {table}_fts (rowid, search_document) "
            f"SELECT id, search_document FROM {table} WHERE id BETWEEN %s AND %s",
            [ids[0], ids[-1]],
        )
        execute(sqlite_insert_trigger(table))

    def _records_with_ids(self, creation: Creation) -> tuple[list[int], list[tuple]]:
        count = len(creation.results)
        ids = self._allocate(count)
        now = self.stamp
        rows = [
            (pk, public_id, now, now, *record)
            for pk, public_id, record in zip(ids, new_public_ids(count), creation.records,
                                             strict=True)
        ]  # fmt: skip
        return ids, rows

    def _ensure_tag_ids(self, names: Iterable[str]) -> None:
        wanted = {}
        for name in names:
            key = search_key(name)[:50]
            if key and key not in self.tag_ids:
                wanted.setdefault(key, name)
        if not wanted:
            return
        Tag.objects.bulk_create(
            [Tag(name=name, key=key) for key, name in wanted.items()], ignore_conflicts=True
        )
        self.tag_ids.update(Tag.objects.filter(key__in=list(wanted)).values_list("key", "id"))

    def _insert_tags(self, table: str, column: str, tags: list[tuple[int, str]]) -> None:
        if not tags:
            return
        self._ensure_tag_ids(name for _, name in tags)
        rows = {(pk, self.tag_ids[search_key(name)[:50]]) for pk, name in tags}
        bulk_insert(table, [column, "tag_id"], sorted(rows))

    def _insert_memberships(self, memberships: list[tuple[int, str, str]]) -> None:
        if not memberships:
            return
        missing = {name for _, name, _ in memberships} - set(self.organization_ids)
        if missing:
            existing = (
                Organization.objects.filter(name__in=missing)
                .order_by("id")
                .values_list("name", "id")
            )
            for name, pk in existing:
                self.organization_ids.setdefault(name, pk)
            actor = self.job.created_by
            team = actor.teams.order_by("name").first()
            new = []
            for name in sorted(missing - set(self.organization_ids)):
                organization = Organization(name=name, owner=actor, team=team, created_by=actor)
                record = {"name": name, "national_id": "", "website": ""}
                organization.search_document = _document(record, [], [], [], ORGANIZATION_ROWS)
                new.append(organization)
            for organization in Organization.objects.bulk_create(new, batch_size=2000):
                self.organization_ids[organization.name] = organization.pk
        now = self.stamp
        bulk_insert(
            ContactOrganization._meta.db_table,
            ["created_at", "updated_at", "contact_id", "organization_id", "job_title", "role"],
            [(now, now, pk, self.organization_ids[name], title, "")
             for pk, name, title in memberships],
        )  # fmt: skip

    def _insert_custom_values(self, entity: str, custom: list[tuple[int, int, dict]]) -> None:
        if custom:
            CustomFieldValue.objects.bulk_create(
                [
                    CustomFieldValue(definition_id=definition_id, **{f"{entity}_id": pk},
                                     **columns)
                    for pk, definition_id, columns in custom
                ],
                batch_size=1000,
            )  # fmt: skip

    def _insert_history(self, ids: list[int]) -> None:
        """The "+" history rows of the records just created, copied from their table."""
        model = self.model
        history = model.history.model
        source_columns = {f.attname: f.column for f in model._meta.concrete_fields}
        q = connection.ops.quote_name
        targets, selects = [], []
        for history_field in history._meta.concrete_fields:
            if history_field.attname in source_columns:
                targets.append(q(history_field.column))
                selects.append(f"r.{q(source_columns[history_field.attname])}")
        targets += ["history_date", "history_change_reason", "history_type", "history_user_id"]
        selects += ["%s", "%s", "'+'", "%s"]
        if connection.vendor == "postgresql":  # the range keeps the plan on the primary key
            where, bounds = "r.id BETWEEN %s AND %s AND r.id = ANY(%s)", [min(ids), max(ids), ids]
        else:
            where, bounds = "r.id BETWEEN %s AND %s", [ids[0], ids[-1]]
        execute(
            f"INSERT INTO {history._meta.db_table} ({', '.join(targets)}) "
            f"SELECT {', '.join(selects)} FROM {model._meta.db_table} r WHERE {where} "
            "ORDER BY r.id",
            [self.now, f"import {self.job.public_id}", self.job.created_by_id, *bounds],
        )

    # -- updating ----------------------------------------------------------------------------
    def _update(self, updating: list[tuple[RowResult, int]]) -> int:
        """Rows matched under "update" go through the services, so they get the same checks,
        history and search document as an edit in the web form."""
        public_ids = dict(
            self.model.objects.filter(pk__in=[m for _, m in updating]).values_list(
                "id", "public_id"
            )
        )
        updated = []
        for result, match in updating:
            public_id = public_ids.get(match)
            if public_id is None:
                continue
            self._update_record(public_id, match, result)
            updated.append(match)
        self._touched(updated)
        return len(updated)

    def _touched(self, ids: list[int]) -> None:
        """Remember which records this import created or updated, as ranges of ids (a batch's
        new records are consecutive: one row for the batch)."""
        bulk_insert(
            ImportTouchedRange._meta.db_table, ["job_id", "first_id", "last_id"],
            [(self.job.pk, first, last) for first, last in id_ranges(ids)],
        )  # fmt: skip


@dataclass
class ContactImportBatch(ImportBatch):
    model = Contact
    lookups = CONTACT_LOOKUPS

    def _lay_out(self, creating: list[RowResult]) -> Creation:
        """The rows of the records to create, as they will be written but for their ids."""
        created_by = self.job.created_by_id
        creation = Creation(creating, [])
        records, tags, custom = creation.records, creation.tags, creation.custom
        emails, phones, memberships = creation.emails, creation.phones, creation.memberships
        for i, result in enumerate(creating):
            r = result.record
            records.append((
                r["given_name"], r["family_name"], r["display_name"], r["birth_date"],
                r["national_id"], r["external_id"], r["country"], "", "", r["lifecycle_stage"],
                r["acquisition_source"], r["owner_id"], r["team_id"], r["notes"], created_by,
                r["search_document"], 1,
            ))  # fmt: skip
            for kind, position, value, definition_id, columns in result.values:
                if kind.startswith("e:"):
                    emails.append((i, value, kind[2:], position == 0))
                elif kind.startswith("p:"):
                    phones.append((i, value, kind[2:], position == 0))
                elif kind == "tag":
                    tags.append((i, value))
                else:
                    custom.append((i, definition_id, columns))
            if address := _address_row(i, "home", r):
                creation.addresses.append(address)
            if r["organization"]:
                memberships.append((i, r["organization"], r["job_title"]))
        return creation

    def _create(self, creation: Creation) -> None:
        ids, contacts = self._records_with_ids(creation)
        now = self.stamp
        self._insert_records(CONTACT_COLUMNS, contacts, ids)
        contact_columns = ["created_at", "updated_at", "contact_id"]
        bulk_insert(
            "customers_contactemail", [*contact_columns, "email", "kind", "is_primary"],
            [(now, now, ids[i], email, kind, primary) for i, email, kind, primary
             in creation.emails],
        )  # fmt: skip
        bulk_insert(
            "customers_contactphone", [*contact_columns, "number", "kind", "is_primary"],
            [(now, now, ids[i], number, kind, primary) for i, number, kind, primary
             in creation.phones],
        )  # fmt: skip
        bulk_insert(
            "customers_address",
            [*contact_columns, "kind", "line", "city", "province", "postal_code", "country"],
            [(now, now, ids[i], *rest) for i, *rest in creation.addresses],
        )
        self._insert_tags("customers_contact_tags", "contact_id",
                          [(ids[i], name) for i, name in creation.tags])  # fmt: skip
        self._insert_memberships([(ids[i], *rest) for i, *rest in creation.memberships])
        self._insert_custom_values("contact", [(ids[i], *rest) for i, *rest in creation.custom])
        self._insert_history(ids)
        self._touched(ids)

    def _update_record(self, public_id: str, match: int, result: RowResult) -> None:
        _update_contact(self.job.created_by, public_id, match, result)


@dataclass
class OrganizationImportBatch(ImportBatch):
    model = Organization
    lookups = ORGANIZATION_LOOKUPS

    def _lay_out(self, creating: list[RowResult]) -> Creation:
        """The rows of the records to create, as they will be written but for their ids."""
        created_by = self.job.created_by_id
        creation = Creation(creating, [])
        records, tags, custom = creation.records, creation.tags, creation.custom
        for i, result in enumerate(creating):
            r = result.record
            records.append((
                r["name"], r["industry"], r["website"], r["primary_email"],
                r["primary_phone"], r["national_id"], r["external_id"], r["owner_id"],
                r["team_id"], r["notes"], created_by, r["search_document"], 1,
            ))  # fmt: skip
            for kind, _position, value, definition_id, columns in result.values:
                if kind == "tag":
                    tags.append((i, value))
                elif kind == "cf":
                    custom.append((i, definition_id, columns))
            if address := _address_row(i, "work", r):
                creation.addresses.append(address)
        return creation

    def _create(self, creation: Creation) -> None:
        ids, rows = self._records_with_ids(creation)
        now = self.stamp
        self._insert_records(ORGANIZATION_COLUMNS, rows, ids)
        bulk_insert(
            "customers_address",
            ["created_at", "updated_at", "organization_id", "kind", "line", "city", "province",
             "postal_code", "country"],
            [(now, now, ids[i], *rest) for i, *rest in creation.addresses],
        )  # fmt: skip
        self._insert_tags("customers_organization_tags", "organization_id",
                          [(ids[i], name) for i, name in creation.tags])  # fmt: skip
        self._insert_custom_values(
            "organization", [(ids[i], *rest) for i, *rest in creation.custom]
        )
        self._insert_history(ids)
        self._touched(ids)

    def _update_record(self, public_id: str, match: int, result: RowResult) -> None:
        _update_organization(self.job.created_by, public_id, result)


def _update_contact(actor, public_id: str, pk: int, result: RowResult) -> None:
    from peyvand.customers.services.contacts import (
        ContactInput,
        EmailInput,
        PhoneInput,
        contact_update,
    )

    r = result.record
    existing = Contact.objects.prefetch_related("emails", "phones", "tags").get(pk=pk)
    data = ContactInput()
    for name in ("given_name", "family_name", "national_id", "acquisition_source"):
        if r.get(name):
            setattr(data, name, r[name])
    if r.get("birth_date"):
        data.birth_date = r["birth_date"]
    new_emails = [v for v in result.values if v[0].startswith("e:")]
    new_phones = [v for v in result.values if v[0].startswith("p:")]
    if new_emails:
        known = [EmailInput(e.email, e.kind, e.is_primary) for e in existing.emails.all()]
        data.emails = known + [EmailInput(v[2], v[0][2:]) for v in new_emails]
    if new_phones:
        known = [PhoneInput(p.number, p.kind, p.is_primary) for p in existing.phones.all()]
        data.phones = known + [PhoneInput(v[2], v[0][2:]) for v in new_phones]
    new_tags = [v[2] for v in result.values if v[0] == "tag"]
    if new_tags:
        data.tags = [t.name for t in existing.tags.all()] + new_tags
    data.custom_fields = {}
    contact_update(actor=actor, public_id=public_id, data=data)


def _update_organization(actor, public_id: str, result: RowResult) -> None:
    from peyvand.customers.services.organizations import OrganizationInput, organization_update

    data = OrganizationInput()
    for source, target in (
        ("industry", "industry"),
        ("website", "website"),
        ("primary_email", "email"),
        ("primary_phone", "phone"),
    ):
        if result.record.get(source):
            setattr(data, target, result.record[source])  # fmt: skip
    organization_update(actor=actor, public_id=public_id, data=data)


def id_ranges(ids: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted distinct ids as inclusive (first, last) runs: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    ranges: list[list[int]] = []
    for pk in sorted(set(ids)):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    return [(first, last) for first, last in ranges]


def _address_row(index: int, kind: str, record: dict) -> tuple | None:
    """The one address an imported row carries (its line, or else its city alone): the
    record's position in its batch, then the columns of ``customers_address`` from ``kind``;
    None without either."""
    if not (record["address"] or record["city"]):
        return None
    return (
        index, kind, record["address"] or record["city"], record["city"], record["province"],
        record["postal_code"], record["country"],
    )  # fmt: skip


def _reading():
    """Where a batch's decision reads: on PostgreSQL a transaction of its own (its ``SET
    LOCAL`` planner settings end with it); on SQLite none, as a transaction there would take
    the write lock the writer holds."""
    if connection.vendor == "postgresql":
        return transaction.atomic()
    return nullcontext()


def _keys(record: dict) -> list[str]:
    return [f"{name}:{record[name]}" for name in IDENTITY_KEYS if record.get(name)]
