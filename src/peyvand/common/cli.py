"""Small helpers shared by the ``peyvand`` management commands.

Lookups go through ``apps.get_model`` rather than imports so that ``common`` keeps pointing one
way (common ← accounts ← customers): these are the few reads a trusted operator on the command
line needs before there is an acting user to hand to a selector.
"""

import csv
import io
import re
import secrets
import string
import unicodedata
from collections.abc import Iterable, Sequence

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

CLI_USER_ENV = "PEYVAND_CLI_USER"
_PASSWORD_ALPHABET = string.ascii_letters + string.digits
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def generate_password(length: int = 20) -> str:
    """A random password of letters and digits (about 119 bits at 20 characters)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def user_by_username(username: str):
    """The user called ``username`` (active or not), or None."""
    return get_user_model().objects.filter(username=username.strip()).first()


def first_active_admin():
    """The oldest active admin — a user who may manage the settings —, or None."""
    # Imported here: common sits below accounts; the roles come from the access map alone.
    from peyvand.accounts.access import Capability, roles_with

    admins = get_user_model().objects.filter(
        role__in=roles_with(Capability.SETTINGS_MANAGE), is_active=True
    )
    return admins.order_by("id").first()


def team_by_name(name: str):
    """The team called ``name`` (exact, after trimming), or None."""
    team_model = apps.get_model("accounts", "Team")
    return team_model.objects.filter(name=name.strip()).first()


def contacts_exist() -> bool:
    """Whether the database holds any contact at all (bootstrap's "is it empty?" check)."""
    return apps.get_model("customers", "Contact").objects.exists()


def acting_user(username: str | None, *, option: str = "--user"):
    """Resolve who a command acts as: ``username``, else $PEYVAND_CLI_USER, else the first admin.

    Raises CommandError naming the option (or the variable) when that user cannot act.
    """
    source = option
    if not username:
        username = settings.PEYVAND_CLI_USER or None
        source = CLI_USER_ENV
    if not username:
        admin = first_active_admin()
        if admin is None:
            raise CommandError(
                f"There is no active admin to act as. Pass {option} NAME, set {CLI_USER_ENV}, "
                "or create one with: peyvand createuser NAME --role admin"
            )
        return admin
    user = user_by_username(username)
    if user is None:
        raise CommandError(f"{source}: there is no user “{username}”.")
    if not user.is_active:
        raise CommandError(f"{source}: the user “{username}” is deactivated.")
    return user


def validation_message(exc: ValidationError, arguments: dict[str, str] | None = None) -> str:
    """One line per field of ``exc``, each led by the command-line argument it came from."""
    arguments = arguments or {}
    if not hasattr(exc, "error_dict"):
        label = arguments.get("__all__", "")
        return "; ".join(f"{label}: {m}" if label else m for m in exc.messages)
    lines = []
    for field, messages in exc.message_dict.items():
        label = arguments.get(field, field)
        lines.extend(f"{label}: {message}" for message in messages)
    return "\n".join(lines)


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a quote."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def render_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_safe(h) for h in headers])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return buffer.getvalue()


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: ZWNJ and marks take none, wide CJK characters two."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def terminal_safe(text: str) -> str:
    """``text`` with every control character (ESC, NUL, a bidi override…) written as its
    escape (``\\x1b``), so a stored value cannot colour, move or reorder the terminal; new
    lines become spaces. ZWNJ and ZWJ, which Persian words need, stay."""
    return _TERMINAL_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


# C0 and C1 controls (but the new line, handled by the caller), DEL, bidi embeddings, overrides
# and isolates, the line and paragraph separators
_TERMINAL_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def render_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain aligned table: a header, a rule, then one line per row (control characters in a
    cell shown as escapes: ``terminal_safe``)."""
    table = [[str(h) for h in headers]] + [
        ["" if cell is None else terminal_safe(str(cell).replace("\n", " ")) for cell in row]
        for row in rows
    ]
    widths = [max(display_width(row[i]) for row in table) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        padded = [c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True)]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(table[0]), rule, *(line(r) for r in table[1:])]) + "\n"
