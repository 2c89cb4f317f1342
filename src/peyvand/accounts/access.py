"""Who may do what: capabilities, the role → capability map, and one ``require``.

``ROLE_CAPABILITIES`` is the only place a role is compared. Services and selectors ask
``can``/``require``; the web views, the API (through the services and the token scope), the
CLI and the templates (``ui_can`` from ``peyvand.web.context_processors``) read the same map.
An inactive user has no capability at all.

Which records a user sees is declared by each model (its ``visibility``: ``OWNED`` — its own
owner and team fields —, or ``Through("contact")`` — visible exactly when that parent is) and
read by ``visible_q_for`` and ``can_see``. Decision 0012.
"""

from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.accounts.models import Role, User
from peyvand.common.entities import OWNED, Through, UnknownEntity, registry
from peyvand.common.errors import NotFound, PermissionDenied


class Capability(StrEnum):
    RECORD_VIEW = "record.view"  # see records within one's visibility (own and teams')
    RECORD_VIEW_ALL = "record.view_all"  # see every record and every merge, whoever owns it
    RECORD_CHANGE = "record.change"  # create and edit records and tags; hold write API tokens
    RECORD_DELETE = "record.delete"  # delete records and tags
    RECORD_ASSIGN_ANY = "record.assign_any"  # give records to any user and team (else: own teams)
    RECORD_EXPORT = "record.export"
    RECORD_IMPORT = "record.import"
    RECORD_MERGE = "record.merge"  # merge records and undo merges
    DUPLICATES_REVIEW = "duplicates.review"  # run duplicate detection, decide on its pairs
    JOBS_VIEW_ALL = "jobs.view_all"  # every user's imports and detection runs, not only one's own
    SETTINGS_MANAGE = "settings.manage"  # users, teams and custom fields
    TOKENS_MANAGE_ALL = "tokens.manage_all"  # revoke other users' API tokens


_EVERYONE = frozenset({Capability.RECORD_VIEW, Capability.RECORD_EXPORT})
_WRITERS = _EVERYONE | {
    Capability.RECORD_CHANGE,
    Capability.RECORD_IMPORT,
    Capability.RECORD_MERGE,
    Capability.DUPLICATES_REVIEW,
}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.MANAGER: _WRITERS | {Capability.RECORD_DELETE},
    Role.AGENT: _WRITERS,
    Role.VIEWER: _EVERYONE,
}

# What ``require`` says when the capability is missing: the thing the user cannot do.
_REFUSALS = {
    Capability.RECORD_VIEW: gettext_lazy("Your account cannot see records."),
    Capability.RECORD_VIEW_ALL: gettext_lazy("Your role cannot see every record."),
    Capability.RECORD_CHANGE: gettext_lazy("Your role cannot change records."),
    Capability.RECORD_DELETE: gettext_lazy("Your role cannot delete records."),
    Capability.RECORD_ASSIGN_ANY: gettext_lazy(
        "Your role can only assign records to your own teams and their members."
    ),
    Capability.RECORD_EXPORT: gettext_lazy("Your role cannot export records."),
    Capability.RECORD_IMPORT: gettext_lazy("Your role cannot import records."),
    Capability.RECORD_MERGE: gettext_lazy("Your role cannot merge records or undo merges."),
    Capability.DUPLICATES_REVIEW: gettext_lazy("Your role cannot review duplicates."),
    Capability.JOBS_VIEW_ALL: gettext_lazy("Your role cannot see other users' jobs."),
    Capability.SETTINGS_MANAGE: gettext_lazy(
        "Your role cannot manage the settings (users, teams, custom fields)."
    ),
    Capability.TOKENS_MANAGE_ALL: gettext_lazy("Your role cannot manage other users' tokens."),
}


def capabilities_of(actor: User | None) -> frozenset[Capability]:
    """Everything ``actor`` may do; nothing for an anonymous or deactivated user."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return frozenset()
    return ROLE_CAPABILITIES.get(actor.role, frozenset())


def roles_with(capability: Capability) -> list[str]:
    """The roles holding ``capability``, for queries over users (``role__in=...``)."""
    return [role.value for role, held in ROLE_CAPABILITIES.items() if capability in held]


def can(actor: User | None, capability: Capability, record: Model | None = None) -> bool:
    """Whether ``actor`` holds ``capability`` — and, given a record, also sees it."""
    if capability not in capabilities_of(actor):
        return False
    return record is None or can_see(actor, record)


def require(actor: User | None, capability: Capability, record: Model | None = None) -> None:
    """Raise unless ``actor`` may do ``capability`` (on ``record``, when given).

    A record the actor cannot see raises NotFound, before the capability is looked at: a
    refusal must not reveal that the record exists. A missing capability raises
    PermissionDenied saying, in the user's language, what the role cannot do."""
    if record is not None and not can_see(actor, record):
        raise NotFound(_("No such %s.") % record._meta.verbose_name)
    if capability not in capabilities_of(actor):
        raise PermissionDenied(str(_REFUSALS[capability]))


# --- visibility -----------------------------------------------------------------------------


def visibility_of(model: type[Model]) -> str | Through:
    """The visibility rule ``model`` declares (its ``visibility`` attribute), else the one of
    its entity spec in ``peyvand.common.entities.registry``."""
    rule = getattr(model, "visibility", None)
    if rule is None:
        try:
            rule = registry.for_model(model).visibility
        except UnknownEntity:
            raise ImproperlyConfigured(
                f"{model.__name__} declares no visibility: set `visibility = OWNED` or "
                f'`visibility = Through("contact")` on the model.'
            ) from None
    return rule


def _rule_q(model: type[Model], user: User, prefix: str) -> Q:
    rule = visibility_of(model)
    if isinstance(rule, Through):
        parent = model._meta.get_field(rule.field).related_model
        return _rule_q(parent, user, f"{prefix}{rule.field}__")
    if rule == OWNED:
        # team membership is a subquery: read when the query runs, not when it is built
        return Q(**{f"{prefix}owner": user}) | Q(**{f"{prefix}team__in": user.teams.values("id")})
    raise ImproperlyConfigured(f"{model.__name__}: unknown visibility {rule!r}")


def visible_q_for(model: type[Model], user: User) -> Q:
    """The rows of ``model`` ``user`` may see. Reads nothing of the user but what
    ``visibility_key`` returns (team membership is a subquery, run with the query)."""
    held = capabilities_of(user)
    if Capability.RECORD_VIEW not in held:
        return Q(pk__in=[])
    if Capability.RECORD_VIEW_ALL in held:
        return Q()
    return _rule_q(model, user, "")


def visibility_key(user: User) -> tuple:
    """Everything of the user that ``visible_q_for`` reads: a query compiled for one key serves
    every request with that key. Change the two together."""
    held = capabilities_of(user)
    return (user.pk, Capability.RECORD_VIEW in held, Capability.RECORD_VIEW_ALL in held)


def _rule_sees(user: User, record: Model) -> bool:
    rule = visibility_of(type(record))
    if isinstance(rule, Through):
        parent = getattr(record, rule.field)
        return parent is not None and _rule_sees(user, parent)
    if record.owner_id is not None and record.owner_id == user.pk:
        return True
    return record.team_id is not None and user.teams.filter(pk=record.team_id).exists()


def can_see(user: User | None, record: Model) -> bool:
    """Whether ``user`` sees ``record`` (the same rule as ``visible_q_for``, for one record)."""
    held = capabilities_of(user)
    if Capability.RECORD_VIEW not in held:
        return False
    return Capability.RECORD_VIEW_ALL in held or _rule_sees(user, record)
