"""Read CSV (any encoding Excel writes, any usual separator), XLSX and vCard into rows.

Every reader yields ``(row_number, {header: text})`` with 1-based row numbers as a user would
count them in the file (the header is row 1 for tables), and exposes the headers it found.
"""

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

SNIFF_BYTES = 64 * 1024


class ImportFileError(ValueError):
    """The file cannot be read at all (wrong format, empty, broken encoding)."""


@dataclass
class TableSource:
    format: str
    headers: list[str]
    encoding: str = ""
    delimiter: str = ""
    extra: dict = field(default_factory=dict)


def detect_format(path: Path, original_name: str = "") -> str:
    name = (original_name or path.name).lower()
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        return "xlsx"
    text = head.lstrip(codecs.BOM_UTF8).decode("latin-1").lstrip().upper()
    if name.endswith((".vcf", ".vcard")) or text.startswith("BEGIN:VCARD"):
        return "vcf"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        utf16 = head.decode("utf-16", errors="ignore").lstrip("\ufeff").lstrip().upper()
        if utf16.startswith("BEGIN:VCARD"):
            return "vcf"
    return "csv"


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (as Excel's "Unicode text" writes it) or Windows-1256."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "cp1256"
    return "utf-8"


def detect_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t", "|"):
        counts = [line.count(delimiter) for line in lines]
        # a real separator appears the same number of times on most lines, at least once
        consistent = max(counts.count(c) for c in set(counts)) if counts else 0
        score = consistent * 1000 + sum(counts) if min(counts[:1] or [0]) > 0 else -1
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_text(path: Path) -> tuple[io.TextIOBase, str]:
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    encoding = detect_encoding(head)
    return open(path, encoding=encoding, newline="", errors="strict"), encoding


def _clean_headers(headers: list[str]) -> list[str]:
    result, seen = [], {}
    for index, header in enumerate(headers):
        name = (header or "").strip().lstrip("\ufeff") or f"column {index + 1}"
        if name in seen:  # two columns with one name: keep both, apart
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        result.append(name)
    return result


def _csv_error(reader, exc: csv.Error) -> ImportFileError:
    """What the csv module refused, said with the row: a cell past its size limit (a 300 KB
    cell stopped the mapping page with a traceback), or a broken quote."""
    if "field larger than field limit" in str(exc):
        return ImportFileError(
            _("Row %(row)s has a cell longer than %(limit)s characters, the most a cell may hold.")
            % {"row": reader.line_num, "limit": f"{csv.field_size_limit():,}"}
        )
    return ImportFileError(
        _("Row %(row)s could not be read as CSV (%(reason)s).")
        % {"row": reader.line_num, "reason": exc}
    )


def read_csv(path: Path) -> tuple[TableSource, Iterator[tuple[int, dict[str, str]]]]:
    fh, encoding = _open_text(path)
    try:
        sample = fh.read(SNIFF_BYTES)
    except UnicodeDecodeError as exc:
        fh.close()
        raise ImportFileError(_("The file's text encoding could not be read.")) from exc
    fh.seek(0)
    delimiter = detect_delimiter(sample)
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        headers = _clean_headers(next(reader))
    except StopIteration as exc:
        fh.close()
        raise ImportFileError(_("The file is empty.")) from exc
    except csv.Error as exc:
        fh.close()
        raise _csv_error(reader, exc) from exc
    source = TableSource("csv", headers, encoding=encoding, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                yield number, dict(zip(headers, values, strict=False))
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("Row %(row)s is not valid %(enc)s text.")
                % {"row": reader.line_num, "enc": encoding}
            ) from exc
        except csv.Error as exc:
            raise _csv_error(reader, exc) from exc
        finally:
            fh.close()

    return source, rows()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(path: Path) -> tuple[TableSource, Iterator[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(_("This is not an Excel (.xlsx) file that can be read.")) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        headers = _clean_headers([_cell_text(v) for v in next(iterator)])
    except StopIteration as exc:
        workbook.close()
        raise ImportFileError(_("The first sheet is empty.")) from exc
    source = TableSource("xlsx", headers, extra={"sheet": sheet.title})

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in enumerate(iterator, start=2):
                texts = [_cell_text(v) for v in values]
                if any(texts):
                    yield number, dict(zip(headers, texts, strict=False))
        finally:
            workbook.close()

    return source, rows()


# vCard ------------------------------------------------------------------------------------

VCARD_HEADERS = [
    "FN", "N:given", "N:family", "EMAIL", "TEL", "ORG", "TITLE", "BDAY", "ADR:street",
    "ADR:city", "ADR:region", "ADR:postcode", "ADR:country", "NOTE", "CATEGORIES", "UID",
]  # fmt: skip


def split_params(name_part: str) -> list[str]:
    """``TEL;TYPE="work;voice";PREF=1`` → ``['TEL', 'TYPE="work;voice"', 'PREF=1']``: split on
    the semicolons outside double quotes, in one pass over the pieces (a lookahead regex per
    semicolon took 14 s on a 100 KB line of them)."""
    params: list[str] = []
    quoted = False
    for piece in name_part.split(";"):
        if quoted:
            params[-1] += ";" + piece
        else:
            params.append(piece)
        if piece.count('"') % 2:
            quoted = not quoted
    return params


def _unescape(value: str) -> str:
    return (
        value.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";")
    ).replace("\\\\", "\\")


def _split_components(value: str) -> list[str]:
    parts, current, escaped = [], [], False
    for ch in value:
        if escaped:
            current.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ";":
            parts.append(_unescape("".join(current)))
            current = []
        else:
            current.append(ch)
    parts.append(_unescape("".join(current)))
    return parts


def _decode_quoted_printable(value: str, charset: str) -> str:
    import quopri

    return quopri.decodestring(value.encode("latin-1")).decode(charset or "utf-8", "replace")


def _unfold(text: str) -> Iterator[tuple[int, str]]:
    """Join folded lines (a line starting with space/tab continues the previous one)."""
    current, start = None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t") and current is not None:
            current += line[1:]
            continue
        if current is not None and current.endswith("=") and "QUOTED-PRINTABLE" in current.upper():
            current = current[:-1] + line  # vCard 2.1 soft line break
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def read_vcard(path: Path) -> tuple[TableSource, Iterator[tuple[int, dict[str, str]]]]:
    raw = path.read_bytes()
    encoding = detect_encoding(raw[:SNIFF_BYTES])
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The file's text encoding could not be read.")) from exc
    text = text.lstrip("\ufeff")
    if "BEGIN:VCARD" not in text.upper():
        raise ImportFileError(_("No vCard (BEGIN:VCARD) was found in the file."))
    source = TableSource("vcf", list(VCARD_HEADERS), encoding=encoding)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        card: dict[str, list[str]] | None = None
        card_line = 0
        for number, line in _unfold(text):
            if not line.strip():
                continue
            name_part, sep, value = line.partition(":")
            if not sep:
                continue
            params = split_params(name_part)
            name = params[0].split(".")[-1].upper()  # drop "item1." group prefixes
            upper_params = [p.upper() for p in params[1:]]
            if name == "BEGIN" and value.strip().upper() == "VCARD":
                card, card_line = {}, number
                continue
            if card is None:
                continue
            if name == "END":
                yield card_line, {k: "\n".join(v) for k, v in card.items()}
                card = None
                continue
            if any("QUOTED-PRINTABLE" in p for p in upper_params):
                charset = next(
                    (p.split("=", 1)[1] for p in upper_params if p.startswith("CHARSET=")), "utf-8"
                )
                value = _decode_quoted_printable(value, charset.lower())
            _add_property(card, name, value)
        if card is not None:
            yield card_line, {k: "\n".join(v) for k, v in card.items()}

    return source, rows()


def _add_property(card: dict[str, list[str]], name: str, value: str) -> None:
    if name == "N":
        parts = _split_components(value) + [""] * 5
        card.setdefault("N:family", []).append(parts[0].strip())
        card.setdefault("N:given", []).append(" ".join(p for p in parts[1:3] if p).strip())
    elif name == "ADR":
        parts = _split_components(value) + [""] * 7
        street = " ".join(p for p in parts[:3] if p).strip()
        for key, part in zip(
            ["ADR:street", "ADR:city", "ADR:region", "ADR:postcode", "ADR:country"],
            [street, parts[3], parts[4], parts[5], parts[6]],
            strict=True,
        ):
            card.setdefault(key, []).append(part.strip())
    elif name == "ORG":
        card.setdefault("ORG", []).append(_split_components(value)[0].strip())
    elif name in {"FN", "EMAIL", "TEL", "TITLE", "BDAY", "NOTE", "CATEGORIES", "UID"}:
        if name == "TEL" and value.lower().startswith("tel:"):
            value = value[4:]
        card.setdefault(name, []).append(_unescape(value).strip())


def open_source(path: Path, original_name: str = ""):
    """Return (TableSource, row iterator) for any supported file."""
    kind = detect_format(path, original_name)
    reader = {"csv": read_csv, "xlsx": read_xlsx, "vcf": read_vcard}[kind]
    return reader(path)
