from django.http import HttpRequest
from django.utils import translation

from peyvand.web import display


def ui(request: HttpRequest) -> dict:
    language = translation.get_language() or "fa"
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    calendar = user.calendar if signed_in else ("jalali" if language == "fa" else "gregorian")
    # Template filters (|jdate) read the calendar from here; see peyvand.web.display.
    display.set_calendar(calendar)
    return {
        "ui_language": language,
        "ui_dir": "rtl" if language == "fa" else "ltr",
        "ui_calendar": calendar,
        "ui_other_language": "en" if language == "fa" else "fa",
        "ui_is_admin": signed_in and user.is_admin,
        "ui_can_write": signed_in and user.can_write,
        "ui_can_delete": signed_in and user.is_active and user.role in {"admin", "manager"},
    }
