"""Mark two contacts as different people, so duplicate detection never proposes them again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, require
from peyvand.accounts.models import User
from peyvand.common.persian import normalize_text
from peyvand.customers.selectors import contact_get_for_user
from peyvand.dedupe.models import NotDuplicate


@transaction.atomic
def contact_mark_not_duplicate(*, actor: User, a: str, b: str, reason: str = "") -> NotDuplicate:
    """Record that contacts ``a`` and ``b`` (public ids) are not duplicates; idempotent.

    Raises PermissionDenied (viewer), NotFound (either record not visible), ValidationError
    (the same record twice).
    """
    require(actor, Capability.DUPLICATES_REVIEW)
    first = contact_get_for_user(actor=actor, public_id=a)
    second = contact_get_for_user(actor=actor, public_id=b)
    if first.pk == second.pk:
        raise ValidationError({"b": _("Choose two different records.")})
    low, high = sorted((first.pk, second.pk))
    mark, _created = NotDuplicate.objects.get_or_create(
        contact_low_id=low,
        contact_high_id=high,
        defaults={"created_by": actor, "reason": normalize_text(reason)[:255]},
    )
    return mark
