"""Who sees which customer record: the rule of ``peyvand.accounts.access`` for the owned
records (contacts, organisations) that almost every selector and service filters.

* a user who may view every record (``record.view_all``): every record;
* everyone else who may view records: those they own or that belong to one of their teams;
* a record reached through another (an email through its contact) is seen when that one is.

What each role may do with what it sees is ``accounts.access.ROLE_CAPABILITIES``.
"""

from django.db.models import Q

from peyvand.accounts.access import can_see, visibility_key, visible_q_for
from peyvand.accounts.models import User
from peyvand.common.records import OwnedRecord

__all__ = ["can_see", "visibility_key", "visible_q", "visible_q_for"]


def visible_q(user: User) -> Q:
    """The owned records (contacts, organisations) ``user`` may see. Depends on nothing but
    ``visibility_key(user)`` (team membership is a subquery, so it is read when the query
    runs)."""
    return visible_q_for(OwnedRecord, user)
