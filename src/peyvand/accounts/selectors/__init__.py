from django.db.models import QuerySet

from peyvand.accounts.access import Capability, can, require, roles_with
from peyvand.accounts.models import ApiToken, Team, User


def user_list(*, actor: User) -> QuerySet[User]:
    require(actor, Capability.SETTINGS_MANAGE)
    return User.objects.prefetch_related("teams").order_by("username")


def user_choices(*, actor: User) -> QuerySet[User]:
    """Users the actor may assign records to: admins any, others users sharing a team."""
    users = User.objects.filter(is_active=True, role__in=roles_with(Capability.RECORD_CHANGE))
    if can(actor, Capability.RECORD_ASSIGN_ANY):
        return users.order_by("username")
    return users.filter(teams__in=actor.teams.all()).distinct().order_by("username")


def team_list(*, actor: User) -> QuerySet[Team]:
    """Teams the actor may assign records to: every team, or their own."""
    if can(actor, Capability.RECORD_ASSIGN_ANY):
        return Team.objects.all()
    return actor.teams.all()


def token_list(*, actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor)
