from peyvand.dedupe.selectors.merged_away import MergedAway, contact_merged_away_for_user
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
    "MergedAway",
    "RelationCount",
    "contact_merge_preview",
    "contact_merged_away_for_user",
    "contact_pair_is_not_duplicate",
    "merge_absorbing",
    "merge_get_for_user",
    "merge_summary",
    "merge_visible",
    "not_duplicate_pairs",
]
