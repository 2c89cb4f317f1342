from peyvand.customers.selectors.contacts import (
    ContactFilters,
    contact_get_for_user,
    contact_history,
    contact_list,
    contact_summary_rows,
)
from peyvand.customers.selectors.custom_fields import (
    custom_field_definition_get,
    custom_field_definition_list,
    custom_values_for,
)
from peyvand.customers.selectors.organizations import (
    OrganizationFilters,
    organization_get_for_user,
    organization_history,
    organization_list,
)
from peyvand.customers.selectors.search import contact_search, organization_search
from peyvand.customers.selectors.tags import tag_list

__all__ = [
    "ContactFilters",
    "OrganizationFilters",
    "contact_get_for_user",
    "contact_history",
    "contact_list",
    "contact_search",
    "contact_summary_rows",
    "custom_field_definition_get",
    "custom_field_definition_list",
    "custom_values_for",
    "organization_get_for_user",
    "organization_history",
    "organization_list",
    "organization_search",
    "tag_list",
]
