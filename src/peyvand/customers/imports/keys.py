"""Which identity keys may already exist: a hash snapshot, so a large import asks the database
only about the few keys that can match.

A million-row import into a new or small CRM looked up every email, phone and ID of every
batch with an indexed query — a third of the import's time on PostgreSQL (decision 0009).
Almost all of those keys are new. ``KnownKeys`` reads the identity keys of the existing
records once, keeps their 64-bit hashes in a sorted array (8 bytes a key), and then:

* ``candidates`` keeps the values whose hash is known — only these go to the database, which
  confirms the match (a hash collision costs one lookup, never a wrong match);
* ``catch_up``, called in each batch's transaction, adds the keys of rows other users wrote since
  the last look (rows with a higher id, less the import's own), so a customer created in the web
  form during the import is still matched. Batches are decided ahead of their writing, so the
  writer re-checks the rows of its batch against the keys found after the batch was decided
  (``added_since``). A key *changed* in place on an existing record during
  the import is the one case only the per-key lookup would see.

The snapshot pays when the file is large beside the table (``worth_it``); a small file into a
big table keeps the plain per-key lookups.
"""

import numpy as np
from django.db import connection

SNAPSHOT_FROM_ROWS = 20_000  # smaller files: the per-key lookups cost less than reading keys
SNAPSHOT_TABLE_RATIO = 4  # ... and tables more than this many times the file's rows
_OWN_RUNS_IN_SQL = 8


def worth_it(rows_estimate: int, table: str) -> bool:
    if rows_estimate < SNAPSHOT_FROM_ROWS:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # once per large file: cheap beside it
        existing = cursor.fetchone()[0]
    return existing <= rows_estimate * SNAPSHOT_TABLE_RATIO


class KnownKeys:
    """Hashes of identity keys (``name:value``, as ``write._keys`` builds them) in the database.

    ``lookups`` maps a key name to ``(table, column, owner id column)``, as in ``write``."""

    def __init__(self, lookups: dict[str, tuple[str, str, str]]):
        self.lookups = lookups
        self.hashes = np.empty(0, dtype=np.int64)
        self.recent: set[int] = set()  # keys written by others since the snapshot
        self.added: list[int] = []  # the same, in the order the catch-ups found them
        self.marks: dict[str, int] = {}  # table -> highest id seen
        # ids of the records the import wrote since the last catch-up, as (first, last) runs
        self.own: list[tuple[int, int]] = []

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
        """The values whose key may exist, in the order given."""
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

    def position(self) -> int:
        """How many keys the catch-ups have found so far (see ``added_since``)."""
        return len(self.added)

    def added_since(self, position: int) -> set[int]:
        """Hashes of the keys the catch-ups found after ``position``: a batch decided ahead of
        its writing re-checks its rows against them (``write.ImportBatch._recheck``)."""
        return set(self.added[position:])

    def written(self, ids: list[int]) -> None:
        """The import wrote these records (ascending ids): their keys are the file's own
        (``seen``), so the next catch-up leaves them out."""
        for pk in ids:
            if self.own and self.own[-1][1] == pk - 1:
                self.own[-1] = (self.own[-1][0], pk)
            else:
                self.own.append((pk, pk))

    def catch_up(self) -> None:
        """Add the keys of rows others wrote since the last look; call inside the transaction
        that writes the batch (decided before it: the writer re-checks the batch against what
        this adds, see ``added_since``)."""
        # the import's own rows are left out in SQL: a batch's ids are one run, or a few when
        # other sessions drew from the same sequence meanwhile
        own = self.own if len(self.own) <= _OWN_RUNS_IN_SQL else []
        loose = (
            {pk for first, last in self.own for pk in range(first, last + 1)} if not own else set()
        )
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
                cursor.execute(f"SELECT COALESCE(MAX(id), %s) FROM {table}", [self.marks[table]])
                mark = cursor.fetchone()[0]
                outside = "".join(f" AND {owner} NOT BETWEEN %s AND %s" for _run in own)
                cursor.execute(
                    f"SELECT {owner}, {columns} FROM {table} WHERE id > %s AND id <= %s{outside}",
                    [self.marks[table], mark, *(bound for run in own for bound in run)],
                )
                for row in cursor.fetchall():
                    if row[0] in loose:
                        continue
                    for position, (name, _column, _o) in enumerate(keyed):
                        value = row[1 + position]
                        if value and (key := hash(f"{name}:{value}")) not in self.recent:
                            self.recent.add(key)
                            self.added.append(key)
                self.marks[table] = mark
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = on")
        self.own = []
