"""The ``peyvand`` command: Django's management commands with Peyvand's settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peyvand.config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings: a missing key stops here)
    except ImproperlyConfigured as exc:
        sys.exit(f"peyvand: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
