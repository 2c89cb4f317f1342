"""Phase 2 of an import: write every staged row into the customer tables in ONE transaction.

Set-based ``INSERT … SELECT`` from the staging tables (no model instances, no per-row
queries); history rows are written the same way so the record page shows "created by import".
The staging rows are deleted in the same transaction: a crash anywhere leaves the database as
it was before, and running the apply again starts from the same staged rows.
"""

from django.db import connection, transaction
from django.utils import timezone

from peyvand.common.persian import search_key
from peyvand.customers.imports.bulk import execute, tune_for_bulk
from peyvand.customers.models import (
    Contact,
    ContactOrganization,
    CustomFieldValue,
    ImportJob,
    ImportStagedRow,
    ImportStagedValue,
    ImportStatus,
    Organization,
    Tag,
)
from peyvand.customers.services.contacts import ContactInput, EmailInput, PhoneInput, contact_update
from peyvand.customers.services.organizations import OrganizationInput, organization_update

S = ImportStagedRow._meta.db_table
V = ImportStagedValue._meta.db_table


def _history_insert(model, job: ImportJob, now, reason: str) -> None:
    """Copy the just-created rows of ``model`` into its simple-history table as '+' rows."""
    history = model.history.model
    source_columns = {f.attname: f.column for f in model._meta.concrete_fields}
    targets, selects = [], []
    for field in history._meta.concrete_fields:
        if field.attname in source_columns:
            targets.append(field.column)
            selects.append(f"r.{connection.ops.quote_name(source_columns[field.attname])}")
    q = connection.ops.quote_name
    targets += ["history_date", "history_change_reason", "history_type", "history_user_id"]
    selects += ["%s", "%s", "'+'", "%s"]
    execute(
        f"INSERT INTO {history._meta.db_table} ({', '.join(q(t) for t in targets)}) "
        f"SELECT {', '.join(selects)} FROM {model._meta.db_table} r "
        f"JOIN {S} s ON s.public_id = r.public_id WHERE s.job_id = %s AND s.action = 'create'",
        [now, reason, job.created_by_id, job.pk],
    )


def _ensure_tags(job: ImportJob) -> None:
    names = (
        ImportStagedValue.objects.filter(job=job, kind="tag")
        .values_list("value", flat=True)
        .distinct()
    )
    wanted = {search_key(n)[:50]: n for n in names if search_key(n)}
    existing = set(Tag.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    Tag.objects.bulk_create(
        [Tag(name=name, key=key) for key, name in wanted.items() if key not in existing],
        ignore_conflicts=True,
    )
    # staged tag values hold the display name; the join needs the key
    for key, name in wanted.items():
        ImportStagedValue.objects.filter(job=job, kind="tag", value=name).update(value=key)


def _apply_contacts(job: ImportJob, now) -> None:
    actor_id = job.created_by_id
    execute(
        "INSERT INTO customers_contact (public_id, created_at, updated_at, given_name, "
        "family_name, display_name, birth_date, national_id, external_id, country, "
        "preferred_language, preferred_channel, lifecycle_stage, acquisition_source, owner_id, "
        "team_id, notes, created_by_id, search_document, version) "
        "SELECT public_id, %s, %s, given_name, family_name, display_name, birth_date, "
        "national_id, external_id, country, '', '', lifecycle_stage, acquisition_source, "
        f"owner_id, team_id, notes, %s, search_document, 1 FROM {S} "
        "WHERE job_id = %s AND action = 'create' ORDER BY row_number",
        [now, now, actor_id, job.pk],
    )
    for prefix, table, column in (
        ("e:", "customers_contactemail", "email"),
        ("p:", "customers_contactphone", "number"),
    ):
        # staged kinds are "e:<kind>" / "p:<kind>" (see imports.rows)
        execute(
            f"INSERT INTO {table} (created_at, updated_at, contact_id, {column}, kind, is_primary) "
            f"SELECT %s, %s, c.id, v.value, substr(v.kind, 3), (v.position = 0) FROM {V} v "
            f"JOIN {S} s ON s.job_id = v.job_id AND s.row_number = v.row_number "
            f"JOIN customers_contact c ON c.public_id = v.public_id "
            f"WHERE v.job_id = %s AND v.kind LIKE %s AND s.action = 'create'",
            [now, now, job.pk, prefix + "%"],
        )
    _ensure_tags(job)
    execute(
        "INSERT INTO customers_contact_tags (contact_id, tag_id) "
        f"SELECT DISTINCT c.id, t.id FROM {V} v "
        f"JOIN {S} s ON s.job_id = v.job_id AND s.row_number = v.row_number "
        "JOIN customers_contact c ON c.public_id = v.public_id "
        "JOIN customers_tag t ON t.key = v.value "
        "WHERE v.job_id = %s AND v.kind = 'tag' AND s.action = 'create'",
        [job.pk],
    )
    execute(
        "INSERT INTO customers_address (created_at, updated_at, contact_id, kind, line, city, "
        "province, postal_code, country) "
        "SELECT %s, %s, c.id, 'home', CASE WHEN s.address <> '' THEN s.address ELSE s.city END, "
        f"s.city, s.province, s.postal_code, s.country FROM {S} s "
        "JOIN customers_contact c ON c.public_id = s.public_id "
        "WHERE s.job_id = %s AND s.action = 'create' AND (s.address <> '' OR s.city <> '')",
        [now, now, job.pk],
    )
    _apply_memberships(job, now)
    _apply_custom_values(job, "contact")
    _history_insert(Contact, job, now, f"import {job.public_id}")


def _apply_memberships(job: ImportJob, now) -> None:
    names = set(
        ImportStagedRow.objects.filter(job=job, action="create")
        .exclude(organization="")
        .values_list("organization", flat=True)
        .distinct()
    )
    if not names:
        return
    existing = set(Organization.objects.filter(name__in=names).values_list("name", flat=True))
    from peyvand.customers.imports.rows import _document

    actor = job.created_by
    team = actor.teams.order_by("name").first()
    new = []
    for name in sorted(names - existing):
        record = {"name": name, "national_id": "", "website": ""}
        organization = Organization(name=name, owner=actor, team=team, created_by=actor)
        organization.search_document = _document(record, [], [], [], "organization")
        new.append(organization)
    Organization.objects.bulk_create(new, batch_size=2000)
    execute(
        f"INSERT INTO {ContactOrganization._meta.db_table} "
        "(created_at, updated_at, contact_id, organization_id, job_title, role) "
        "SELECT %s, %s, c.id, (SELECT MIN(o.id) FROM customers_organization o "
        f"WHERE o.name = s.organization), s.job_title, '' FROM {S} s "
        "JOIN customers_contact c ON c.public_id = s.public_id "
        "WHERE s.job_id = %s AND s.action = 'create' AND s.organization <> ''",
        [now, now, job.pk],
    )


def _apply_custom_values(job: ImportJob, entity: str) -> None:
    model = Contact if entity == "contact" else Organization
    staged = ImportStagedValue.objects.filter(job=job, kind="cf").order_by("id")
    creating = (
        set(
            ImportStagedRow.objects.filter(job=job, action="create").values_list(
                "row_number", flat=True
            )
        )
        if staged.exists()
        else set()
    )
    batch: list[ImportStagedValue] = []

    def flush():
        ids = dict(
            model.objects.filter(public_id__in=[v.public_id for v in batch]).values_list(
                "public_id", "id"
            )
        )
        CustomFieldValue.objects.bulk_create(
            [
                CustomFieldValue(
                    definition_id=v.definition_id, **{f"{entity}_id": ids[v.public_id]},
                    **v.columns,
                )
                for v in batch
                if v.public_id in ids
            ],
            batch_size=1000,
        )  # fmt: skip

    for value in staged.iterator(chunk_size=5000):
        if value.row_number in creating:
            batch.append(value)
        if len(batch) >= 5000:
            flush()
            batch = []
    if batch:
        flush()


def _apply_organizations(job: ImportJob, now) -> None:
    execute(
        "INSERT INTO customers_organization (public_id, created_at, updated_at, name, industry, "
        "website, email, phone, national_id, external_id, owner_id, team_id, notes, "
        "created_by_id, search_document, version) "
        "SELECT public_id, %s, %s, display_name, industry, website, primary_email, "
        "primary_phone, national_id, external_id, owner_id, team_id, notes, %s, "
        f"search_document, 1 FROM {S} WHERE job_id = %s AND action = 'create' "
        "ORDER BY row_number",
        [now, now, job.created_by_id, job.pk],
    )
    _ensure_tags(job)
    execute(
        "INSERT INTO customers_organization_tags (organization_id, tag_id) "
        f"SELECT DISTINCT o.id, t.id FROM {V} v "
        f"JOIN {S} s ON s.job_id = v.job_id AND s.row_number = v.row_number "
        "JOIN customers_organization o ON o.public_id = v.public_id "
        "JOIN customers_tag t ON t.key = v.value "
        "WHERE v.job_id = %s AND v.kind = 'tag' AND s.action = 'create'",
        [job.pk],
    )
    execute(
        "INSERT INTO customers_address (created_at, updated_at, organization_id, kind, line, "
        "city, province, postal_code, country) "
        "SELECT %s, %s, o.id, 'work', CASE WHEN s.address <> '' THEN s.address ELSE s.city END, "
        f"s.city, s.province, s.postal_code, s.country FROM {S} s "
        "JOIN customers_organization o ON o.public_id = s.public_id "
        "WHERE s.job_id = %s AND s.action = 'create' AND (s.address <> '' OR s.city <> '')",
        [now, now, job.pk],
    )
    _apply_custom_values(job, "organization")
    _history_insert(Organization, job, now, f"import {job.public_id}")


def _apply_updates(job: ImportJob) -> int:
    """Rows matched to an existing record under the "update" policy go through the service,
    so they get the same checks, history and search document as an edit in the web form."""
    actor = job.created_by
    rows = ImportStagedRow.objects.filter(job=job, action="update").order_by("row_number")
    values: dict[int, dict[str, list]] = {}
    for value in ImportStagedValue.objects.filter(
        job=job, row_number__in=rows.values("row_number")
    ):
        values.setdefault(value.row_number, {}).setdefault(value.kind, []).append(value)
    model = Contact if job.entity == "contact" else Organization
    public_ids = dict(
        model.objects.filter(pk__in=rows.values("match_id")).values_list("id", "public_id")
    )
    updated = 0
    for row in rows.iterator(chunk_size=2000):
        public_id = public_ids.get(row.match_id)
        if public_id is None:
            continue
        own = values.get(row.row_number, {})
        own_values = [v for group in own.values() for v in group]
        if job.entity == "contact":
            existing = Contact.objects.get(pk=row.match_id)
            data = ContactInput()
            for name in ("given_name", "family_name", "national_id", "acquisition_source"):
                if getattr(row, name):
                    setattr(data, name, getattr(row, name))
            if row.birth_date:
                data.birth_date = row.birth_date
            new_emails = [v for v in own_values if v.kind.startswith("e:")]
            new_phones = [v for v in own_values if v.kind.startswith("p:")]
            if new_emails:
                known = [EmailInput(e.email, e.kind, e.is_primary) for e in existing.emails.all()]
                data.emails = known + [EmailInput(v.value, v.kind[2:]) for v in new_emails]
            if new_phones:
                known = [PhoneInput(p.number, p.kind, p.is_primary) for p in existing.phones.all()]
                data.phones = known + [PhoneInput(v.value, v.kind[2:]) for v in new_phones]
            if own.get("tag"):
                data.tags = [t.name for t in existing.tags.all()] + [v.value for v in own["tag"]]
            data.custom_fields = {}
            contact_update(actor=actor, public_id=public_id, data=data)
        else:
            data = OrganizationInput()
            for source, target in (
                ("industry", "industry"),
                ("website", "website"),
                ("primary_email", "email"),
                ("primary_phone", "phone"),
            ):
                if getattr(row, source):
                    setattr(data, target, getattr(row, source))
            organization_update(actor=actor, public_id=public_id, data=data)
        updated += 1
    return updated


def run_apply(job: ImportJob) -> ImportJob:
    """Write the checked rows; all or nothing."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.APPLYING, phase_started_at=timezone.now()
    )
    now = timezone.now()
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.APPLYING:
            return locked
        tune_for_bulk()
        if connection.vendor == "postgresql":
            # New trigram entries go to the GIN pending list and are merged in bulk after the
            # commit (_analyze), instead of a merge every 4 MB of rows during the insert.
            execute("SET LOCAL gin_pending_list_limit = '1GB'")
        counts = dict.fromkeys(("create", "update", "skip"), 0)
        for action in counts:
            counts[action] = ImportStagedRow.objects.filter(job=job, action=action).count()
        if job.entity == "contact":
            _apply_contacts(job, now)
        else:
            _apply_organizations(job, now)
        updated = _apply_updates(job)
        ImportStagedValue.objects.filter(job=job).delete()
        ImportStagedRow.objects.filter(job=job).delete()
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE,
            rows_created=counts["create"],
            rows_updated=updated,
            rows_skipped=counts["skip"] + (counts["update"] - updated),
            finished_at=timezone.now(),
        )
    _analyze()
    job.refresh_from_db()
    return job


def _analyze() -> None:
    """Merge the trigram indexes' pending lists and refresh the planner statistics after a
    bulk load, so searches stay on their indexes."""
    tables = ["customers_contact", "customers_contactemail", "customers_contactphone",
              "customers_organization"]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for index in ("customers_contact_search_trgm", "customers_organization_search_trgm"):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute("ANALYZE " + ", ".join(tables))
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
