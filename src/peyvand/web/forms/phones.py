"""The kind of each phone on the contact form: found from the number, changeable by the person.

The numbers are typed one per line; under them one select per number says its kind, starting
on "from the number" (mobile, landline… as ``customers.normalize.phone`` finds it). Each select
remembers the number it was shown for (a hidden field), so editing or reordering the lines
never moves a chosen kind to another number; a select shown before any number was saved (a
new contact) is for the number on its line.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from peyvand.common.phones import phone_display
from peyvand.customers import normalize
from peyvand.customers.models.contacts import PhoneKind


def _kind_label(kind: str) -> str:
    return str(PhoneKind(kind).label) if kind in PhoneKind.values else kind


def _from_the_number(number: str) -> str:
    if not number:
        return _("From the number")
    return _("From the number (%s)") % _kind_label(normalize.phone_kind(number))


class PhoneKindRowsMixin:
    """Adds ``phone_kind_<i>`` selects (with a hidden ``phone_for_<i>``) to a form whose
    ``phones`` field cleans to E.164 numbers and whose ``detected_kinds`` maps them to kinds."""

    def add_phone_kind_rows(self, numbers: list[str], posted: int = 0):
        """One row per stored number, plus one for a new number (the kinds chosen come as the
        form's initial ``phone_kind_<i>``/``phone_for_<i>``)."""
        self.detected_kinds: dict[str, str] = {}
        self.phone_kind_rows = []
        rows = max(len(numbers) + 1, posted)
        for index in range(rows):
            number = numbers[index] if index < len(numbers) else ""
            self.fields[f"phone_kind_{index}"] = forms.ChoiceField(
                label=(
                    _("Kind of %s") % phone_display(number) if number else _lazy("Kind of phone")
                ),
                required=False,
                choices=[("", _from_the_number(number)), *PhoneKind.choices],
            )
            self.fields[f"phone_for_{index}"] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )
            self.phone_kind_rows.append((self[f"phone_kind_{index}"], self[f"phone_for_{index}"]))

    def chosen_phone_kinds(self, numbers: list[str]) -> dict[str, str]:
        """{E.164: kind} the person chose ("" or absent: the number's own kind)."""
        data = self.cleaned_data
        by_number, by_line = {}, {}
        for index in range(len(self.phone_kind_rows)):
            kind = data.get(f"phone_kind_{index}") or ""
            shown_for = data.get(f"phone_for_{index}") or ""
            if shown_for:
                by_number[shown_for] = kind
            elif index < len(numbers):
                by_line[numbers[index]] = kind
        return {n: by_number[n] if n in by_number else by_line.get(n, "") for n in numbers}

    def phones_hint(self) -> str:
        """ "Will be saved as +98 21 8877 6655 (Landline)": each number with the kind it gets."""
        numbers = self.cleaned_data.get("phones") or []
        if not numbers:
            return ""
        chosen = self.chosen_phone_kinds(numbers)
        shown = [
            f"{phone_display(n)} ({_kind_label(chosen[n] or self.detected_kinds.get(n, ''))})"
            for n in numbers
        ]
        return _("Will be saved as %s") % _(", ").join(shown)


def posted_phone_rows(data) -> int:
    """How many kind rows a posted form had (so a re-shown form keeps them all)."""
    indexes = [int(k[11:]) for k in data if k.startswith("phone_kind_") and k[11:].isdigit()]
    return max(indexes, default=-1) + 1
