"""Every encoding and layout a user's spreadsheet program writes is read the same way."""

import csv
import io

import pytest
from openpyxl import Workbook

from peyvand.customers.imports.mapping import guess_mapping
from peyvand.customers.imports.readers import ImportFileError, open_source


def _csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _read(path):
    source, rows = open_source(path)
    return source, list(rows)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1256", "cp1256")],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_encodings_and_separators(tmp_path, persian_rows, encoding, expected, delimiter):
    if encoding == "cp1256":  # Windows-1256 has Arabic ي/ك and no Persian ی/ک or digits
        table = str.maketrans({"ی": "ي", "ک": "ك", **{chr(0x06F0 + i): str(i) for i in range(10)}})
        persian_rows = [[cell.translate(table) for cell in row] for row in persian_rows]
    path = tmp_path / "people.csv"
    path.write_bytes(_csv_bytes(persian_rows, delimiter=delimiter, encoding=encoding))
    source, rows = _read(path)
    assert (source.encoding, source.delimiter) == (expected, delimiter)
    assert source.headers == persian_rows[0]
    assert rows[0] == (2, dict(zip(persian_rows[0], persian_rows[1], strict=True)))
    assert [n for n, _ in rows] == [2, 3, 4]


def test_xlsx_with_numbers_and_dates(tmp_path, persian_rows):
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(persian_rows[0])
    sheet.append(["علي", "رضايي", 9121234567, "a@x.com", "0013542419", dt.date(1991, 4, 4), "", ""])
    sheet.append([None] * 8)  # an empty row is passed over
    sheet.append(["مینا", "احمدی", "09120001111", "", "", "1991-1-1", "", ""])
    path = tmp_path / "people.xlsx"
    book.save(path)
    source, rows = _read(path)
    assert source.format == "xlsx"
    assert rows[0][1]["موبایل"] == "9121234567"
    assert rows[0][1]["تاریخ تولد"] == "1991-04-04"
    assert [n for n, _ in rows] == [2, 4]


VCARD = """BEGIN:VCARD
VERSION:3.0
N:رضایی;علی;;;
FN:علی رضایی
TEL;TYPE=CELL:+98 912 123 4567
TEL;TYPE=WORK:021 8888 7777
EMAIL;TYPE=INTERNET:ali@x.com
ORG:پارس;فروش
TITLE:مدیر
BDAY:1991-04-04
ADR;TYPE=HOME:;;خیابان ولیعصر\\, پلاک ۱;تهران;تهران;1234567890;Iran
NOTE:first line\\nsecond
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Sara Connor
N:Connor;Sara;;;
TEL;VALUE=uri;TYPE="voice,cell":tel:+1-202-555-0101
EMAIL:sara@sky.net
item1.EMAIL:s2@sky.net
END:VCARD
BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D8=A7=D8=AD=D9=85=D8=AF=DB=8C;=D9=85=DB=8C=D9=86=D8=A7
TEL;CELL:09351112233
END:VCARD
"""


def test_vcard_3_4_and_21(tmp_path):
    path = tmp_path / "phone.vcf"
    path.write_text(VCARD.replace("\n", "\r\n"), encoding="utf-8")
    source, rows = _read(path)
    assert source.format == "vcf"
    first = rows[0][1]
    assert first["FN"] == "علی رضایی"
    assert first["N:given"] == "علی" and first["N:family"] == "رضایی"
    assert first["TEL"] == "+98 912 123 4567\n021 8888 7777"
    assert first["ORG"] == "پارس"
    assert first["ADR:street"] == "خیابان ولیعصر, پلاک ۱"
    assert first["NOTE"] == "first line\nsecond"
    second = rows[1][1]
    assert second["TEL"] == "+1-202-555-0101"
    assert second["EMAIL"] == "sara@sky.net\ns2@sky.net"
    third = rows[2][1]
    assert (third["N:family"], third["N:given"]) == ("احمدی", "مینا")
    mapping = guess_mapping(source.headers, entity="contact")
    assert mapping["TEL"] == "phone" and mapping["N:given"] == "given_name"


def test_folded_vcard_lines(tmp_path):
    path = tmp_path / "f.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Very Long\n  Name\nEND:VCARD\n")
    _source, rows = _read(path)
    assert rows[0][1]["FN"] == "Very Long Name"


@pytest.mark.parametrize("content", [b"", b"\xff\xfe", b"just text no newline"])
def test_unusable_files(tmp_path, content):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    if content == b"just text no newline":
        _source, rows = _read(path)
        assert rows == []
        return
    with pytest.raises(ImportFileError):
        _read(path)


def test_mapping_guess_persian_english_google_outlook():
    headers = ["First Name", "Last Name", "E-mail Address", "Mobile Phone", "Business Phone",
               "Company", "تلفن همراه", "نام و نام خانوادگی", "whatever"]  # fmt: skip
    mapping = guess_mapping(headers, entity="contact")
    assert mapping == {
        "First Name": "given_name",
        "Last Name": "family_name",
        "E-mail Address": "email",
        "Mobile Phone": "phone",
        "Business Phone": "phone:work",
        "Company": "organization",
        "تلفن همراه": "phone",
        "نام و نام خانوادگی": "display_name",
        "whatever": "",
    }
