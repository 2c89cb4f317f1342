from peyvand.customers.models.contacts import (
    Address,
    Channel,
    Contact,
    ContactConsent,
    ContactEmail,
    ContactPhone,
    LifecycleStage,
)
from peyvand.customers.models.custom_fields import (
    CustomFieldDefinition,
    CustomFieldEntity,
    CustomFieldType,
    CustomFieldValue,
)
from peyvand.customers.models.imports import (
    DuplicatePolicy,
    ImportJob,
    ImportMapping,
    ImportRowError,
    ImportStatus,
    ImportTouchedRange,
)
from peyvand.customers.models.organizations import ContactOrganization, Organization
from peyvand.customers.models.search_words import SearchWord
from peyvand.customers.models.tags import Tag

__all__ = [
    "Address",
    "Channel",
    "Contact",
    "ContactConsent",
    "ContactEmail",
    "ContactOrganization",
    "ContactPhone",
    "CustomFieldDefinition",
    "CustomFieldEntity",
    "CustomFieldType",
    "CustomFieldValue",
    "DuplicatePolicy",
    "ImportJob",
    "ImportMapping",
    "ImportRowError",
    "ImportStatus",
    "ImportTouchedRange",
    "LifecycleStage",
    "Organization",
    "SearchWord",
    "Tag",
]
