"""The Persian catalog is complete, well-formed, compiled, and served by Django.

No database: the .po file is read with a small parser of our own (polib is not a dependency),
the .mo file with the standard library, and the source with ``ast``.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

import peyvand

PACKAGE = Path(peyvand.__file__).parent
CATALOG = PACKAGE / "locale" / "fa" / "LC_MESSAGES"
PO_FILE = CATALOG / "django.po"
MO_FILE = CATALOG / "django.mo"

# python-format placeholders: %(name)s, %s, %d ... (a literal "%%" is not a placeholder)
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]?\d*(?:\.\d+)?[sdifr]")
BRACE_PLACEHOLDER = re.compile(r"\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
PERSIAN_LETTER = re.compile(r"[\u0600-\u06FF]")
ARABIC_YEH_KAF = re.compile(r"[\u064A\u0643]")  # ي ك: Persian uses ی (U+06CC) and ک (U+06A9)
FSI, PDI = "\u2068", "\u2069"
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def forms(self) -> list[str]:
        return [self.msgstr[n] for n in sorted(self.msgstr)]


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), f"not a quoted PO string: {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), body[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file (header first); obsolete ``#~`` entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which string continuation lines extend

    def finish():
        if current is not None and target is not None:
            entries.append(current)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            current, target = None, None
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current, target = Entry(line=number), None
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            current.msgctxt, target = _unquote(line[8:]), ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            current.msgid_plural, target = _unquote(line[13:]), ("msgid_plural", 0)
        elif line.startswith("msgid "):
            current.msgid, target = _unquote(line[6:]), ("msgid", 0)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            current.msgstr[index] = _unquote(line[line.index("]") + 1 :])
            target = ("msgstr", index)
        elif line.startswith("msgstr "):
            current.msgstr[0], target = _unquote(line[7:]), ("msgstr", 0)
        elif line.startswith('"'):
            assert target is not None, f"line {number}: continuation without a keyword"
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
        else:
            raise AssertionError(f"line {number}: cannot parse {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def header(entries) -> Entry:
    assert entries[0].msgid == "", "the catalog must start with its header"
    return entries[0]


@pytest.fixture(scope="module")
def messages(entries) -> list[Entry]:
    return entries[1:]


def _where(entry: Entry) -> str:
    return f"django.po:{entry.line} {entry.msgid!r}"


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text.replace("%%", "")))


def test_parser_reads_multiline_strings_and_plurals():
    """Given a .po with wrapped strings and a plural, the parser joins and indexes them."""
    sample = (
        'msgid ""\nmsgstr ""\n"Language: fa\\n"\n\n'
        '#, fuzzy, python-format\nmsgid ""\n"Say \\"%(a)s\\" "\n"twice"\nmsgstr "x"\n\n'
        'msgid "%(n)s row"\nmsgid_plural "%(n)s rows"\nmsgstr[0] "a"\nmsgstr[1] ""\n"b"\n'
        '\n#~ msgid "gone"\n#~ msgstr "old"\n'
    )
    header, wrapped, plural = parse_po(sample)
    assert header.msgstr == {0: "Language: fa\n"}
    assert (wrapped.msgid, wrapped.flags) == ('Say "%(a)s" twice', {"fuzzy", "python-format"})
    assert (plural.msgid_plural, plural.forms) == ("%(n)s rows", ["a", "b"])


def test_header_declares_persian_utf8_and_django_plural_rule(header):
    meta = header.msgstr[0]
    assert "Language: fa\n" in meta
    assert "Content-Type: text/plain; charset=UTF-8\n" in meta
    assert "Plural-Forms: nplurals=2; plural=(n > 1);\n" in meta


def test_catalog_is_not_empty(messages):
    assert len(messages) > 300


def test_every_message_is_translated(messages):
    untranslated = [
        _where(e)
        for e in messages
        if not e.msgstr
        or any(not form.strip() for form in e.forms)
        or (e.msgid_plural is not None and len(e.forms) != 2)
    ]
    assert untranslated == []


def test_nothing_is_fuzzy(entries):
    assert [_where(e) for e in entries if "fuzzy" in e.flags] == []


def test_placeholders_survive_translation(messages):
    """Every %(name)s / %s / {name} / HTML tag of the English text is in the Persian text.

    Plural entries: Persian does not inflect for number, so each form must carry the
    placeholders and tags of either English form.
    """
    broken = []
    for e in messages:
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        for form in e.forms:
            ok = any(
                _placeholders(form) == _placeholders(source)
                and sorted(BRACE_PLACEHOLDER.findall(form))
                == sorted(BRACE_PLACEHOLDER.findall(source))
                and sorted(HTML_TAG.findall(form)) == sorted(HTML_TAG.findall(source))
                for source in sources
            )
            if not ok:
                broken.append(f"{_where(e)} -> {form!r}")
    assert broken == []


def test_persian_orthography(messages):
    """Persian ی/ک (not Arabic ي/ك), Persian punctuation, « » quotes, balanced bidi isolates."""
    problems = []
    for e in messages:
        for form in e.forms:
            if ARABIC_YEH_KAF.search(form):
                problems.append(f"{_where(e)}: Arabic yeh/kaf")
            if PERSIAN_LETTER.search(form):
                if re.search(r"[?;“”]", form):
                    problems.append(f"{_where(e)}: use ؟ ؛ « » in Persian text")
                if re.search(r"[\u0600-\u06FF]\s*,|,\s*[\u0600-\u06FF]", form):
                    problems.append(f"{_where(e)}: use the Persian comma ،")
            depth = 0
            for char in form:
                depth += (char == FSI) - (char == PDI)
                if depth < 0:
                    break
            if depth != 0:
                problems.append(f"{_where(e)}: unbalanced FSI/PDI")
            if "  " in form or (form != form.strip() and e.msgid == e.msgid.strip()):
                problems.append(f"{_where(e)}: stray spaces")
    assert problems == []


def test_compiled_catalog_matches_the_po_file(messages):
    """The .mo holds exactly the .po's translations: nothing stale, nothing missing."""
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in messages:
        if e.msgid_plural is None:
            got = compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid)
            if got != e.msgstr[0]:
                stale.append(_where(e))
        else:
            for n, index in ((1, 0), (2, 1)):
                got = (
                    compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                    if e.msgctxt
                    else compiled.ngettext(e.msgid, e.msgid_plural, n)
                )
                if got != e.msgstr[index]:
                    stale.append(f"{_where(e)}[{index}]")
    assert stale == [], "recompile: peyvand compilemessages -l fa"
    # The stdlib keeps one key per message (per plural form) plus the header.
    expected_keys = 1 + sum(len(e.forms) if e.msgid_plural else 1 for e in messages)
    assert len(compiled._catalog) == expected_keys, "the .mo has messages the .po does not"


def test_django_serves_the_persian_catalog():
    with translation.override("fa"):
        assert translation.gettext("Contacts") == "مخاطبان"
        assert translation.gettext("Lead") == "سرنخ"
        assert translation.gettext("%(count)s contacts") % {"count": "۳"} == "۳ مخاطب"
    with translation.override("en"):
        assert translation.gettext("Contacts") == "Contacts"


# ---- Every string the code marks for translation is in the catalog -----------------------------

GETTEXT_NAMES = {
    "_",
    "_lazy",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
}
PGETTEXT_NAMES = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
TEMPLATE_TRANSLATE = re.compile(
    r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+as\s+\w+)?\s*%}"""
)


def _marked_in_python(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if name in GETTEXT_NAMES and isinstance(args[0], str):
            yield (None, args[0]), node.lineno
        elif name in PGETTEXT_NAMES and len(args) > 1 and all(isinstance(a, str) for a in args[:2]):
            yield (args[0], args[1]), node.lineno


def _marked_in_templates(path: Path):
    text = path.read_text(encoding="utf-8")
    for match in TEMPLATE_TRANSLATE.finditer(text):
        if "noop" not in match.group(0) and "context" not in match.group(0):
            yield (None, match.group(2)), text.count("\n", 0, match.start()) + 1


def test_every_marked_string_is_in_the_catalog(messages):
    """A string marked in code or a template but missing from django.po shows in English on fa
    pages. Fix, from src/peyvand: ``peyvand makemessages -l fa --no-obsolete --ignore
    "static/vendor/*"``, translate the new entries, ``peyvand compilemessages -l fa``.
    (Python calls through any gettext alias count, e.g. ``gettext_lazy as _lazy``, which the
    stock makemessages does not extract.)"""
    known = {(e.msgctxt, e.msgid) for e in messages}
    sources = [
        p
        for p in PACKAGE.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts and p.name != "conftest.py"
    ]
    missing = [
        f"{path.relative_to(PACKAGE)}:{line} {key[1]!r}"
        for path in sources
        for key, line in _marked_in_python(path)
        if key not in known
    ]
    missing += [
        f"{path.relative_to(PACKAGE)}:{line} {key[1]!r}"
        for path in PACKAGE.rglob("templates/**/*.html")
        for key, line in _marked_in_templates(path)
        if key not in known
    ]
    assert missing == []
