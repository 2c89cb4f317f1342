"""Repeated rows in a record form: addresses (contacts and organisations) and, on the contact
form, organisations with a job title.

Each row is a set of fields named ``<kind>_<index>_<part>``. The form has one row per stored
item plus an empty one (enough without JavaScript); "Add" clones the row template
(``row_template``) with the next index and "Remove" takes a row out (app.js), so several can be
added or removed before one save. Rows left empty are ignored.
"""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _lazy

from peyvand.customers.models.contacts import AddressKind
from peyvand.customers.services import AddressInput
from peyvand.web.forms.base import StyledForm

TEMPLATE_INDEX = "__index__"
ADDRESS_PARTS = ("kind", "line", "city", "province", "postal_code")


def address_fields() -> dict[str, forms.Field]:
    return {
        "kind": forms.ChoiceField(label=_lazy("Type"), required=False, choices=AddressKind.choices),
        "line": forms.CharField(label=_lazy("Street address"), max_length=255, required=False),
        "city": forms.CharField(label=_lazy("City"), max_length=100, required=False),
        "province": forms.CharField(label=_lazy("Province"), max_length=100, required=False),
        "postal_code": forms.CharField(
            label=_lazy("Postal code"),
            max_length=20,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
        ),
    }


def posted_rows(data: QueryDict | dict | None, prefix: str) -> int:
    """How many rows the posted data needs (one past the highest index sent)."""
    if not data:
        return 0
    highest = -1
    for key in data:
        if key.startswith(prefix + "_"):
            index = key[len(prefix) + 1 :].split("_", 1)[0]
            if index.isdigit():
                highest = max(highest, int(index))
    return highest + 1


class AddressRowsMixin:
    """Address rows for a StyledForm: ``add_address_rows(n)``, then ``address_inputs()``."""

    def add_address_rows(self, count: int) -> None:
        self.address_rows = []
        for index in range(count):
            row = {}
            for part, field in address_fields().items():
                name = f"address_{index}_{part}"
                self.fields[name] = field
                row[part] = self[name]
            self.address_rows.append(row)

    def clean_address_rows(self) -> None:
        """A row with nothing typed has no type either (its select shows the first one): so an
        unused row is no difference in a stale-edit comparison."""
        for index in range(len(self.address_rows)):
            parts = [self.cleaned_data.get(f"address_{index}_{p}") for p in ADDRESS_PARTS[1:]]
            if not any((v or "").strip() for v in parts):
                self.cleaned_data[f"address_{index}_kind"] = ""

    def address_inputs(self) -> list[AddressInput]:
        data = self.cleaned_data
        inputs = []
        for index in range(len(self.address_rows)):
            values = {p: (data.get(f"address_{index}_{p}") or "").strip() for p in ADDRESS_PARTS}
            if not any(values[p] for p in ADDRESS_PARTS if p != "kind"):
                continue
            inputs.append(AddressInput(
                line=values["line"], city=values["city"], province=values["province"],
                postal_code=values["postal_code"], kind=values["kind"] or AddressKind.HOME,
            ))  # fmt: skip
        return inputs


def address_initial(addresses) -> dict:
    initial = {}
    for index, address in enumerate(addresses):
        for part in ADDRESS_PARTS:
            initial[f"address_{index}_{part}"] = getattr(address, part)
    return initial


def address_error_field(key: str, form) -> str | None:
    """A service error key ("addresses.2.line", the 3rd address *sent*) -> the form field."""
    parts = key.split(".")
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    sent = [
        i for i in range(len(form.address_rows))
        if any((form.cleaned_data.get(f"address_{i}_{p}") or "").strip()
               for p in ADDRESS_PARTS if p != "kind")
    ]  # fmt: skip
    position = int(parts[1])
    return f"address_{sent[position]}_line" if position < len(sent) else None


class _AddressTemplateForm(StyledForm):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for part, field in address_fields().items():
            self.fields[f"address_{TEMPLATE_INDEX}_{part}"] = field


def address_row_template() -> dict:
    """The fields of an empty address row with ``__index__`` for its number (the "Add"
    button's template)."""
    form = _AddressTemplateForm()
    return {part: form[f"address_{TEMPLATE_INDEX}_{part}"] for part in ADDRESS_PARTS}
