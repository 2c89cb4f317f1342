"""What history rows carry beyond a record's own columns."""

from django.db import models


class HistoryChanges(models.Model):
    """A base for a record's history model (``HistoricalRecords(bases=[HistoryChanges])``):
    what a write changed outside the record's own columns — tags, organisations, custom field
    values, addresses — as ``[{"field", "label", "old", "new", "type"}]``, written by
    ``customers.services.record_history``. NULL when nothing of that kind changed (an import
    copies its history rows straight from the table and leaves it NULL)."""

    history_changes = models.JSONField(null=True, blank=True)

    class Meta:
        abstract = True
