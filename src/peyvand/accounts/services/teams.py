from django.db import transaction

from peyvand.accounts.access import Capability, require
from peyvand.accounts.models import Team, User


@transaction.atomic
def team_create(*, actor: User | None, name: str) -> Team:
    if actor is not None:  # None: the operator on the command line (trusted)
        require(actor, Capability.SETTINGS_MANAGE)
    team = Team(name=name.strip())
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, name: str) -> Team:
    require(actor, Capability.SETTINGS_MANAGE)
    team.name = name.strip()
    team.full_clean()
    team.save(update_fields=["name", "updated_at"])
    return team
