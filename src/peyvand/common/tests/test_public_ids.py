"""Public ids: opaque, URL-safe, unique — and ordered by creation (decision 0009)."""

import base64
import re
import time

from peyvand.common import models as common_models
from peyvand.common.models import new_public_id, new_public_ids

CROCKFORD = re.compile(r"^[0-9a-hjkmnp-tv-z]{16}$")
FROM_CROCKFORD = str.maketrans(
    "0123456789abcdefghjkmnpqrstvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
)


def test_ids_are_sixteen_crockford_characters():
    for public_id in [new_public_id() for _ in range(200)] + new_public_ids(200):
        assert CROCKFORD.match(public_id), public_id


def test_a_later_id_sorts_after_an_earlier_one(monkeypatch):
    now = [1_800_000_000_000_000_000]
    monkeypatch.setattr(common_models.time, "time_ns", lambda: now[0])
    earlier = [new_public_id() for _ in range(50)]
    now[0] += 1_000_000  # one millisecond later
    later = [new_public_id() for _ in range(50)] + new_public_ids(50)
    assert max(earlier) < min(later)


def test_bulk_ids_are_distinct_and_ascending_even_across_the_random_wrap(monkeypatch):
    monkeypatch.setattr(common_models.secrets, "randbits", lambda bits: (1 << bits) - 3)
    ids = new_public_ids(10)
    assert len(set(ids)) == 10
    # the random part wraps after three ids; the rest stay distinct, under the same time
    assert ids[:3] == sorted(ids[:3]) and ids[3:] == sorted(ids[3:])
    assert {i[:8] for i in ids} == {ids[0][:8]}


def test_the_time_part_is_the_creation_millisecond():
    before = time.time_ns() // 1_000_000
    public_id = new_public_id()
    after = time.time_ns() // 1_000_000
    raw = base64.b32decode(public_id.translate(FROM_CROCKFORD))
    assert before <= int.from_bytes(raw, "big") >> 36 <= after
