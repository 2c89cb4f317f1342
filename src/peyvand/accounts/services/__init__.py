from peyvand.accounts.services.teams import team_create, team_update
from peyvand.accounts.services.tokens import token_authenticate, token_create, token_revoke
from peyvand.accounts.services.users import (
    user_create,
    user_preferences_update,
    user_update,
)

__all__ = [
    "team_create",
    "team_update",
    "token_authenticate",
    "token_create",
    "token_revoke",
    "user_create",
    "user_preferences_update",
    "user_update",
]
