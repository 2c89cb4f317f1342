from peyvand.customers.services.common import UNSET, AddressInput
from peyvand.customers.services.contacts import (
    ConsentInput,
    ContactInput,
    EmailInput,
    MembershipInput,
    PhoneInput,
    contact_create,
    contact_delete,
    contact_update,
)
from peyvand.customers.services.custom_fields import (
    CustomFieldInput,
    custom_field_create,
    custom_field_delete,
    custom_field_update,
)
from peyvand.customers.services.organizations import (
    OrganizationInput,
    organization_create,
    organization_delete,
    organization_update,
)
from peyvand.customers.services.tags import tag_create, tag_delete

__all__ = [
    "UNSET",
    "AddressInput",
    "ConsentInput",
    "ContactInput",
    "CustomFieldInput",
    "EmailInput",
    "MembershipInput",
    "OrganizationInput",
    "PhoneInput",
    "contact_create",
    "contact_delete",
    "contact_update",
    "custom_field_create",
    "custom_field_delete",
    "custom_field_update",
    "organization_create",
    "organization_delete",
    "organization_update",
    "tag_create",
    "tag_delete",
]
