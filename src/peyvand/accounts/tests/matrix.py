"""What the access-matrix tests expect, computed from ``ROLE_CAPABILITIES``.

The people are the ``users`` fixture of ``src/peyvand/conftest.py``; each matrix row names the
capability its endpoint needs and, for a single record, whose record it is (``Scope``). A change
to the map changes these expectations; a change of the code alone that disagrees with the map
fails the matrices.
"""

from enum import Enum

from peyvand.accounts.access import ROLE_CAPABILITIES, Capability
from peyvand.accounts.models import Role

# name → (role, teams), as the ``users`` fixture creates them
PEOPLE: dict[str, tuple[Role, frozenset[str]]] = {
    "admin": (Role.ADMIN, frozenset()),
    "manager_n": (Role.MANAGER, frozenset({"north"})),
    "agent_n": (Role.AGENT, frozenset({"north"})),
    "agent_n2": (Role.AGENT, frozenset({"north"})),
    "viewer_n": (Role.VIEWER, frozenset({"north"})),
    "agent_s": (Role.AGENT, frozenset({"south"})),
}


class Scope(Enum):
    """Whose record a row's URL names."""

    NORTH_RECORD = "a record of agent_n in team North"
    AGENT_N_JOB = "an import or detection run agent_n started"
    NOTHING = "an id no record of that kind has"


def holds(name: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES[PEOPLE[name][0]]


def sees(name: str, scope: Scope) -> bool:
    """Whether the person sees the record: the visibility rule, restated from its parts."""
    if scope is Scope.NORTH_RECORD:
        return holds(name, Capability.RECORD_VIEW) and (
            holds(name, Capability.RECORD_VIEW_ALL) or "north" in PEOPLE[name][1]
        )
    if scope is Scope.AGENT_N_JOB:
        return name == "agent_n" or holds(name, Capability.JOBS_VIEW_ALL)
    return False


def people_holding(capability: Capability) -> list[str]:
    return [name for name in PEOPLE if holds(name, capability)]


def expected_status(
    name: str,
    capability: Capability | None,
    *,
    scope: Scope | None = None,
    ok: int,
    scope_first: bool = False,
) -> int:
    """The status a person gets: ``ok``; 403 without the capability; 404 for a record they do
    not see. ``scope_first``: the endpoint looks the record up before it checks the capability
    (so a record one cannot see is 404 even without the capability). ``capability=None``:
    any signed-in user."""
    allowed = capability is None or holds(name, capability)
    visible = scope is None or sees(name, scope)
    if scope_first and not visible:
        return 404
    if not allowed:
        return 403
    return ok if visible else 404
