"""Owner, team and tag inputs shared by the contact and organisation forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.access import Capability, can
from peyvand.accounts.selectors import team_list, user_choices
from peyvand.web.forms.base import CommaListField, blank_choice


class AssignmentFieldsMixin(forms.Form):
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    tags = CommaListField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas.")
    )

    def set_assignment_choices(self, actor, *, current_owner=None, current_team=None) -> None:
        owners = [(u.username, u.display) for u in user_choices(actor=actor)]
        if current_owner is not None and current_owner.username not in {o for o, _ in owners}:
            owners.append((current_owner.username, current_owner.display))
        self.fields["owner"].choices = blank_choice(str(_("— nobody —"))) + owners
        teams = [(t.pk, t.name) for t in team_list(actor=actor)]
        if current_team is not None and current_team.pk not in {t for t, _ in teams}:
            teams.append((current_team.pk, current_team.name))
        self.fields["team"].choices = blank_choice(str(_("— no team —"))) + teams


def default_team(actor):
    """The team a new record gets when the actor does not choose (as the services do)."""
    if can(actor, Capability.RECORD_ASSIGN_ANY):
        return None
    return team_list(actor=actor).order_by("name").first()
