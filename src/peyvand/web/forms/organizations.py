"""The organisation create/edit form and its mapping to ``OrganizationInput``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from peyvand.common.phones import phone_display
from peyvand.customers import normalize
from peyvand.customers.selectors import custom_field_definition_list, custom_values_for
from peyvand.customers.services import OrganizationInput
from peyvand.web.forms.addresses import (
    AddressRowsMixin,
    address_error_field,
    address_initial,
    address_row_template,
    posted_rows,
)
from peyvand.web.forms.assignment import AssignmentFieldsMixin, default_team
from peyvand.web.forms.base import StyledForm
from peyvand.web.forms.custom_values import (
    CustomValuesMixin,
    initial_value,
    service_key_to_field,
)


class OrganizationForm(AddressRowsMixin, CustomValuesMixin, AssignmentFieldsMixin, StyledForm):
    name = forms.CharField(label=_lazy("Name"), max_length=200)
    industry = forms.CharField(label=_lazy("Industry"), max_length=100, required=False)
    website = forms.CharField(
        label=_lazy("Website"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url", "dir": "ltr"}),
    )
    email = forms.CharField(
        label=_lazy("Email"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "email", "dir": "ltr"}),
    )
    phone = forms.CharField(
        label=_lazy("Phone"),
        max_length=40,
        required=False,
        help_text=_lazy("Any format or digits."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "dir": "ltr"}),
    )
    national_id = forms.CharField(
        label=_lazy("National ID"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, actor, organization=None, address_rows: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_address_rows(address_rows)
        self.address_template = address_row_template()
        self.actor = actor
        self.organization = organization
        self.fields["name"].error_messages["required"] = _("Give the organisation a name.")
        self.set_assignment_choices(
            actor,
            current_owner=organization.owner if organization else None,
            current_team=organization.team if organization else None,
        )

    def clean_name(self):
        return normalize.display_name(self.cleaned_data.get("name"))

    def clean_industry(self):
        return normalize.display_name(self.cleaned_data.get("industry"))

    def clean_email(self):
        return normalize.email(self.cleaned_data.get("email"))

    def clean_phone(self):
        value = self.cleaned_data.get("phone") or ""
        return normalize.phone(value)[0] if value.strip() else ""

    def clean_national_id(self):
        return normalize.organization_national_id(self.cleaned_data.get("national_id"))

    def clean(self):
        cleaned = super().clean()
        self.clean_custom_values()
        self.clean_address_rows()
        return cleaned

    def hint_for(self, name: str) -> str:
        if name == "phone" and self.cleaned_data.get("phone"):
            return _("Will be saved as %s") % phone_display(self.cleaned_data["phone"])
        return ""

    def to_input(self) -> OrganizationInput:
        data = self.cleaned_data
        return OrganizationInput(
            name=data["name"],
            industry=data["industry"],
            website=data["website"],
            email=data["email"],
            phone=data["phone"],
            national_id=data["national_id"],
            owner=data["owner"] or None,
            team=data["team"],
            tags=data["tags"],
            notes=data["notes"],
            addresses=self.address_inputs(),
            custom_fields=self.custom_values(),
        )

    def add_service_error(self, error: ValidationError) -> None:
        self.add_service_errors(
            error,
            lambda key: (
                address_error_field(key, self)
                if key.startswith("addresses.")
                else service_key_to_field(key)
            ),
        )


def organization_initial(organization) -> dict:
    return {
        "name": organization.name,
        "industry": organization.industry,
        "website": organization.website,
        "email": organization.email,
        "phone": organization.phone,
        "national_id": organization.national_id,
        "owner": organization.owner.username if organization.owner_id else "",
        "team": organization.team_id,
        "tags": [t.name for t in organization.tags.all()],
        "notes": organization.notes,
        "version": organization.version,
        **address_initial(organization.addresses.all()),
    }


def organization_form(*, actor, data=None, organization=None, validate_url=None):
    definitions = list(custom_field_definition_list(actor=actor, entity="organization"))
    stored = {}
    if organization is not None:
        initial = organization_initial(organization)
        values = custom_values_for(record=organization, definitions=definitions)
        stored = {d.key: initial_value(d, v) for d, v in values if v is not None}
        address_rows = len(organization.addresses.all()) + 1
    else:
        team = default_team(actor)
        initial = {"owner": actor.username, "team": team.pk if team else None}
        address_rows = 1
    form = OrganizationForm(
        data, actor=actor, organization=organization, initial=initial,
        address_rows=max(address_rows, posted_rows(data, "address")),
    )  # fmt: skip
    jalali = actor.calendar_in_use == "jalali"
    form.add_custom_fields(definitions, jalali_picker=jalali, stored=stored)
    form.validate_url = validate_url
    return form
