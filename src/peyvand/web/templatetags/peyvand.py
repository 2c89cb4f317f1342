"""Peyvand's template filters: ``{% load peyvand %}``.

Dates follow the signed-in user's calendar and language (see ``peyvand.web.display``);
datetimes are shown in the active time zone.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from peyvand.common.entities import registry
from peyvand.web import display

register = template.Library()


@register.filter
def jdate(value, style: str = "long") -> str:
    """A date in the user's calendar: ``۱۵ فروردین ۱۳۷۰`` / ``4 April 1991``; ``:"short"``."""
    return display.date_text(value, long=style != "short")


@register.filter
def jdatetime(value) -> str:
    """A datetime in the user's calendar and time zone: ``۱۴۰۳/۰۱/۱۵ ۰۹:۳۰``."""
    return display.datetime_text(value)


@register.filter
def fa_digits(value) -> str:
    """Persian digits when the interface is Persian."""
    return display.digits(value)


@register.filter
def number(value) -> str:
    return display.number(value)


@register.filter
def percent(value) -> str:
    """A probability 0–1 as a whole percentage in the interface's digits: 0.973 → ۹۷."""
    if value is None:
        return ""
    return display.digits(str(int(float(value) * 100)))


@register.filter
def phone(value) -> str:
    """A stored E.164 number for reading: ``+98 912 123 4567`` (Persian digits for fa)."""
    return display.phone_text(value)


@register.filter
def address_text(address) -> str:
    """Street, city, province joined the way the interface's language writes lists."""
    separator = "، " if display.language() == "fa" else ", "
    parts = [address.line, address.city, address.province]
    return display.digits(separator.join(p for p in parts if p))


@register.filter
def yes_no(value) -> str:
    return display.yes_no(value)


@register.filter
def cf_display(value, definition) -> str:
    """A custom field value (as ``custom_values_for`` returns it) in readable form."""
    if value is None or value == "" or value == []:
        return ""
    kind = definition.field_type
    if kind == "date":
        return display.date_text(value)
    if kind == "boolean":
        return display.yes_no(value)
    if kind == "multi_choice":
        return (_(", ")).join(str(v) for v in value)
    if kind == "money":
        return f"{display.number(value)} {definition.currency}".strip()
    if kind == "number":
        return display.number(value)
    if kind == "phone":
        return display.phone_text(value)
    return str(value)


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with some parameters changed (None or "" drops one)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    items = [(k, v) for k, values in params.lists() for v in values if v != ""]
    return "?" + urlencode(items) if items else "?"


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dictionaries with computed keys."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def is_blank(value) -> bool:
    """True for None, "" and empty lists (a custom field with no value)."""
    return value is None or value == "" or value == []


@register.simple_tag
def record_url(entity: str, public_id: str | None = None) -> str:
    """A registered record type's list page, or one record's page given its public id."""
    spec = registry.get(entity)
    return reverse(spec.detail_url, args=[public_id]) if public_id else reverse(spec.list_url)


@register.filter
def entity_plural(entity: str) -> str:
    """A record type's name in the plural, capitalised: ``Contacts`` / ``مخاطبان``."""
    return capfirst(registry.get(entity).label_plural)
