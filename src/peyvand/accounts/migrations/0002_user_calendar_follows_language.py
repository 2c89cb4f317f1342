"""A user's calendar can follow the language ("auto", now the default).

Nobody could say "follow the language" before, so a stored calendar that is the one the
language implies (Jalali with Persian, Gregorian with English) is taken as never chosen and
becomes "auto"; any other combination was a choice and stays.
"""

from django.db import migrations, models

LANGUAGE_CALENDAR = {"fa": "jalali", "en": "gregorian"}


def calendars_follow_language(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for language, calendar in LANGUAGE_CALENDAR.items():
        User.objects.filter(language=language, calendar=calendar).update(calendar="auto")


def calendars_spelled_out(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for language, calendar in LANGUAGE_CALENDAR.items():
        User.objects.filter(language=language, calendar="auto").update(calendar=calendar)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="calendar",
            field=models.CharField(
                choices=[
                    ("auto", "Follow the language (Jalali in Persian, Gregorian in English)"),
                    ("jalali", "Jalali"),
                    ("gregorian", "Gregorian"),
                ],
                default="auto",
                max_length=10,
                verbose_name="calendar",
            ),
        ),
        migrations.RunPython(calendars_follow_language, calendars_spelled_out),
    ]
