"""Admin forms: custom field definitions, users and teams."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _lazy

from peyvand.accounts.models import Language, Role
from peyvand.accounts.selectors import team_list
from peyvand.customers.models import CustomFieldEntity, CustomFieldType
from peyvand.customers.services import CustomFieldInput
from peyvand.web.forms.base import StyledForm


class CustomFieldForm(StyledForm):
    entity = forms.ChoiceField(label=_lazy("Record type"), choices=CustomFieldEntity.choices)
    label = forms.CharField(label=_lazy("Label"), max_length=100)
    key = forms.CharField(
        label=_lazy("Key"),
        max_length=50,
        required=False,
        help_text=_lazy(
            "Latin letters, digits and _ (e.g. vip_level); used in the API, imports and list "
            "filters. Leave empty to make it from the label (Persian letters are spelled in "
            "Latin ones)."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    field_type = forms.ChoiceField(label=_lazy("Type"), choices=CustomFieldType.choices)
    required = forms.BooleanField(label=_lazy("Required"), required=False)
    unique = forms.BooleanField(
        label=_lazy("Unique"),
        required=False,
        help_text=_lazy("No two records may hold the same value."),
    )
    help_text = forms.CharField(label=_lazy("Help text"), max_length=255, required=False)
    choices = forms.CharField(
        label=_lazy("Choices"),
        required=False,
        help_text=_lazy("For choice fields: one choice per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    currency = forms.CharField(
        label=_lazy("Currency"),
        max_length=3,
        required=False,
        help_text=_lazy("For money fields: ISO code such as IRR (the default)."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            for name in ("entity", "key", "field_type"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def to_input(self) -> CustomFieldInput:
        data = self.cleaned_data
        choices = [line.strip() for line in (data["choices"] or "").splitlines() if line.strip()]
        values = CustomFieldInput(
            label=data["label"],
            required=data["required"],
            unique=data["unique"],
            help_text=data["help_text"],
            choices=choices,
            currency=data["currency"],
        )
        if not self.editing:
            values.entity = data["entity"]
            values.key = data["key"]
            values.field_type = data["field_type"]
        return values


def custom_field_initial(definition) -> dict:
    return {
        "entity": definition.entity,
        "label": definition.label,
        "key": definition.key,
        "field_type": definition.field_type,
        "required": definition.required,
        "unique": definition.unique,
        "help_text": definition.help_text,
        "choices": "\n".join(definition.choices or []),
        "currency": definition.currency,
    }


class _TeamsFieldMixin:
    def set_team_choices(self, actor) -> None:
        self.fields["teams"].queryset = team_list(actor=actor)


class UserCreateForm(_TeamsFieldMixin, StyledForm):
    username = forms.CharField(
        label=_lazy("Username"), max_length=150, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    first_name = forms.CharField(label=_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_lazy("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_lazy("Email"), required=False)
    role = forms.ChoiceField(label=_lazy("Role"), choices=Role.choices, initial=Role.AGENT)
    teams = forms.ModelMultipleChoiceField(
        label=_lazy("Teams"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(label=_lazy("Language"), choices=Language.choices)
    password = forms.CharField(
        label=_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_team_choices(actor)

    def add_service_error(self, error: ValidationError) -> None:
        # Password validators raise a plain list; full_clean raises a dict keyed by field.
        if hasattr(error, "error_dict"):
            self.add_service_errors(error, lambda key: key if key in self.fields else None)
        else:
            for message in error.messages:
                self.add_error("password", message)


class UserEditForm(_TeamsFieldMixin, StyledForm):
    first_name = forms.CharField(label=_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_lazy("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_lazy("Email"), required=False)
    role = forms.ChoiceField(label=_lazy("Role"), choices=Role.choices)
    teams = forms.ModelMultipleChoiceField(
        label=_lazy("Teams"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(
        label=_lazy("Active"),
        required=False,
        help_text=_lazy("Inactive users cannot sign in; their records stay."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_team_choices(actor)

    def add_service_error(self, error: ValidationError) -> None:
        self.add_service_errors(error, lambda key: key if key in self.fields else None)


def user_initial(user) -> dict:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "teams": list(user.teams.all()),
        "is_active": user.is_active,
    }


class TeamForm(StyledForm):
    name = forms.CharField(label=_lazy("Team name"), max_length=100)

    def add_service_error(self, error: ValidationError) -> None:
        self.add_service_errors(error, lambda key: "name")
