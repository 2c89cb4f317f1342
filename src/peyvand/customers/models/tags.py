from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.common.models import TimeStampedModel


class Tag(TimeStampedModel):
    name = models.CharField(_("name"), max_length=50)
    key = models.CharField(max_length=50, unique=True, editable=False)
    color = models.CharField(_("colour"), max_length=7, default="#6c757d")

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name
