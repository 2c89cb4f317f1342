import pytest


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.PEYVAND_IMPORT_DIR = tmp_path / "imports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


PERSIAN_ROWS = [
    ["نام", "نام خانوادگی", "موبایل", "ایمیل", "کد ملی", "تاریخ تولد", "شرکت", "برچسب"],
    ["علي", "رضايي", "۰۹۱۲۱۲۳۴۵۶۷", "ali@x.com", "0013542419", "۱۳۷۰/۰۱/۱۵", "پارس", "VIP"],
    ["سارا", "کریمی", "0935 111 2233", "bad-email", "", "", "", ""],
    ["مینا", "احمدی", "+98 912 000 1111", "mina@x.com", "", "1991-1-1", "پارس", "VIP;طلایی"],
]


@pytest.fixture
def persian_rows():
    return [list(r) for r in PERSIAN_ROWS]
