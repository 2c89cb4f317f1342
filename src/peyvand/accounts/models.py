"""Users, teams, roles and personal API tokens."""

import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.common.models import TimeStampedModel


class Role(models.TextChoices):
    """What each role may do is ``peyvand.accounts.access.ROLE_CAPABILITIES``, nowhere else."""

    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Manager")
    AGENT = "agent", _("Agent")
    VIEWER = "viewer", _("Viewer")


class Language(models.TextChoices):
    FA = "fa", _("Persian")
    EN = "en", _("English")


class Calendar(models.TextChoices):
    AUTO = "auto", _("Follow the language (Jalali in Persian, Gregorian in English)")
    JALALI = "jalali", _("Jalali")
    GREGORIAN = "gregorian", _("Gregorian")


TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class Team(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.AGENT)
    teams = models.ManyToManyField(
        Team, related_name="members", blank=True, verbose_name=_("teams")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FA
    )
    calendar = models.CharField(
        _("calendar"), max_length=10, choices=Calendar.choices, default=Calendar.AUTO
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Asia/Tehran"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
        ]

    @property
    def display(self) -> str:
        return self.get_full_name() or self.username

    @property
    def calendar_in_use(self) -> str:
        """The calendar dates are shown in: the one chosen, else the language's."""
        if self.calendar != Calendar.AUTO:
            return self.calendar
        return Calendar.JALALI if self.language == Language.FA else Calendar.GREGORIAN


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(TimeStampedModel):
    """A personal API token. Only a SHA-256 digest of the secret is stored; shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    scope = models.CharField(max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
