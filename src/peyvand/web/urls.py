from django.urls import path, register_converter

from peyvand.web.views import (
    accounts,
    contacts,
    dedupe,
    duplicates,
    exports,
    home,
    imports,
    merges,
    organizations,
    search,
    settings,
)


class PublicIdConverter:
    """The opaque public IDs of records (16 lower-case base32 characters)."""

    regex = "[0-9a-z]{16}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PublicIdConverter, "pid")

app_name = "web"
urlpatterns = [
    path("", home.home_view, name="home"),
    path("demo/", home.demo_load_view, name="demo_load"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("language/", accounts.language_view, name="language"),
    path("preferences/", accounts.preferences_view, name="preferences"),
    path("tokens/", accounts.token_list_view, name="token_list"),
    path("tokens/<int:token_id>/revoke/", accounts.token_revoke_view, name="token_revoke"),
    path("search/", search.search_view, name="search"),
    # Contacts
    path("contacts/", contacts.contact_list_view, name="contact_list"),
    path("contacts/new/", contacts.contact_create_view, name="contact_create"),
    path("contacts/validate/", contacts.contact_validate_view, name="contact_validate"),
    path("contacts/duplicates/", dedupe.contact_duplicates_view, name="contact_duplicates"),
    path("contacts/<pid:public_id>/", contacts.contact_detail_view, name="contact_detail"),
    path("contacts/<pid:public_id>/edit/", contacts.contact_edit_view, name="contact_edit"),
    path("contacts/<pid:public_id>/delete/", contacts.contact_delete_view, name="contact_delete"),
    # Merges
    path("contacts/merge/", merges.contact_merge_view, name="contact_merge"),
    path("duplicates/", duplicates.duplicate_review_view, name="duplicate_review"),
    path("duplicates/run/", duplicates.duplicate_run_start_view, name="duplicate_run_start"),
    path(
        "duplicates/runs/<pid:public_id>/cancel/",
        duplicates.duplicate_run_cancel_view,
        name="duplicate_run_cancel",
    ),
    path(
        "duplicates/merge-above/",
        duplicates.duplicate_merge_above_view,
        name="duplicate_merge_above",
    ),
    path(
        "duplicates/pairs/<int:pair_id>/skip/",
        duplicates.duplicate_pair_skip_view,
        name="duplicate_pair_skip",
    ),
    path(
        "duplicates/pairs/<int:pair_id>/not-duplicate/",
        duplicates.duplicate_pair_not_duplicate_view,
        name="duplicate_pair_not_duplicate",
    ),
    path("merges/<pid:public_id>/", merges.merge_detail_view, name="merge_detail"),
    path("merges/<pid:public_id>/undo/", merges.merge_undo_view, name="merge_undo"),
    # Organisations
    path("organizations/", organizations.organization_list_view, name="organization_list"),
    path("organizations/new/", organizations.organization_create_view, name="organization_create"),
    path(
        "organizations/validate/",
        organizations.organization_validate_view,
        name="organization_validate",
    ),
    path(
        "organizations/duplicates/",
        dedupe.organization_duplicates_view,
        name="organization_duplicates",
    ),
    path(
        "organizations/<pid:public_id>/",
        organizations.organization_detail_view,
        name="organization_detail",
    ),
    path(
        "organizations/<pid:public_id>/edit/",
        organizations.organization_edit_view,
        name="organization_edit",
    ),
    path(
        "organizations/<pid:public_id>/people/search/",
        organizations.organization_member_search_view,
        name="organization_member_search",
    ),
    path(
        "organizations/<pid:public_id>/people/add/",
        organizations.organization_member_add_view,
        name="organization_member_add",
    ),
    path(
        "organizations/<pid:public_id>/people/<pid:contact_id>/remove/",
        organizations.organization_member_remove_view,
        name="organization_member_remove",
    ),
    path(
        "organizations/<pid:public_id>/delete/",
        organizations.organization_delete_view,
        name="organization_delete",
    ),
    # Imports and exports
    path("imports/", imports.import_list_view, name="import_list"),
    path("imports/<pid:public_id>/", imports.import_detail_view, name="import_detail"),
    path("imports/<pid:public_id>/progress/", imports.import_progress_view, name="import_progress"),
    path("imports/<pid:public_id>/apply/", imports.import_apply_view, name="import_apply"),
    path("imports/<pid:public_id>/cancel/", imports.import_cancel_view, name="import_cancel"),
    path("imports/<pid:public_id>/errors.csv", imports.import_errors_view, name="import_errors"),
    path("contacts/export/", exports.contact_export_view, name="contact_export"),
    path("organizations/export/", exports.organization_export_view, name="organization_export"),
    # Settings (admins)
    path("settings/", settings.settings_view, name="settings"),
    path("settings/fields/", settings.custom_field_list_view, name="custom_field_list"),
    path("settings/fields/new/", settings.custom_field_create_view, name="custom_field_create"),
    path(
        "settings/fields/<int:definition_id>/",
        settings.custom_field_edit_view,
        name="custom_field_edit",
    ),
    path(
        "settings/fields/<int:definition_id>/toggle/",
        settings.custom_field_toggle_view,
        name="custom_field_toggle",
    ),
    path(
        "settings/fields/<int:definition_id>/delete/",
        settings.custom_field_delete_view,
        name="custom_field_delete",
    ),
    path("settings/users/", settings.user_list_view, name="user_list"),
    path("settings/users/new/", settings.user_create_view, name="user_create"),
    path("settings/users/<int:user_id>/", settings.user_edit_view, name="user_edit"),
    path("settings/teams/", settings.team_list_view, name="team_list"),
    path("settings/teams/<int:team_id>/", settings.team_edit_view, name="team_edit"),
]
