"""Realistic, reproducible contact files for benchmarks and tests (no Django needed).

``iter_contacts(size, seed)`` yields ``(row, duplicate_of)`` pairs: ``row`` is a list of cells in
``HEADERS`` order, as a person would type them into a spreadsheet, and ``duplicate_of`` is the
0-based index of the row this one duplicates (or None). ``write_csv`` writes the rows to a UTF-8
CSV file. The same ``(size, seed)`` always gives the same bytes.

What is in a file:

* about 75% Persian and 25% English names (compound Persian names joined, with a ZWNJ or with a
  space), Latin-letter emails on reserved domains (``example.com`` …), unique per person;
* Iranian mobiles typed the many ways people type them: ``0912…``, ``+98 912 …``, ``00989…``,
  ``912-…``, ``(0912) …``, Persian digits ``۰۹۱۲…``; unique per person;
* a valid national ID (check digit) for about 40% of the Persian people, some in Persian digits;
  about 0.2% of the rows carry a national ID whose check digit is wrong (an import error);
* a city, for some a company and a birth date (Jalali, sometimes in Persian digits, or ISO);
* about 5% near-duplicates of an earlier row: Arabic ي/ك for ی/ک, ZWNJ ↔ space in compound
  names, the same phone typed another way, the email in other letter case.

Fast enough for a million rows in a few seconds: one ``random.Random`` draw per choice, unique
numbers from an affine bijection of the row index instead of a set of used values.

    python -m bench.generate --size 1000000 --seed 7 -o contacts.csv
"""

import argparse
import csv
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HEADERS = [
    "First name", "Last name", "Email", "Mobile", "National ID", "City", "Company", "Birth date",
]  # fmt: skip
ZWNJ = "\u200c"
_TO_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_TO_ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})

# (Persian, Latin) — the Latin form builds the email address.
FA_GIVEN = [
    ("علی", "ali"), ("محمد", "mohammad"), ("حسین", "hossein"), ("رضا", "reza"), ("مهدی", "mehdi"),
    ("امیرحسین", "amirhossein"), ("محمدرضا", "mohammadreza"), ("علیرضا", "alireza"),
    ("سعید", "saeed"), ("حمید", "hamid"), ("مجید", "majid"), ("کاوه", "kaveh"), ("بابک", "babak"),
    ("پویا", "pouya"), ("آرش", "arash"), ("کیان", "kian"), ("یاسر", "yaser"), ("مصطفی", "mostafa"),
    ("جواد", "javad"), ("کامران", "kamran"), ("فرهاد", "farhad"), ("پیمان", "peyman"),
    ("سینا", "sina"), ("نیما", "nima"), ("میلاد", "milad"), ("یوسف", "yousef"),
    ("کوروش", "kourosh"), ("داریوش", "dariush"), ("اکبر", "akbar"), ("عباس", "abbas"),
    ("مرتضی", "morteza"), ("ابوالفضل", "abolfazl"), ("امید", "omid"), ("بهنام", "behnam"),
    ("شهرام", "shahram"), ("فرشید", "farshid"), ("هومن", "houman"), ("سهراب", "sohrab"),
    ("احسان", "ehsan"), ("وحید", "vahid"), ("مسعود", "masoud"), ("بهروز", "behrouz"),
    ("فاطمه", "fatemeh"), ("زهرا", "zahra"), ("مریم", "maryam"), ("سارا", "sara"),
    ("نرگس", "narges"), ("لیلا", "leila"), ("نازنین", "nazanin"), ("الهام", "elham"),
    ("مهسا", "mahsa"), ("شیرین", "shirin"), ("پریسا", "parisa"), ("سمیه", "somayeh"),
    ("کیمیا", "kimia"), ("یگانه", "yeganeh"), ("آیدا", "aida"), ("ریحانه", "reyhaneh"),
    ("فرشته", "fereshteh"), ("نیلوفر", "niloufar"), ("هستی", "hasti"), ("ترانه", "taraneh"),
    ("مینا", "mina"), ("آزاده", "azadeh"), ("فاطمه‌زهرا", "fatemehzahra"), ("رؤیا", "roya"),
    ("ژاله", "zhaleh"), ("کتایون", "katayoun"), ("مهناز", "mahnaz"), ("شبنم", "shabnam"),
    ("پرستو", "parastoo"), ("ساناز", "sanaz"), ("طاهره", "tahereh"), ("معصومه", "masoumeh"),
    ("بهاره", "bahareh"), ("گلناز", "golnaz"), ("سپیده", "sepideh"), ("نگار", "negar"),
]  # fmt: skip
FA_FAMILY = [
    ("محمدی", "mohammadi"), ("رضایی", "rezaei"), ("حسینی", "hosseini"), ("احمدی", "ahmadi"),
    ("کریمی", "karimi"), ("موسوی", "mousavi"), ("جعفری", "jafari"), ("صادقی", "sadeghi"),
    ("رحیمی", "rahimi"), ("کاظمی", "kazemi"), ("قاسمی", "ghasemi"), ("حیدری", "heydari"),
    ("نوری", "nouri"), ("یزدانی", "yazdani"), ("کرمانی", "kermani"), ("شیرازی", "shirazi"),
    ("تهرانی", "tehrani"), ("طباطبایی", "tabatabaei"), ("هاشمی", "hashemi"), ("عسگری", "asgari"),
    ("ملکی", "maleki"), ("بهرامی", "bahrami"), ("فرهادی", "farhadi"), ("نیک‌نام", "niknam"),
    ("حسین‌زاده", "hosseinzadeh"), ("علی‌پور", "alipour"), ("محمدی‌نژاد", "mohammadinejad"),
    ("قربانی", "ghorbani"), ("اکبری", "akbari"), ("امینی", "amini"), ("شریفی", "sharifi"),
    ("زارعی", "zarei"), ("کیانی", "kiani"), ("پاکزاد", "pakzad"), ("میرزایی", "mirzaei"),
    ("سلطانی", "soltani"), ("خسروی", "khosravi"), ("افشار", "afshar"), ("کاشانی", "kashani"),
    ("دهقان", "dehghan"), ("آقایی", "aghaei"), ("مؤمنی", "momeni"), ("نجفی", "najafi"),
    ("اصفهانی", "esfahani"), ("یوسفی", "yousefi"), ("فتحی", "fathi"), ("باقری", "bagheri"),
    ("ابراهیمی", "ebrahimi"), ("نادری", "naderi"), ("توکلی", "tavakoli"), ("صالحی", "salehi"),
    ("مرادی", "moradi"), ("رستمی", "rostami"), ("فروتن", "forootan"), ("شجاعی", "shojaei"),
    ("پارسا", "parsa"), ("کاویانی", "kaviani"), ("سبحانی", "sobhani"), ("منصوری", "mansouri"),
    ("عباسی", "abbasi"), ("جهانگیری", "jahangiri"), ("خلیلی", "khalili"), ("رحمانی", "rahmani"),
    ("طاهری", "taheri"), ("وکیلی", "vakili"), ("غفاری", "ghaffari"), ("ستوده", "sotoudeh"),
    ("بابایی", "babaei"), ("زمانی", "zamani"), ("قنبری", "ghanbari"), ("انصاری", "ansari"),
    ("کامرانی", "kamrani"), ("شاه‌محمدی", "shahmohammadi"), ("میرحسینی", "mirhosseini"),
    ("عبدالهی", "abdollahi"), ("سلیمانی", "soleimani"), ("پورمحمد", "pourmohammad"),
]  # fmt: skip
# Names written joined, with a ZWNJ, or with a space: all the same person.
COMPOUNDS = {
    "امیرحسین": ("امیر", "حسین"), "محمدرضا": ("محمد", "رضا"), "علیرضا": ("علی", "رضا"),
    "فاطمه‌زهرا": ("فاطمه", "زهرا"), "ابوالفضل": ("ابو", "الفضل"), "نیک‌نام": ("نیک", "نام"),
    "حسین‌زاده": ("حسین", "زاده"), "علی‌پور": ("علی", "پور"), "محمدی‌نژاد": ("محمدی", "نژاد"),
    "شاه‌محمدی": ("شاه", "محمدی"), "میرحسینی": ("میر", "حسینی"), "پورمحمد": ("پور", "محمد"),
}  # fmt: skip
EN_GIVEN = [
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Susan", "Richard", "Jessica", "Thomas", "Sarah", "Daniel", "Emma",
    "Oliver", "Charlotte", "George", "Amelia", "Henry", "Olivia", "Lucas", "Sophie", "Jack",
    "Isla", "Harry", "Grace", "Noah", "Chloe", "Leo", "Ella", "Samuel", "Lily", "Joseph", "Mia",
    "Benjamin", "Hannah",
]  # fmt: skip
EN_FAMILY = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
    "Clarke", "Walker", "Wright", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall",
    "Wood", "Harris", "Martin", "Cooper", "King", "Baker", "Turner", "Hill", "Scott", "Moore",
    "Allen", "Young", "Mitchell", "Campbell", "Anderson", "Robinson", "Lewis", "Jackson",
    "Roberts", "Evans", "Phillips", "Bennett",
]  # fmt: skip
FA_CITIES = [
    "تهران", "تهران", "تهران", "تهران", "کرج", "قم", "رشت", "تبریز", "مشهد", "مشهد", "شیراز",
    "شیراز", "اصفهان", "اصفهان", "بوشهر", "کرمان", "یزد", "اهواز", "ارومیه", "همدان", "ساری",
    "کرمانشاه", "زنجان", "قزوین", "اراک", "کاشان",
]  # fmt: skip
EN_CITIES = ["London", "Manchester", "Toronto", "Dubai", "Berlin", "Tehran", "Istanbul", ""]
_FA_ORG_KINDS = ["شرکت", "گروه صنعتی", "بازرگانی", "صنایع غذایی", "هلدینگ", "فروشگاه‌های"]
_FA_ORG_STEMS = [
    "آوا", "نگین", "پارسه", "آریا", "مهرگان", "سپهر", "کوثر", "البرز", "زاگرس", "دماوند",
    "آفتاب", "ستاره", "فن‌آوران", "تجارت نوین", "ایده‌پردازان", "پیشگامان", "کاسپین", "سیمرغ",
    "پرشیا", "هامون", "ارغوان", "نوآوران", "مهر", "آینده", "بهار",
]  # fmt: skip
_EN_ORGS = [
    "Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Tailspin Toys", "Adventure Works",
    "Wide World Importers", "Litware Inc", "Proseware", "Lucerne Publishing", "Margie's Travel",
]  # fmt: skip
COMPANIES = [f"{k} {s}" for k in _FA_ORG_KINDS for s in _FA_ORG_STEMS] + _EN_ORGS
MOBILE_PREFIXES = [
    "912", "919", "935", "936", "937", "938", "939", "990", "991", "901", "902", "903",
    "930", "933", "921", "922", "917", "911", "913", "914", "915", "910", "932",
]  # fmt: skip
_DOMAINS = ["example.com", "example.com", "example.org", "example.net", "mail.example"]
DUPLICATE_SHARE = 0.05
INVALID_NATIONAL_ID_SHARE = 0.002
_RECENT = 5000  # near-duplicates copy one of the last rows (keeps memory flat)


def national_id_check(nine: str) -> str:
    """Append the Iranian national ID check digit to nine digits."""
    total = sum(int(nine[i]) * (10 - i) for i in range(9))
    remainder = total % 11
    return nine + str(remainder if remainder < 2 else 11 - remainder)


def _unique(index: int, modulus: int, multiplier: int, offset: int) -> int:
    """A different number in [0, modulus) for each index < modulus (multiplier coprime)."""
    return (index * multiplier + offset) % modulus


def mobile_formats(national: str) -> list[str]:
    """The ways people type the mobile ``9121234567`` (without its leading 0)."""
    n = national
    spaced = f"{n[:3]} {n[3:6]} {n[6:]}"
    return [
        f"0{n}", f"0{n}", f"0{n}", f"0{spaced}", f"+98 {spaced}", f"+98{n}", f"0098{n}",
        f"0{n}".translate(_TO_FA_DIGITS), f"0{spaced}".translate(_TO_FA_DIGITS),
        f"0{n[:3]}-{n[3:6]}-{n[6:]}", n, f"(0{n[:3]}) {n[3:]}", f"+98-{n[:3]}-{n[3:]}",
    ]  # fmt: skip


def _compound_variant(rng: random.Random, name: str) -> str:
    parts = COMPOUNDS.get(name)
    if parts is None:
        return name
    return rng.choice([parts[0] + parts[1], parts[0] + ZWNJ + parts[1], f"{parts[0]} {parts[1]}"])


def _near_duplicate(rng: random.Random, row: list[str], national: str) -> list[str]:
    """The same person typed again: letters, spacing, phone format or email case differ."""
    dup = list(row)
    given, family = dup[0], dup[1]
    kind = rng.random()
    if kind < 0.4 and ("ی" in given + family or "ک" in given + family):
        dup[0], dup[1] = given.translate(_TO_ARABIC_LETTERS), family.translate(_TO_ARABIC_LETTERS)
    elif kind < 0.6:
        dup[0] = _compound_variant(rng, given.replace(ZWNJ, "").replace(" ", ""))
        dup[1] = _compound_variant(rng, family)
        if dup[0] == given and dup[1] == family:
            dup[1] = family.replace(ZWNJ, " ") if ZWNJ in family else family + " "
    elif kind < 0.8 and dup[2]:
        dup[2] = dup[2].upper() if rng.random() < 0.5 else dup[2].capitalize()
    if national:
        dup[3] = rng.choice([f for f in mobile_formats(national) if f != row[3]])
    return dup


def iter_contacts(size: int, seed: int = 7) -> Iterator[tuple[list[str], int | None]]:
    """Yield ``size`` rows (cells in HEADERS order) and the index each duplicates (or None)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    random_ = rng.random
    choice = rng.choice
    recent: list[tuple[int, list[str], str]] = []  # (index, row, mobile national part)
    for index in range(size):
        if recent and random_() < DUPLICATE_SHARE:
            original_index, original, national = choice(recent)
            yield _near_duplicate(rng, original, national), original_index
            continue
        persian = random_() >= 0.25
        serial = _unique(index, 10_000_000, 7_919_093, 1_234_567)
        if persian:
            (given, given_latin), (family, family_latin) = choice(FA_GIVEN), choice(FA_FAMILY)
            given = _compound_variant(rng, given) if given in COMPOUNDS else given
            city = choice(FA_CITIES)
        else:
            given, family = choice(EN_GIVEN), choice(EN_FAMILY)
            given_latin, family_latin = given.lower(), family.lower()
            city = choice(EN_CITIES)
        national = ""
        mobile = ""
        if random_() < (0.95 if persian else 0.6):
            national = choice(MOBILE_PREFIXES) + f"{serial:07d}"
            mobile = choice(mobile_formats(national))
        email = ""
        if random_() < (0.75 if persian else 0.95) or not mobile:
            separator = choice([".", ".", "_", ""])
            email = f"{given_latin}{separator}{family_latin}{serial}@{choice(_DOMAINS)}"
        national_id = ""
        if persian and random_() < 0.4:
            code = national_id_check(f"{_unique(index, 10**9, 387_420_489, 11):09d}")
            if len(set(code)) == 1:
                code = ""
            elif random_() < INVALID_NATIONAL_ID_SHARE / 0.3:
                code = code[:9] + str((int(code[9]) + 1) % 10)  # wrong check digit
            elif random_() < 0.25:
                code = code.translate(_TO_FA_DIGITS)
            national_id = code
        company = choice(COMPANIES) if random_() < 0.3 else ""
        birth = ""
        if random_() < 0.6:
            if persian:
                birth = (
                    f"{rng.randint(1330, 1385)}/{rng.randint(1, 12):02d}/{rng.randint(1, 29):02d}"
                )
                if random_() < 0.3:
                    birth = birth.translate(_TO_FA_DIGITS)
            else:
                birth = (
                    f"{rng.randint(1950, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                )
        row = [given, family, email, mobile, national_id, city, company, birth]
        recent.append((index, row, national))
        if len(recent) > _RECENT:
            recent.pop(0)
        yield row, None


def write_csv(path: Path, size: int, seed: int = 7) -> dict:
    """Write ``size`` contacts to ``path`` (UTF-8 CSV with a header); return counts."""
    started = time.perf_counter()
    duplicates = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        batch = []
        for row, duplicate_of in iter_contacts(size, seed):
            batch.append(row)
            duplicates += duplicate_of is not None
            if len(batch) >= 10_000:
                writer.writerows(batch)
                batch = []
        writer.writerows(batch)
    return {
        "rows": size,
        "near_duplicates": duplicates,
        "bytes": Path(path).stat().st_size,
        "seconds": time.perf_counter() - started,
        "seed": seed,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    stats = write_csv(args.output, args.size, args.seed)
    print(
        f"{stats['rows']:,} rows ({stats['near_duplicates']:,} near-duplicates), "
        f"{stats['bytes'] / 1e6:.1f} MB in {stats['seconds']:.1f}s -> {args.output}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
