"""Phones stored as "mobile" because every phone was, but whose number is a fixed line, become
"landline" (issue 14). The number says it: libphonenumber's type, read here directly and not
through customers.normalize, so later changes there cannot change this migration.

In batches by id, each its own transaction (``atomic = False``): a million phones do not hold
one long transaction, and a run stopped half way is finished by running it again (it only
touches "mobile" rows that are fixed lines). Mobiles of Iran (+989…) are most rows and are
skipped without a parse. Backwards, "landline" (which did not exist before) becomes "mobile".
"""

import phonenumbers
from django.db import migrations

BATCH = 5000


def _is_fixed_line(e164: str) -> bool:
    if e164.startswith("+989"):
        return False
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE


def retype_landlines(apps, schema_editor):
    ContactPhone = apps.get_model("customers", "ContactPhone")
    last = 0
    while True:
        rows = list(
            ContactPhone.objects.filter(kind="mobile", id__gt=last)
            .order_by("id")
            .values_list("id", "number")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        fixed = [pk for pk, number in rows if _is_fixed_line(number)]
        if fixed:
            ContactPhone.objects.filter(id__in=fixed).update(kind="landline")


def landlines_back_to_mobile(apps, schema_editor):
    ContactPhone = apps.get_model("customers", "ContactPhone")
    while True:
        ids = list(
            ContactPhone.objects.filter(kind="landline").values_list("id", flat=True)[:BATCH]
        )
        if not ids:
            return
        ContactPhone.objects.filter(id__in=ids).update(kind="mobile")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("customers", "0012_phone_kind_landline"),
    ]

    operations = [
        migrations.RunPython(retype_landlines, landlines_back_to_mobile, elidable=True),
    ]
