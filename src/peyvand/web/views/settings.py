"""Admin settings: custom fields, users and teams. Non-admins get 403 on every page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peyvand.accounts.selectors import team_list, user_list
from peyvand.accounts.services import team_create, team_update, user_create, user_update
from peyvand.customers.models import CustomFieldEntity
from peyvand.customers.selectors import custom_field_definition_get, custom_field_definition_list
from peyvand.customers.services import (
    CustomFieldInput,
    custom_field_create,
    custom_field_delete,
    custom_field_update,
)
from peyvand.web.forms.settings import (
    CustomFieldForm,
    TeamForm,
    UserCreateForm,
    UserEditForm,
    custom_field_initial,
    user_initial,
)
from peyvand.web.views.common import settings_page


def _entity(request: HttpRequest) -> str:
    entity = request.GET.get("entity") or CustomFieldEntity.CONTACT
    return entity if entity in CustomFieldEntity.values else CustomFieldEntity.CONTACT


def _custom_fields_url(entity: str) -> str:
    return f"{reverse('web:custom_field_list')}?entity={entity}"


@require_GET
@settings_page
def settings_view(request: HttpRequest) -> HttpResponse:
    return redirect("web:custom_field_list")


@require_GET
@settings_page
def custom_field_list_view(request: HttpRequest) -> HttpResponse:
    entity = _entity(request)
    definitions = custom_field_definition_list(
        actor=request.user, entity=entity, include_inactive=True
    )
    return render(
        request,
        "web/settings/custom_fields.html",
        {"entity": entity, "entities": CustomFieldEntity.choices, "definitions": definitions},
    )


def _service_key(key: str) -> str | None:
    return None if key == "__all__" else key


@require_http_methods(["GET", "POST"])
@settings_page
def custom_field_create_view(request: HttpRequest) -> HttpResponse:
    form = CustomFieldForm(request.POST or None, initial={"entity": _entity(request)})
    if request.method == "POST" and form.is_valid():
        try:
            definition = custom_field_create(actor=request.user, data=form.to_input())
        except ValidationError as exc:
            form.add_service_errors(exc, _service_key)
        else:
            messages.success(request, _("Custom field “%s” created.") % definition.label)
            return redirect(_custom_fields_url(definition.entity))
    return render(request, "web/settings/custom_field_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@settings_page
def custom_field_edit_view(request: HttpRequest, definition_id: int) -> HttpResponse:
    definition = custom_field_definition_get(actor=request.user, definition_id=definition_id)
    form = CustomFieldForm(
        request.POST or None, initial=custom_field_initial(definition), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            definition = custom_field_update(
                actor=request.user, definition_id=definition_id, data=form.to_input()
            )
        except ValidationError as exc:
            form.add_service_errors(exc, _service_key)
        else:
            messages.success(request, _("Custom field “%s” saved.") % definition.label)
            return redirect(_custom_fields_url(definition.entity))
    return render(
        request,
        "web/settings/custom_field_form.html",
        {"form": form, "definition": definition},
    )


@require_POST
@settings_page
def custom_field_toggle_view(request: HttpRequest, definition_id: int) -> HttpResponse:
    definition = custom_field_definition_get(actor=request.user, definition_id=definition_id)
    definition = custom_field_update(
        actor=request.user,
        definition_id=definition_id,
        data=CustomFieldInput(is_active=not definition.is_active),
    )
    if definition.is_active:
        messages.success(request, _("Custom field “%s” is active again.") % definition.label)
    else:
        messages.success(request, _("Custom field “%s” deactivated.") % definition.label)
    return redirect(_custom_fields_url(definition.entity))


@require_http_methods(["GET", "POST"])
@settings_page
def custom_field_delete_view(request: HttpRequest, definition_id: int) -> HttpResponse:
    definition = custom_field_definition_get(actor=request.user, definition_id=definition_id)
    if request.method == "POST":
        custom_field_delete(actor=request.user, definition_id=definition_id)
        messages.success(request, _("Custom field “%s” deleted.") % definition.label)
        return redirect(_custom_fields_url(definition.entity))
    return render(
        request,
        "web/confirm_delete.html",
        {
            "record": definition,
            "title": _("Delete custom field"),
            "warning": _("Every value stored in this field is deleted with it."),
            "cancel_url": _custom_fields_url(definition.entity),
        },
    )


@require_GET
@settings_page
def user_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/settings/users.html", {"users": user_list(actor=request.user)})


@require_http_methods(["GET", "POST"])
@settings_page
def user_create_view(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = UserCreateForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("User “%s” created.") % user.username)
            return redirect("web:user_list")
    return render(request, "web/settings/user_form.html", {"form": form, "edited": None})


def _user_or_404(actor, user_id: int):
    user = user_list(actor=actor).filter(pk=user_id).first()
    if user is None:
        raise Http404("No such user.")
    return user


@require_http_methods(["GET", "POST"])
@settings_page
def user_edit_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = request.user
    edited = _user_or_404(actor, user_id)
    form = UserEditForm(request.POST or None, actor=actor, initial=user_initial(edited))
    if request.method == "POST" and form.is_valid():
        try:
            user_update(actor=actor, user=edited, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("User “%s” saved.") % edited.username)
            return redirect("web:user_list")
    return render(request, "web/settings/user_form.html", {"form": form, "edited": edited})


@require_http_methods(["GET", "POST"])
@settings_page
def team_list_view(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = team_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Team “%s” created.") % team.name)
            return redirect("web:team_list")
    return render(
        request, "web/settings/teams.html", {"form": form, "teams": team_list(actor=request.user)}
    )


@require_http_methods(["GET", "POST"])
@settings_page
def team_edit_view(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_list(actor=request.user).filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team.")
    form = TeamForm(request.POST or None, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            team = team_update(actor=request.user, team=team, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Team renamed to “%s”.") % team.name)
            return redirect("web:team_list")
    return render(request, "web/settings/team_form.html", {"form": form, "team": team})
