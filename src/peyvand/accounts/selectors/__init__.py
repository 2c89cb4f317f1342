from django.db.models import QuerySet

from peyvand.accounts.models import ApiToken, Team, User
from peyvand.common.errors import PermissionDenied


def user_list(*, actor: User) -> QuerySet[User]:
    if not actor.is_admin:
        raise PermissionDenied("Only admins list users.")
    return User.objects.prefetch_related("teams").order_by("username")


def user_choices(*, actor: User) -> QuerySet[User]:
    """Users the actor may assign records to: admins any, others users sharing a team."""
    users = User.objects.filter(is_active=True).exclude(role="viewer")
    if actor.is_admin:
        return users.order_by("username")
    return users.filter(teams__in=actor.teams.all()).distinct().order_by("username")


def team_list(*, actor: User) -> QuerySet[Team]:
    if actor.is_admin:
        return Team.objects.all()
    return actor.teams.all()


def token_list(*, actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor)
