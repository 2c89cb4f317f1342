"""The base of every customer-owned record: public id, owner, team, who created it, a version.

Contact and Organization stand on it today; a deal or a ticket will too. What a record base
gives beyond its columns lives where the layering allows: visibility and capabilities in
``peyvand.accounts.access``, the fetch-for-update, delete and assignment helpers in
``peyvand.customers.services.records``, and the generic pages in ``peyvand.web.records``
(decision 0013). History stays declared on each model: what it leaves out differs per record.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.common.entities import OWNED
from peyvand.common.models import PublicIdModel


class OwnedRecord(PublicIdModel):
    """A record with an owner and a team (who sees it), a creator and an optimistic version.

    ``version`` grows by one on every saved change; the API's ETag and If-Match and the web
    form's stale-edit check compare it.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="owned_%(class)ss", verbose_name=_("owner"),
    )  # fmt: skip
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="%(class)ss", verbose_name=_("team"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1, editable=False)

    # seen by its owner, its team's members and whoever sees every record (accounts.access)
    visibility = OWNED

    class Meta:
        abstract = True
        ordering = ["-id"]

    @property
    def etag(self) -> str:
        return f'"{self.public_id}-{self.version}"'
