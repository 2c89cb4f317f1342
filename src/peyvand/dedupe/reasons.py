"""The history change reasons a merge leaves on the records it touches.

Stored as ``<kind>:<merge public id>`` (simple-history keeps 100 characters) so every history
view can say what happened in the reader's language and link to the merge.
"""

MERGED = "merge"  # the survivor absorbed other records
MERGED_INTO = "merged-into"  # this record was merged into the survivor and deleted
UNMERGED = "unmerge"  # the merge was undone (survivor restored, merged records re-created)
KINDS = (MERGED, MERGED_INTO, UNMERGED)


def reason_for(kind: str, merge_public_id: str) -> str:
    return f"{kind}:{merge_public_id}"


def reason_parse(reason: str | None) -> tuple[str, str] | None:
    """(kind, merge public id) for a merge reason, None for any other text."""
    kind, _, merge_id = (reason or "").partition(":")
    return (kind, merge_id) if kind in KINDS and merge_id else None
