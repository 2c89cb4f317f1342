"""Django's makemessages, also extracting ``_lazy(...)`` (gettext_lazy imported under that name
in the web forms, where ``_`` is already gettext)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
