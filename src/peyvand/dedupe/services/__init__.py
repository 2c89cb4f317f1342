from peyvand.dedupe.services.merge import contact_merge, merge_undo
from peyvand.dedupe.services.not_duplicate import contact_mark_not_duplicate

__all__ = ["contact_mark_not_duplicate", "contact_merge", "merge_undo"]
