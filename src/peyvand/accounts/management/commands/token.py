"""``peyvand token create|list|revoke --user NAME``: personal API tokens.

``create`` prints only the token on stdout (capture it with ``$(peyvand token create ...)``);
everything else goes to stderr. The token is shown this once: only its digest is stored.
"""

from django.core.management.base import BaseCommand, CommandError

from peyvand.accounts.models import TokenScope
from peyvand.accounts.selectors import token_list
from peyvand.accounts.services import token_create, token_revoke
from peyvand.common.cli import acting_user, render_table
from peyvand.common.errors import NotFound, PermissionDenied


class Command(BaseCommand):
    help = "Create, list or revoke a user's personal API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="create|list|revoke")
        create = actions.add_parser("create", help="issue a token and print it once")
        create.add_argument("--user", required=True, help="the token's owner")
        create.add_argument("--scope", default=TokenScope.READ, help="read (default) or write")
        create.add_argument("--name", default="cli", help="a label to recognise it by")
        listing = actions.add_parser("list", help="list a user's tokens")
        listing.add_argument("--user", required=True)
        revoke = actions.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("--user", required=True, help="the owner (or an admin)")
        revoke.add_argument("token_id", metavar="ID", help="the id shown by `token list`")

    def handle(self, *args, action, user, **options):
        actor = acting_user(user)
        if action == "create":
            self._create(actor, options["scope"], options["name"])
        elif action == "list":
            self._list(actor)
        else:
            self._revoke(actor, options["token_id"])

    def _create(self, user, scope: str, name: str) -> None:
        if scope not in TokenScope.values:
            raise CommandError(f"--scope: “{scope}” is not one of {', '.join(TokenScope.values)}.")
        try:
            issued = token_create(user=user, name=name, scope=scope)
        except PermissionDenied as exc:
            raise CommandError(f"--scope: {exc}") from exc
        self.stdout.write(issued.plaintext)
        self.stderr.write(
            f"Token {issued.token.pk} ({issued.token.scope}) for {user.username}. "
            "It is shown only now; store it safely."
        )

    def _list(self, user) -> None:
        tokens = list(token_list(actor=user))
        if not tokens:
            self.stdout.write(f"{user.username} has no tokens. Create one: peyvand token create")
            return
        rows = [
            (
                t.pk,
                t.name,
                t.scope,
                f"pvd_{t.prefix}_…",
                t.created_at.strftime("%Y-%m-%d %H:%M"),
                t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "never",
                "active" if t.is_active else "revoked",
            )
            for t in tokens
        ]
        headers = ("id", "name", "scope", "token", "created", "last used", "status")
        self.stdout.write(render_table(headers, rows), ending="")

    def _revoke(self, user, token_id: str) -> None:
        if not token_id.isdigit():
            raise CommandError(f"ID: “{token_id}” is not a token id (see peyvand token list).")
        try:
            token = token_revoke(actor=user, token_id=int(token_id))
        except NotFound as exc:
            raise CommandError(f"ID: {user.username} has no token {token_id}.") from exc
        self.stdout.write(f"Revoked token {token.pk} ({token.name}) of {token.user.username}.")
