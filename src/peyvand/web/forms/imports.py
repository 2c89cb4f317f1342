from django import forms
from django.utils.translation import gettext_lazy as _

from peyvand.customers.models import DuplicatePolicy
from peyvand.web.forms.base import StyledForm

ENTITY_CHOICES = [("contact", _("Contacts")), ("organization", _("Organisations"))]


class ImportUploadForm(StyledForm):
    entity = forms.ChoiceField(label=_("What the file holds"), choices=ENTITY_CHOICES)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (any separator; UTF-8, UTF-16 or Windows-1256), Excel .xlsx or vCard .vcf"
        ),
    )
    on_duplicate = forms.ChoiceField(
        label=_("When a row matches an existing customer"),
        choices=DuplicatePolicy.choices,
        initial=DuplicatePolicy.SKIP,
        widget=forms.RadioSelect,
        help_text=_("Matched by email, mobile number, national ID or external ID."),
    )
    mapping_name = forms.CharField(label=_("Saved column mapping"), required=False)


class ImportMappingForm(StyledForm):
    """One select per column of the file; built from the job's headers."""

    on_duplicate = forms.ChoiceField(
        label=_("When a row matches an existing customer"),
        choices=DuplicatePolicy.choices,
        widget=forms.RadioSelect,
    )
    save_as = forms.CharField(
        label=_("Save this mapping as"), required=False, max_length=100,
        help_text=_("Give it a name to reuse it for files from the same source."),
    )  # fmt: skip

    def __init__(self, *args, headers: list[str], targets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— ignore this column —")), *targets]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False
            )

    def mapping(self) -> dict[str, str]:
        return {h: self.cleaned_data.get(f"col_{i}", "") for i, h in enumerate(self.headers)}

    def column_fields(self):
        return [self[f"col_{i}"] for i in range(len(self.headers))]
