"""The contact create/edit form and its mapping to ``ContactInput``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from peyvand.customers import normalize
from peyvand.customers.models import Channel, LifecycleStage
from peyvand.customers.selectors import (
    custom_field_definition_list,
    custom_values_for,
    organization_list,
)
from peyvand.customers.services import (
    ConsentInput,
    ContactInput,
    EmailInput,
    MembershipInput,
    PhoneInput,
)
from peyvand.dedupe.selectors.hints import ContactDraft
from peyvand.web.forms.addresses import (
    TEMPLATE_INDEX,
    AddressRowsMixin,
    address_error_field,
    address_initial,
    address_row_template,
    posted_rows,
)
from peyvand.web.forms.assignment import AssignmentFieldsMixin, default_team
from peyvand.web.forms.base import LinesField, StyledForm, TypedDateField, blank_choice
from peyvand.web.forms.custom_values import (
    CustomValuesMixin,
    initial_value,
    service_key_to_field,
)
from peyvand.web.forms.phones import PhoneKindRowsMixin, posted_phone_rows

ORGANIZATION_CHOICES_LIMIT = 200
CHANNELS = [c.value for c in Channel]
LANGUAGE_CHOICES = [("fa", _lazy("Persian")), ("en", _lazy("English"))]


class ContactForm(
    PhoneKindRowsMixin, AddressRowsMixin, CustomValuesMixin, AssignmentFieldsMixin, StyledForm
):
    given_name = forms.CharField(label=_lazy("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_lazy("Family name"), max_length=100, required=False)
    display_name = forms.CharField(
        label=_lazy("Display name"),
        max_length=200,
        required=False,
        help_text=_lazy("Leave empty to use the given and family name."),
    )
    country = forms.CharField(
        label=_lazy("Country"),
        max_length=2,
        required=False,
        help_text=_lazy("Two-letter code, e.g. IR. Phones without +country use it."),
    )
    emails = LinesField(
        label=_lazy("Emails"),
        required=False,
        help_text=_lazy("One per line; the first is the primary address."),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr", "inputmode": "email"}),
    )
    phones = LinesField(
        label=_lazy("Phones"),
        required=False,
        help_text=_lazy("One per line, any format or digits; the first is the primary number."),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr", "inputmode": "tel"}),
    )
    birth_date = TypedDateField(label=_lazy("Birth date"), required=False)
    national_id = forms.CharField(
        label=_lazy("National ID"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    preferred_language = forms.ChoiceField(
        label=_lazy("Preferred language"), required=False, choices=blank_choice() + LANGUAGE_CHOICES
    )
    preferred_channel = forms.ChoiceField(
        label=_lazy("Preferred channel"), required=False, choices=blank_choice() + Channel.choices
    )
    consent_email = forms.BooleanField(label=_lazy("Email"), required=False)
    consent_sms = forms.BooleanField(label=_lazy("SMS"), required=False)
    consent_phone = forms.BooleanField(label=_lazy("Phone"), required=False)
    consent_source = forms.CharField(
        label=_lazy("Consent source"),
        max_length=100,
        required=False,
        help_text=_lazy("Where a consent change was given, e.g. web form or phone call."),
    )
    lifecycle_stage = forms.ChoiceField(
        label=_lazy("Lifecycle stage"), choices=LifecycleStage.choices
    )
    acquisition_source = forms.CharField(
        label=_lazy("Acquisition source"), max_length=100, required=False
    )
    notes = forms.CharField(
        label=_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Set by the "Save anyway" button under the likely duplicates a new contact was held for.
    confirm_duplicates = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args, actor, contact=None, organizations=(), rows: int = 1, jalali=False,
        address_rows: int = 1, **kwargs,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.contact = contact
        self.kinds = {"emails": {}}
        self.consent_channels: set[str] = set()
        if contact is not None:
            self.kinds["emails"] = {e.email: e.kind for e in contact.emails.all()}
            self.consent_channels = {c.channel for c in contact.consents.all()}
        self.add_phone_kind_rows(
            [p.number for p in contact.phones.all()] if contact is not None else [],
            posted=posted_phone_rows(self.data) if self.is_bound else 0,
        )
        self.fields["birth_date"] = TypedDateField(
            label=_lazy("Birth date"),
            required=False,
            jalali_picker=jalali,
            max_today=True,
            help_text=_lazy("Jalali (1370/01/15) or Gregorian (1991-04-04)."),
        )
        self.set_assignment_choices(
            actor,
            current_owner=contact.owner if contact else None,
            current_team=contact.team if contact else None,
        )
        self.membership_rows = []
        org_choices = blank_choice() + [(o.public_id, o.name) for o in organizations]
        for index in range(rows):
            self.fields.update(_membership_fields(index, org_choices))
            self.membership_rows.append(
                (self[f"org_{index}"], self[f"job_{index}"], self[f"orgrole_{index}"])
            )
        self.membership_template = _membership_row_template(org_choices)
        self.add_address_rows(address_rows)
        self.address_template = address_row_template()

    # --- field cleaning -------------------------------------------------------------------

    def _clean_name(self, name: str) -> str:
        return normalize.display_name(self.cleaned_data.get(name))

    def clean_given_name(self):
        return self._clean_name("given_name")

    def clean_family_name(self):
        return self._clean_name("family_name")

    def clean_display_name(self):
        return self._clean_name("display_name")

    def clean_acquisition_source(self):
        return self._clean_name("acquisition_source")

    def clean_country(self):
        return normalize.country(self.cleaned_data.get("country"))

    def clean_emails(self):
        cleaned, problems = [], []
        for email in self.cleaned_data.get("emails") or []:
            try:
                value = normalize.email(email)
            except ValidationError as exc:
                problems.extend(exc.messages)
                continue
            if value and value not in cleaned:
                cleaned.append(value)
        if problems:
            raise ValidationError(problems)
        return cleaned

    def clean_phones(self):
        country = self.cleaned_data.get("country")  # None when invalid: the default country
        cleaned, problems = [], []
        for number in self.cleaned_data.get("phones") or []:
            try:
                e164, kind = normalize.phone(number, country=country)
            except ValidationError as exc:
                problems.extend(exc.messages)
                continue
            if e164 not in cleaned:
                cleaned.append(e164)
                self.detected_kinds[e164] = kind
        if problems:
            raise ValidationError(problems)
        return cleaned

    def clean_national_id(self):
        value = self.cleaned_data.get("national_id") or ""
        return normalize.national_id(value, country=self.cleaned_data.get("country"))

    def clean_birth_date(self):
        return normalize.birth_date(self.cleaned_data.get("birth_date"))

    def clean(self):
        cleaned = super().clean()
        names = ("given_name", "family_name", "display_name")
        if not any(cleaned.get(n) for n in names) and not any(n in self.errors for n in names):
            self.add_error("given_name", _("Give the contact a name."))
        self.clean_custom_values()
        self.clean_address_rows()
        return cleaned

    def hint_for(self, name: str) -> str:
        if name == "phones":
            return self.phones_hint()
        return ""

    # --- mapping to the service -------------------------------------------------------------

    def to_input(self) -> ContactInput:
        data = self.cleaned_data
        email_kinds = self.kinds["emails"]
        phone_kinds = self.chosen_phone_kinds(data["phones"])  # "": the number's own kind
        consents = [
            ConsentInput(channel, bool(data.get(f"consent_{channel}")), data["consent_source"])
            for channel in CHANNELS
            # An untouched channel stays unrecorded rather than becoming an explicit "no".
            if data.get(f"consent_{channel}") or channel in self.consent_channels
        ]
        memberships = [
            MembershipInput(
                organization=data[org.name],
                job_title=data.get(job.name) or "",
                role=data.get(role.name) or "",
            )
            for org, job, role in self.membership_rows
            if data.get(org.name)
        ]
        return ContactInput(
            given_name=data["given_name"],
            family_name=data["family_name"],
            display_name=data["display_name"],
            emails=[
                EmailInput(e, email_kinds.get(e, "personal"), index == 0)
                for index, e in enumerate(data["emails"])
            ],
            phones=[
                PhoneInput(p, phone_kinds.get(p, ""), index == 0)
                for index, p in enumerate(data["phones"])
            ],
            birth_date=data["birth_date"],
            national_id=data["national_id"],
            country=data["country"],
            preferred_language=data["preferred_language"],
            preferred_channel=data["preferred_channel"],
            consents=consents,
            lifecycle_stage=data["lifecycle_stage"],
            acquisition_source=data["acquisition_source"],
            owner=data["owner"] or None,
            team=data["team"],
            tags=data["tags"],
            notes=data["notes"],
            organizations=memberships,
            addresses=self.address_inputs(),
            custom_fields=self.custom_values(),
        )

    def duplicate_draft(self) -> ContactDraft:
        """The cleaned values as the duplicate hints read them (for the check on saving)."""
        data = self.cleaned_data
        organizations = [data.get(org.name) for org, _job, _role in self.membership_rows]
        return ContactDraft(
            given_name=data["given_name"],
            family_name=data["family_name"],
            display_name=data["display_name"],
            emails=tuple(data["emails"]),
            phones=tuple(data["phones"]),
            national_id=data["national_id"],
            country=data["country"],
            birth_date=data["birth_date"],
            organizations=tuple(o for o in organizations if o),
        )

    def add_service_error(self, error: ValidationError) -> None:
        self.add_service_errors(
            error,
            lambda key: (
                address_error_field(key, self)
                if key.startswith("addresses.")
                else _service_key_to_field(key)
            ),
        )

    @property
    def consent_fields(self):
        return [self[f"consent_{c}"] for c in CHANNELS]


def _membership_fields(index, org_choices) -> dict[str, forms.Field]:
    return {
        f"org_{index}": forms.ChoiceField(
            label=_lazy("Organisation"), required=False, choices=org_choices
        ),
        f"job_{index}": forms.CharField(label=_lazy("Job title"), max_length=100, required=False),
        f"orgrole_{index}": forms.CharField(required=False, widget=forms.HiddenInput),
    }


def _membership_row_template(org_choices) -> tuple:
    """An empty organisation row numbered ``__index__`` (the "Add" button's template)."""
    form = StyledForm()
    form.fields.update(_membership_fields(TEMPLATE_INDEX, org_choices))
    return tuple(form[f"{name}_{TEMPLATE_INDEX}"] for name in ("org", "job", "orgrole"))


def _service_key_to_field(key: str) -> str | None:
    """Service error keys ("phones.1", "custom_fields.vip", "organizations.0") -> form fields."""
    base = key.split(".", 1)[0]
    if base == "custom_fields":
        return service_key_to_field(key)
    if base == "organizations" and "." in key:
        return "org_" + key.split(".")[1]
    if base == "consents":
        return "consent_source"
    if base in {"emails", "phones", "owner", "team", "tags", "national_id", "birth_date"}:
        return base
    if base == "display_name":
        return "given_name"
    return base if base != "__all__" else None


def contact_initial(contact) -> dict:
    """The form's initial values for an existing contact."""
    auto_name = f"{contact.given_name} {contact.family_name}".strip()
    initial = {
        "given_name": contact.given_name,
        "family_name": contact.family_name,
        "display_name": "" if contact.display_name == auto_name else contact.display_name,
        "emails": [e.email for e in contact.emails.all()],
        "phones": [p.number for p in contact.phones.all()],
        "birth_date": contact.birth_date,
        "national_id": contact.national_id,
        "country": contact.country,
        "preferred_language": contact.preferred_language,
        "preferred_channel": contact.preferred_channel,
        "lifecycle_stage": contact.lifecycle_stage,
        "acquisition_source": contact.acquisition_source,
        "owner": contact.owner.username if contact.owner_id else "",
        "team": contact.team_id,
        "tags": [t.name for t in contact.tags.all()],
        "notes": contact.notes,
        "version": contact.version,
    }
    for consent in contact.consents.all():
        initial[f"consent_{consent.channel}"] = consent.granted
    for index, phone in enumerate(contact.phones.all()):  # a kind chosen over the number's own
        chosen = phone.kind != normalize.phone_kind(phone.number)
        initial[f"phone_kind_{index}"] = phone.kind if chosen else ""
        initial[f"phone_for_{index}"] = phone.number
    for index, membership in enumerate(contact.memberships.all()):
        initial[f"org_{index}"] = membership.organization.public_id
        initial[f"job_{index}"] = membership.job_title
        initial[f"orgrole_{index}"] = membership.role
    initial.update(address_initial(contact.addresses.all()))
    return initial


def contact_form(*, actor, data=None, contact=None, validate_url=None) -> ContactForm:
    """Build the contact form with its choices (owners, teams, organisations, custom fields)."""
    definitions = list(custom_field_definition_list(actor=actor, entity="contact"))
    organizations = list(organization_list(actor=actor)[:ORGANIZATION_CHOICES_LIMIT])
    stored = {}
    if contact is not None:
        initial = contact_initial(contact)
        linked = [m.organization for m in contact.memberships.all()]
        known = {o.public_id for o in organizations}
        organizations += [o for o in linked if o.public_id not in known]
        values = custom_values_for(record=contact, definitions=definitions)
        stored = {d.key: initial_value(d, v) for d, v in values if v is not None}
        rows = len(linked) + 1
        address_rows = len(contact.addresses.all()) + 1
    else:
        team = default_team(actor)
        initial = {
            "country": normalize.default_country(),
            "lifecycle_stage": LifecycleStage.LEAD,
            "owner": actor.username,
            "team": team.pk if team else None,
        }
        rows = address_rows = 1
    address_rows = max(address_rows, posted_rows(data, "address"))
    if data is not None:
        posted = [k for k in data if k.startswith("org_") and k[4:].isdigit()]
        rows = max(rows, max((int(k[4:]) for k in posted), default=-1) + 1)
    form = ContactForm(
        data,
        actor=actor,
        contact=contact,
        organizations=organizations,
        rows=rows,
        address_rows=address_rows,
        jalali=actor.calendar_in_use == "jalali",
        initial=initial,
    )
    jalali = actor.calendar_in_use == "jalali"
    form.add_custom_fields(definitions, jalali_picker=jalali, stored=stored)
    form.validate_url = validate_url
    return form
