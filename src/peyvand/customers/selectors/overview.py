"""What the start page shows: how many records the actor sees (counted up to a cap), the
newest contacts and the actor's own recent imports."""

from dataclasses import dataclass

from peyvand.accounts.models import User
from peyvand.customers.models import ImportJob
from peyvand.customers.selectors.contacts import contact_list, with_first_contacts
from peyvand.customers.selectors.organizations import organization_list

COUNT_CAP = 10_000  # counting stops here: "10,000+" costs the same on any table size
RECENT = 5


@dataclass(frozen=True)
class Overview:
    contacts: int  # at most COUNT_CAP + 1
    organizations: int
    recent_contacts: list
    recent_imports: list
    cap: int  # the counts stop past it

    @property
    def is_empty(self) -> bool:
        """Nothing to show yet: the actor sees no contact and no organisation."""
        return self.contacts == 0 and self.organizations == 0


def customer_overview(*, actor: User) -> Overview:
    """The actor's start page: capped counts of the records they may see, their newest
    ``RECENT`` contacts and their own newest ``RECENT`` imports."""
    contacts = contact_list(actor=actor)
    organizations = organization_list(actor=actor)
    cap = COUNT_CAP
    return Overview(
        contacts=contacts.order_by().values("pk")[: cap + 1].count(),
        organizations=organizations.order_by().values("pk")[: cap + 1].count(),
        recent_contacts=list(with_first_contacts(contacts)[:RECENT]),
        recent_imports=list(ImportJob.objects.filter(created_by=actor).order_by("-id")[:RECENT]),
        cap=cap,
    )
