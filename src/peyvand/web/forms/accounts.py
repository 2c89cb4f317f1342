"""Sign-in, personal preferences and API token forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _lazy

from peyvand.accounts.access import Capability, can
from peyvand.accounts.models import TIME_ZONE_CHOICES, Calendar, Language, TokenScope
from peyvand.web.forms.base import StyledBoundField, StyledForm


class LoginForm(AuthenticationForm):
    bound_field_class = StyledBoundField

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "dir": "ltr"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class PreferencesForm(StyledForm):
    language = forms.ChoiceField(label=_lazy("Language"), choices=Language.choices)
    calendar = forms.ChoiceField(label=_lazy("Calendar"), choices=Calendar.choices)
    time_zone = forms.ChoiceField(label=_lazy("Time zone"), choices=TIME_ZONE_CHOICES)

    def add_service_error(self, error: ValidationError) -> None:
        self.add_service_errors(error, lambda key: key if key in self.fields else None)


class TokenForm(StyledForm):
    name = forms.CharField(
        label=_lazy("Name"),
        max_length=100,
        help_text=_lazy("What the token is for, e.g. “accounting sync”."),
    )
    scope = forms.ChoiceField(label=_lazy("Scope"), choices=TokenScope.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not can(user, Capability.RECORD_CHANGE):
            self.fields["scope"].choices = [
                c for c in TokenScope.choices if c[0] == TokenScope.READ
            ]
