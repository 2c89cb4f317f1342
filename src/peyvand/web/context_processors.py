from django.http import HttpRequest
from django.utils import translation


def ui(request: HttpRequest) -> dict:
    language = translation.get_language() or "fa"
    user = getattr(request, "user", None)
    calendar = user.calendar if user is not None and user.is_authenticated else (
        "jalali" if language == "fa" else "gregorian"
    )  # fmt: skip
    return {
        "ui_language": language,
        "ui_dir": "rtl" if language == "fa" else "ltr",
        "ui_calendar": calendar,
    }
