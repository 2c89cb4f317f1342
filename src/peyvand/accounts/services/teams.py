from django.db import transaction

from peyvand.accounts.models import Team, User
from peyvand.common.errors import PermissionDenied


@transaction.atomic
def team_create(*, actor: User | None, name: str) -> Team:
    if actor is not None and not actor.is_admin:
        raise PermissionDenied("Only admins manage teams.")
    team = Team(name=name.strip())
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, name: str) -> Team:
    if not actor.is_admin:
        raise PermissionDenied("Only admins manage teams.")
    team.name = name.strip()
    team.full_clean()
    team.save(update_fields=["name", "updated_at"])
    return team
