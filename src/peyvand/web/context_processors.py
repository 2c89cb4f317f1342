from django.http import HttpRequest
from django.utils import translation

from peyvand.accounts.access import Capability, capabilities_of
from peyvand.web import display


def ui(request: HttpRequest) -> dict:
    language = translation.get_language() or "fa"
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    language_calendar = "jalali" if language == "fa" else "gregorian"
    calendar = user.calendar_in_use if signed_in else language_calendar
    # Template filters (|jdate) read the calendar from here; see peyvand.web.display.
    display.set_calendar(calendar)
    return {
        "ui_language": language,
        "ui_dir": "rtl" if language == "fa" else "ltr",
        "ui_calendar": calendar,
        "ui_other_language": "en" if language == "fa" else "fa",
        # what the buttons and menus offer: {"record_delete": True, ...} from the access map
        "ui_can": ui_capabilities(user if signed_in else None),
    }


def ui_capabilities(user) -> dict[str, bool]:
    """Every capability of ``peyvand.accounts.access`` by template-friendly name
    (``record.delete`` → ``ui_can.record_delete``), true when ``user`` holds it."""
    held = capabilities_of(user)
    return {capability.name.lower(): capability in held for capability in Capability}
