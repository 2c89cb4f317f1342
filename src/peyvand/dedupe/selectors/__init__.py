from peyvand.dedupe.selectors.merges import (
    FieldComparison,
    MergePreview,
    MergeSummary,
    RelationCount,
    contact_merge_preview,
    contact_pair_is_not_duplicate,
    merge_absorbing,
    merge_get_for_user,
    merge_summary,
    merge_visible,
    not_duplicate_pairs,
)

__all__ = [
    "FieldComparison",
    "MergePreview",
    "MergeSummary",
    "RelationCount",
    "contact_merge_preview",
    "contact_pair_is_not_duplicate",
    "merge_absorbing",
    "merge_get_for_user",
    "merge_summary",
    "merge_visible",
    "not_duplicate_pairs",
]
