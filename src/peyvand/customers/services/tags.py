from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.accounts.access import Capability, require
from peyvand.accounts.models import User
from peyvand.common.errors import Conflict, NotFound
from peyvand.common.persian import normalize_text, search_key
from peyvand.customers.models import Tag
from peyvand.customers.services.common import Errors


@transaction.atomic
def tag_create(*, actor: User, name: str, color: str = "#6c757d") -> Tag:
    require(actor, Capability.RECORD_CHANGE)
    errors = Errors()
    clean = normalize_text(name)[:50]
    key = search_key(clean)[:50]
    if not key:
        errors.add("name", _("Give the tag a name."))
    errors.raise_if_any()
    if Tag.objects.filter(key=key).exists():
        raise Conflict(_("A tag named “%s” already exists.") % clean)
    tag = Tag(name=clean, key=key, color=color or "#6c757d")
    tag.full_clean()
    tag.save()
    return tag


@transaction.atomic
def tag_delete(*, actor: User, tag_id: int) -> None:
    require(actor, Capability.RECORD_DELETE)
    deleted, _ = Tag.objects.filter(pk=tag_id).delete()
    if not deleted:
        raise NotFound("No such tag.")
