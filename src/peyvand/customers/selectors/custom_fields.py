from django.db.models import QuerySet

from peyvand.accounts.models import User
from peyvand.common.entities import registry
from peyvand.common.errors import NotFound
from peyvand.customers.custom_fields import display_value
from peyvand.customers.models import CustomFieldDefinition, CustomFieldValue


def custom_field_definition_list(
    *, actor: User, entity: str | None = None, include_inactive: bool = False
) -> QuerySet[CustomFieldDefinition]:
    """Definitions are not secret: every signed-in user sees them (forms need them)."""
    qs = CustomFieldDefinition.objects.all()
    if entity:
        qs = qs.filter(entity=entity)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs


def custom_field_definition_get(*, actor: User, definition_id: int) -> CustomFieldDefinition:
    definition = CustomFieldDefinition.objects.filter(pk=definition_id).first()
    if definition is None:
        raise NotFound("No such custom field.")
    return definition


def custom_values_for(*, record, definitions=None) -> list[tuple[CustomFieldDefinition, object]]:
    """[(definition, value-or-None)] for every active definition of the record's type."""
    entity = registry.for_model(record).key
    if definitions is None:
        definitions = list(CustomFieldDefinition.objects.filter(entity=entity, is_active=True))
    values = {
        v.definition_id: v
        for v in CustomFieldValue.objects.filter(**{entity: record}).select_related("definition")
    }
    result = []
    for definition in definitions:
        stored = values.get(definition.pk)
        result.append((definition, display_value(definition, stored) if stored else None))
    return result
