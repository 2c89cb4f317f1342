"""Who sees which customer record. Every selector and service goes through these rules.

* admin: every record;
* manager, agent, viewer: records they own or that belong to one of their teams;
* writes: admin, manager and agent within what they see; viewers never write;
* delete: admin, and managers within what they see.
"""

from django.db.models import Model, Q

from peyvand.accounts.models import Role, User
from peyvand.common.errors import PermissionDenied


def visible_q(user: User) -> Q:
    """The records ``user`` may see. Depends on nothing but ``visibility_key(user)`` (team
    membership is a subquery, so it is read when the query runs)."""
    if not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.ADMIN:
        return Q()
    return Q(owner=user) | Q(team__in=user.teams.values("id"))


def visibility_key(user: User) -> tuple:
    """Everything of the user that ``visible_q`` reads: a query compiled for one key serves
    every request with that key. Change the two together."""
    return (user.pk, user.is_active, user.role)


def can_see(user: User, record: Model) -> bool:
    if not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    if record.owner_id == user.pk:
        return True
    return record.team_id is not None and user.teams.filter(pk=record.team_id).exists()


def require_write(user: User) -> None:
    if not user.can_write:
        raise PermissionDenied("Your role cannot change records.")


def require_delete(user: User) -> None:
    if not user.is_active or user.role not in {Role.ADMIN, Role.MANAGER}:
        raise PermissionDenied("Only admins and managers delete records.")
