"""The body of a 301 for a contact that was merged into another (see ``ContactMergedAwayOut``)."""

from django.utils.translation import gettext as _

from peyvand.dedupe.selectors.merged_away import MergedAway


def merged_away(moved: MergedAway) -> dict:
    survivor = moved.survivor
    return {
        "detail": _("Contact %(old)s was merged into %(new)s (“%(name)s”).")
        % {"old": moved.public_id, "new": survivor.public_id, "name": survivor.display_name},
        "survivor": survivor.public_id,
        "survivor_name": survivor.display_name,
        "survivor_url": f"/api/v1/contacts/{survivor.public_id}",
        "merge": moved.merge.public_id,
    }
