from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from peyvand.accounts.models import User
from peyvand.common.errors import NotFound
from peyvand.customers.models import Contact, ContactOrganization, Organization
from peyvand.customers.selectors.filters import RecordFilters, apply_common_filters
from peyvand.customers.selectors.history import (
    HistoryEntry,
    history_entries,
    people_named,
    without_unseen_people,
)
from peyvand.customers.selectors.visibility import visible_q


@dataclass
class OrganizationFilters(RecordFilters):
    industry: str | None = None


def organization_list(
    *, actor: User, filters: OrganizationFilters | None = None
) -> QuerySet[Organization]:
    qs = (
        Organization.objects.filter(visible_q(actor))
        .select_related("owner", "team")
        .prefetch_related("tags")
    )
    if filters is not None:
        qs = apply_common_filters(qs, filters, entity="organization")
        if filters.industry:
            qs = qs.filter(industry=filters.industry)
    return qs.order_by("-id")


def organization_get_for_user(*, actor: User, public_id: str) -> Organization:
    """Fetch and authorise; members shown are only the contacts the actor may see."""
    visible_contacts = Contact.objects.filter(visible_q(actor))
    organization = (
        Organization.objects.filter(visible_q(actor), public_id=public_id)
        .select_related("owner", "team")
        .prefetch_related(
            "tags",
            "addresses",
            Prefetch(
                "memberships",
                queryset=ContactOrganization.objects.filter(
                    contact__in=visible_contacts
                ).select_related("contact"),
            ),
        )
        .annotate(member_count=Count("memberships", distinct=True))
        .first()
    )
    if organization is None:
        raise NotFound("No such organisation.")
    return organization


def organization_history(
    *, actor: User, organization: Organization, limit: int = 50
) -> list[HistoryEntry]:
    organization_get_for_user(actor=actor, public_id=organization.public_id)
    entries = history_entries(record=organization, children=[], limit=limit)
    named = people_named(entries)
    visible = Contact.objects.filter(visible_q(actor), public_id__in=named) if named else []
    return without_unseen_people(entries, visible={c.public_id for c in visible})
