"""The customers app's entries in the entity registry (called from ``CustomersConfig.ready``)."""

from peyvand.common.entities import EntitySpec, EntityType, registry


def register_entities() -> None:
    from peyvand.customers import exports
    from peyvand.customers.imports import mapping, rows, write
    from peyvand.customers.models import Contact, Organization
    from peyvand.customers.selectors import (
        ContactFilters,
        OrganizationFilters,
        contact_get_for_user,
        contact_list,
        contact_search,
        organization_get_for_user,
        organization_list,
        organization_search,
    )

    registry.register(
        EntitySpec(
            key=EntityType.CONTACT,
            model=Contact,
            list_selector=contact_list,
            filters=ContactFilters,
            search=contact_search,
            get_for_user=contact_get_for_user,
            export_rows=exports.contact_rows,
            export_vcard=exports.vcard_chunks,
            import_targets=lambda: mapping.CONTACT_TARGETS,
            import_synonyms=lambda: mapping.CONTACT_SYNONYMS,
            import_rows=rows.CONTACT_ROWS,
            import_writer=write.ContactImportBatch,
            custom_fields=True,
            detail_url="web:contact_detail",
            list_url="web:contact_list",
        )
    )
    registry.register(
        EntitySpec(
            key=EntityType.ORGANIZATION,
            model=Organization,
            list_selector=organization_list,
            filters=OrganizationFilters,
            search=organization_search,
            get_for_user=organization_get_for_user,
            export_rows=exports.organization_rows,
            import_targets=lambda: mapping.ORGANIZATION_TARGETS,
            import_synonyms=lambda: mapping.ORGANIZATION_SYNONYMS,
            import_rows=rows.ORGANIZATION_ROWS,
            import_writer=write.OrganizationImportBatch,
            custom_fields=True,
            detail_url="web:organization_detail",
            list_url="web:organization_list",
        )
    )
