"""The ``import`` list filter: the records an import created or updated, from its id ranges."""

import pytest

from peyvand.customers.imports.write import id_ranges
from peyvand.customers.models import Contact, ImportJob, ImportTouchedRange
from peyvand.customers.selectors import ContactFilters, contact_list
from peyvand.customers.selectors.imports import TOUCHED_RANGES_INLINE
from peyvand.customers.services import ContactInput, contact_create

pytestmark = pytest.mark.django_db


def test_id_ranges_fold_consecutive_ids():
    """Sorted, distinct, consecutive runs."""
    assert id_ranges([7, 3, 1, 2, 2, 9, 8]) == [(1, 3), (7, 9)]
    assert id_ranges([]) == []


@pytest.mark.parametrize("every", [1, 2], ids=["one-range", "many-ranges"])
def test_filter_lists_exactly_the_touched_contacts(users, every):
    """Given 2 × (TOUCHED_RANGES_INLINE + 1) contacts and an import that touched every
    ``every``-th one (one range, or more ranges than are inlined in the query); then the
    filter lists exactly those, for the agent who sees them, and none for another team."""
    agent = users["agent_n"]
    count = 2 * (TOUCHED_RANGES_INLINE + 1)
    ids = [contact_create(actor=agent, data=ContactInput(given_name=f"c{i}")).pk
           for i in range(count)]  # fmt: skip
    touched = ids[::every]
    job = ImportJob.objects.create(created_by=agent, file_path="x.csv", original_name="x.csv")
    ImportTouchedRange.objects.bulk_create(
        ImportTouchedRange(job=job, first_id=first, last_id=last)
        for first, last in id_ranges(touched)
    )

    listed = contact_list(actor=agent, filters=ContactFilters(import_job=job.public_id))
    other_team = contact_list(
        actor=users["agent_s"], filters=ContactFilters(import_job=job.public_id)
    )

    assert sorted(c.pk for c in listed) == sorted(touched)
    assert list(other_team) == []
    assert Contact.objects.count() == count


def test_unknown_import_lists_nothing(users, north_contact):
    listed = contact_list(actor=users["agent_n"], filters=ContactFilters(import_job="0" * 16))
    assert list(listed) == []
