from django.db import models


class SearchWord(models.Model):
    """The name vocabulary for typo-tolerant search (see ``common.typos``): one row per word
    and each of its one-deletion variants. Words are added when a record or an import brings
    them and never removed — a stale word only offers a correction that then finds nothing."""

    variant = models.CharField(max_length=40)
    word = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "word"], name="search_word_variant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.variant} → {self.word}"
