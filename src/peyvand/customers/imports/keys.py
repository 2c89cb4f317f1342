"""Which identity keys may already exist: a hash snapshot, so a large import asks the database
only about the few keys that can match.

A million-row import into a new or small CRM looked up every email, phone and ID of every
batch with an indexed query — a third of the import's time (decision 0007, "identity keys").
Almost all of those keys are new. ``KnownKeys`` reads the identity keys of the existing
records once, keeps their 64-bit hashes in a sorted array (8 bytes a key), and then:

* ``candidates`` keeps the values whose hash is known — only these go to the database, which
  confirms the match (a hash collision costs one lookup, never a wrong match);
* ``catch_up``, called in each batch's transaction, adds the keys of rows other users wrote since
  the last look (rows with a higher id, less the import's own), so a customer created in the web
  form during the import is still matched. A key *changed* in place on an existing record during
  the import is the one case only the per-key lookup would see.

The snapshot pays when the file is large beside the table (``worth_it``); a small file into a
big table keeps the plain per-key lookups.
"""

import numpy as np
from django.db import connection

SNAPSHOT_FROM_ROWS = 20_000  # smaller files: the per-key lookups cost less than reading keys
SNAPSHOT_TABLE_RATIO = 4  # ... and tables more than this many times the file's rows


def worth_it(rows_estimate: int, table: str) -> bool:
    if rows_estimate < SNAPSHOT_FROM_ROWS:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        existing = cursor.fetchone()[0]
    return existing <= rows_estimate * SNAPSHOT_TABLE_RATIO


class KnownKeys:
    """Hashes of identity keys (``name:value``, as ``write._keys`` builds them) in the database.

    ``lookups`` maps a key name to ``(table, column, owner id column)``, as in ``write``."""

    def __init__(self, lookups: dict[str, tuple[str, str, str]]):
        self.lookups = lookups
        self.hashes = np.empty(0, dtype=np.int64)
        self.recent: set[int] = set()  # keys written by others since the snapshot
        self.marks: dict[str, int] = {}  # table -> highest id seen
        self.own: set[int] = set()  # ids of records the import wrote since the last catch-up

    @classmethod
    def load(cls, lookups: dict[str, tuple[str, str, str]]) -> "KnownKeys":
        known = cls(lookups)
        hashes: list[int] = []
        with connection.cursor() as cursor:
            for table in known._tables():
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                known.marks[table] = cursor.fetchone()[0]
            for name, (table, column, _owner) in lookups.items():
                cursor.execute(
                    f"SELECT DISTINCT {column} FROM {table} WHERE {column} <> '' AND id <= %s",
                    [known.marks[table]],
                )
                prefix = f"{name}:"
                hashes += [hash(prefix + value) for (value,) in cursor.fetchall() if value]
        known.hashes = np.unique(np.array(hashes, dtype=np.int64))
        return known

    def _tables(self) -> list[str]:
        return list(dict.fromkeys(table for table, _c, _o in self.lookups.values()))

    def candidates(self, name: str, values: list[str]) -> list[str]:
        """The values whose key may exist (sorted, as given)."""
        if not values:
            return []
        prefix = f"{name}:"
        wanted = np.fromiter((hash(prefix + v) for v in values), dtype=np.int64, count=len(values))
        found = np.zeros(len(values), dtype=bool)
        if len(self.hashes):
            at = np.searchsorted(self.hashes, wanted).clip(max=len(self.hashes) - 1)
            found = self.hashes[at] == wanted
        if self.recent:
            found |= np.fromiter((h in self.recent for h in wanted.tolist()), dtype=bool,
                                 count=len(values))  # fmt: skip
        return [v for v, hit in zip(values, found.tolist(), strict=True) if hit]

    def written(self, ids: list[int]) -> None:
        """The import wrote these records: their keys are the file's own (``seen``)."""
        self.own.update(ids)

    def catch_up(self) -> None:
        """Add the keys of rows others wrote since the last look; call inside the transaction
        that then decides and writes the batch."""
        own = self.own
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # the statistics still describe the table before the import: without this the
                # planner scans it whole for the few thousand rows past the mark
                cursor.execute("SET LOCAL enable_seqscan = off")
            for table in self._tables():
                keyed = [(name, column, owner) for name, (t, column, owner) in self.lookups.items()
                         if t == table]  # fmt: skip
                owner = keyed[0][2]
                columns = ", ".join(column for _n, column, _o in keyed)
                cursor.execute(
                    f"SELECT id, {owner}, {columns} FROM {table} WHERE id > %s",
                    [self.marks[table]],
                )
                for row in cursor.fetchall():
                    self.marks[table] = max(self.marks[table], row[0])
                    if row[1] in own:
                        continue
                    for position, (name, _column, _o) in enumerate(keyed):
                        value = row[2 + position]
                        if value:
                            self.recent.add(hash(f"{name}:{value}"))
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = on")
        self.own = set()
