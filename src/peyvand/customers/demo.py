"""Demo data: a realistic, reproducible customer base for trying Peyvand out.

Two halves:

* :func:`generate_demo_data` is pure (no database): from a size and a seed it returns plain
  specs of teams, users, organisations and people. The same seed gives the same data.
* :func:`load_demo_data` writes those specs through the ordinary services, as an admin, in one
  transaction, so demo records are normalised and validated exactly like typed-in ones.

The people are mostly Persian (names with ZWNJ and compound forms, Iranian mobiles typed the
many ways people type them, valid national IDs), about a quarter English, and about 5% are
near-duplicates of another person (Arabic ي/ك, ZWNJ/space variants, a typo, the phone typed
differently) for the duplicate hints and dedupe to find. Emails and websites use reserved
domains (``example.com``, ``*.example``) so nothing ever reaches a real inbox.
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from peyvand.accounts.models import User
from peyvand.accounts.selectors import team_list, user_list
from peyvand.accounts.services import team_create, user_create
from peyvand.common.cli import generate_password
from peyvand.common.persian import to_persian_digits
from peyvand.customers.selectors import custom_field_definition_list
from peyvand.customers.services import (
    AddressInput,
    ConsentInput,
    ContactInput,
    CustomFieldInput,
    EmailInput,
    MembershipInput,
    OrganizationInput,
    PhoneInput,
    contact_create,
    custom_field_create,
    organization_create,
)

ZWNJ = "\u200c"

# (team key, team name, language of its people)
TEAMS = (
    ("tehran", "فروش تهران", "fa"),
    ("shiraz", "فروش شیراز", "fa"),
    ("enterprise", "Enterprise", "en"),
)
_TEAM_STAFF = {
    "tehran": [("نگار", "صالحی"), ("بهنام", "توکلی"), ("سحر", "مرادی"), ("کیوان", "نادری")],
    "shiraz": [("مرجان", "فروتن"), ("امید", "شجاعی"), ("تینا", "رستمی"), ("حامد", "پارسا")],
    "enterprise": [
        ("Laura", "Bennett"),
        ("Omid", "Farahani"),
        ("Chris", "Dalton"),
        ("Nina", "Park"),
    ],
}
_STAFF_SLOTS = (
    ("manager", "manager"),
    ("agent1", "agent"),
    ("agent2", "agent"),
    ("viewer", "viewer"),
)
_OWNER_SLOTS = (("manager", 2), ("agent1", 4), ("agent2", 4))

_FA_MALE = [
    ("علی", "ali"), ("محمد", "mohammad"), ("حسین", "hossein"), ("رضا", "reza"), ("مهدی", "mehdi"),
    ("امیرحسین", "amirhossein"), ("محمدرضا", "mohammadreza"), ("علی‌رضا", "alireza"),
    ("سعید", "saeed"), ("حمید", "hamid"), ("مجید", "majid"), ("کاوه", "kaveh"), ("بابک", "babak"),
    ("پویا", "pouya"), ("آرش", "arash"), ("کیان", "kian"), ("یاسر", "yaser"), ("مصطفی", "mostafa"),
    ("جواد", "javad"), ("کامران", "kamran"), ("فرهاد", "farhad"), ("پیمان", "peyman"),
    ("سینا", "sina"), ("نیما", "nima"), ("میلاد", "milad"), ("یوسف", "yousef"),
    ("کوروش", "kourosh"), ("داریوش", "dariush"), ("اکبر", "akbar"), ("عباس", "abbas"),
]  # fmt: skip
_FA_FEMALE = [
    ("فاطمه", "fatemeh"), ("زهرا", "zahra"), ("مریم", "maryam"), ("سارا", "sara"),
    ("نرگس", "narges"), ("لیلا", "leila"), ("نازنین", "nazanin"), ("الهام", "elham"),
    ("مهسا", "mahsa"), ("شیرین", "shirin"), ("پریسا", "parisa"), ("سمیه", "somayeh"),
    ("کیمیا", "kimia"), ("یگانه", "yeganeh"), ("آیدا", "aida"), ("ریحانه", "reyhaneh"),
    ("فرشته", "fereshteh"), ("نیلوفر", "niloufar"), ("هستی", "hasti"), ("ترانه", "taraneh"),
    ("مینا", "mina"), ("آزاده", "azadeh"), ("فاطمه‌زهرا", "fatemehzahra"), ("رؤیا", "roya"),
    ("ژاله", "zhaleh"), ("کتایون", "katayoun"),
]  # fmt: skip
_FA_FAMILY = [
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
    ("دهقان", "dehghan"), ("آقایی", "aghaei"), ("مؤمنی", "momeni"),
]  # fmt: skip
# Names people write joined, with a ZWNJ or with a space: all three are the same person.
_COMPOUNDS = {
    "امیرحسین": ("امیر", "حسین"), "محمدرضا": ("محمد", "رضا"), "علی‌رضا": ("علی", "رضا"),
    "فاطمه‌زهرا": ("فاطمه", "زهرا"), "نیک‌نام": ("نیک", "نام"), "حسین‌زاده": ("حسین", "زاده"),
    "علی‌پور": ("علی", "پور"), "محمدی‌نژاد": ("محمدی", "نژاد"),
}  # fmt: skip
_EN_GIVEN = [
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Susan", "Richard", "Jessica", "Thomas", "Sarah", "Daniel", "Emma",
    "Oliver", "Charlotte", "George", "Amelia", "Henry", "Olivia", "Lucas", "Sophie",
]  # fmt: skip
_EN_FAMILY = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor",
    "Clarke", "Walker", "Wright", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall",
    "Wood", "Harris", "Martin", "Cooper", "King", "Baker",
]  # fmt: skip

# (city, province, landline area code, team key)
_FA_CITIES = [
    ("تهران", "تهران", "21", "tehran"), ("کرج", "البرز", "26", "tehran"),
    ("قم", "قم", "25", "tehran"), ("رشت", "گیلان", "13", "tehran"),
    ("تبریز", "آذربایجان شرقی", "41", "tehran"), ("مشهد", "خراسان رضوی", "51", "tehran"),
    ("شیراز", "فارس", "71", "shiraz"), ("اصفهان", "اصفهان", "31", "shiraz"),
    ("بوشهر", "بوشهر", "77", "shiraz"), ("کرمان", "کرمان", "34", "shiraz"),
    ("یزد", "یزد", "35", "shiraz"), ("اهواز", "خوزستان", "61", "shiraz"),
]  # fmt: skip
_CITY_WEIGHTS = [30, 6, 3, 3, 4, 5, 20, 8, 2, 3, 3, 3]
_FA_STREETS = [
    "ولیعصر", "انقلاب", "آزادی", "شریعتی", "مطهری", "فردوسی", "حافظ", "زند", "چمران",
    "بهشتی", "کریمخان زند", "ملاصدرا", "سعدی", "طالقانی", "امام خمینی",
]  # fmt: skip
_MOBILE_PREFIXES = [
    "912", "919", "935", "936", "937", "938", "939", "990", "991", "901", "902", "903",
    "930", "933", "921", "922", "917", "911", "913", "914", "915",
]  # fmt: skip

_STAGES = [("lead", 30), ("prospect", 20), ("customer", 30), ("repeat_customer", 12), ("lapsed", 8)]
_FA_SOURCES = ["وب‌سایت", "معرفی مشتریان", "نمایشگاه", "اینستاگرام", "تماس تلفنی", "تبلیغات"]
_EN_SOURCES = ["Website", "Referral", "Trade show", "LinkedIn", "Google Ads"]
_FA_NOTES = [
    "به محصولات ارگانیک علاقه دارد.",
    "ترجیح می‌دهد عصرها با او تماس گرفته شود.",
    "برای خرید عمده پیش‌فاکتور خواسته است.",
    "از تأخیر در ارسال سفارش قبلی گله داشت.",
]
_EN_NOTES = ["Prefers email follow-ups.", "Asked for a quote for 50 seats.", "Met at the expo."]

_FA_ORG_KINDS = ["شرکت", "گروه صنعتی", "بازرگانی", "صنایع غذایی", "هلدینگ", "فروشگاه‌های زنجیره‌ای"]
_FA_ORG_STEMS = [
    ("آوا", "aava"), ("نگین", "negin"), ("پارسه", "parseh"), ("آریا", "arya"),
    ("مهرگان", "mehregan"), ("سپهر", "sepehr"), ("کوثر", "kowsar"), ("البرز", "alborz"),
    ("زاگرس", "zagros"), ("دماوند", "damavand"), ("آفتاب", "aftab"), ("ستاره", "setareh"),
    ("فن‌آوران", "fanavaran"), ("تجارت نوین", "tejaratnovin"), ("ایده‌پردازان", "ideh"),
]  # fmt: skip
_FA_INDUSTRIES = ["مواد غذایی", "فناوری اطلاعات", "ساختمان", "پوشاک", "خودرو", "داروسازی"]
_EN_ORGS = [
    ("Northwind Traders", "northwind"), ("Contoso Ltd", "contoso"), ("Fabrikam Inc", "fabrikam"),
    ("Tailspin Toys", "tailspin"), ("Adventure Works", "adventureworks"),
    ("Wide World Importers", "wideworld"), ("Litware Inc", "litware"),
]  # fmt: skip
_EN_INDUSTRIES = ["Software", "Logistics", "Retail", "Manufacturing"]
_FA_TITLES = [
    "مدیرعامل", "مدیر فروش", "کارشناس خرید", "مدیر مالی", "حسابدار", "مدیر بازاریابی",
    "کارشناس فنی", "مدیر تدارکات",
]  # fmt: skip
_EN_TITLES = ["CEO", "Head of Procurement", "Sales Manager", "Finance Director", "IT Manager"]

VIP_LEVELS = ["برنزی", "نقره‌ای", "طلایی", "الماس"]
CUSTOM_FIELDS = (
    CustomFieldInput(entity="contact", key="vip_level", label="سطح VIP", field_type="choice",
                     choices=VIP_LEVELS),
    CustomFieldInput(entity="contact", key="customer_since", label="مشتری از", field_type="date"),
    CustomFieldInput(entity="contact", key="credit_limit", label="سقف اعتبار", field_type="money",
                     currency="IRR"),
)  # fmt: skip


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    team: str  # team key
    first_name: str
    last_name: str
    language: str


@dataclass
class DemoOrganization:
    name: str
    industry: str
    website: str
    email: str
    phone: str
    national_id: str
    team: str
    owner_slot: str
    address: AddressInput
    language: str


@dataclass
class DemoPerson:
    ref: int
    given_name: str
    family_name: str
    language: str
    country: str
    team: str
    owner_slot: str
    emails: list[tuple[str, str]] = field(default_factory=list)  # (email, kind)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (as typed, kind)
    e164: list[str] = field(default_factory=list)  # what the phones above should become
    address: AddressInput | None = None
    birth_date: dt.date | None = None
    national_id: str = ""
    lifecycle_stage: str = "lead"
    acquisition_source: str = ""
    preferred_channel: str = ""
    tags: list[str] = field(default_factory=list)
    consents: list[tuple[str, bool, str]] = field(default_factory=list)
    organization: int | None = None  # index into DemoData.organizations
    job_title: str = ""
    custom_fields: dict[str, object] = field(default_factory=dict)
    notes: str = ""
    duplicate_of: int | None = None  # ref of the person this one duplicates
    email_local: str = ""  # the name part of their emails, in Latin letters
    phone_parts: list[tuple[str, str]] = field(default_factory=list, repr=False)  # (cc, national)


@dataclass
class DemoData:
    seed: int
    teams: list[tuple[str, str]]
    users: list[DemoUser]
    organizations: list[DemoOrganization]
    people: list[DemoPerson]

    @property
    def duplicates(self) -> list[DemoPerson]:
        return [p for p in self.people if p.duplicate_of is not None]


def iranian_national_id(nine_digits: str) -> str:
    """Append the check digit to nine digits (the algorithm of common.identity)."""
    total = sum(int(nine_digits[i]) * (10 - i) for i in range(9))
    remainder = total % 11
    return nine_digits + str(remainder if remainder < 2 else 11 - remainder)


# --- how people type a phone number -----------------------------------------------------------
def _ir_mobile_formats(n: str) -> list[str]:
    spaced = f"{n[:3]} {n[3:6]} {n[6:]}"
    return [
        f"0{n}", f"0{spaced}", f"+98 {spaced}", f"+98{n}", f"0098{n}", to_persian_digits(f"0{n}"),
        f"0{n[:3]}-{n[3:6]}-{n[6:]}", n, to_persian_digits(f"0{spaced}"), f"(0{n[:3]}) {n[3:]}",
    ]  # fmt: skip


def _ir_landline_formats(n: str) -> list[str]:
    return [f"0{n[:2]}-{n[2:]}", f"+98 {n[:2]} {n[2:6]} {n[6:]}", to_persian_digits(f"0{n}")]


def _foreign_formats(cc: str, n: str) -> list[str]:
    if cc == "1":
        return [f"+1 {n[:3]} {n[3:6]} {n[6:]}", f"+1 ({n[:3]}) {n[3:6]}-{n[6:]}", f"001{n}"]
    return [f"+44 {n[:2]} {n[2:6]} {n[6:]}", f"+44{n}", f"0044 {n[:2]} {n[2:6]} {n[6:]}"]


def _phone_formats(cc: str, national: str, kind: str) -> list[str]:
    if cc != "98":
        return _foreign_formats(cc, national)
    return _ir_mobile_formats(national) if kind == "mobile" else _ir_landline_formats(national)


class _Generator:
    def __init__(self, size: int, seed: int):
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.next_ref = 0

    def digits(self, count: int, first: str = "0123456789") -> str:
        rng = self.rng
        return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(count - 1))

    def weighted(self, pairs):
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def owner_slot(self) -> str:
        return self.weighted(_OWNER_SLOTS)

    def add_phone(self, person: DemoPerson, cc: str, national: str, kind: str) -> None:
        person.phone_parts.append((cc, national))
        person.phones.append((self.rng.choice(_phone_formats(cc, national, kind)), kind))
        person.e164.append(f"+{cc}{national}")

    # --- users and organisations --------------------------------------------------------------
    def users(self) -> list[DemoUser]:
        result = []
        for key, _name, language in TEAMS:
            for (slot, role), (first, last) in zip(_STAFF_SLOTS, _TEAM_STAFF[key], strict=True):
                result.append(DemoUser(f"{key}_{slot}", role, key, first, last, language))
        return result

    def organizations(self) -> list[DemoOrganization]:
        rng = self.rng
        count = max(3, self.size // 10)
        result, used = [], set()
        for _ in range(count):
            if rng.random() < 0.75:
                kind, (stem, slug) = rng.choice(_FA_ORG_KINDS), rng.choice(_FA_ORG_STEMS)
                name, language = f"{kind} {stem}", "fa"
                city, province, area, team = rng.choices(_FA_CITIES, _CITY_WEIGHTS)[0]
                address = AddressInput(
                    line=f"خیابان {rng.choice(_FA_STREETS)}، پلاک {rng.randint(1, 300)}",
                    city=city, province=province, postal_code=self.digits(10, "13456789"),
                    kind="work",
                )  # fmt: skip
                phone = f"0{area}-{self.digits(8, '2345678')}"
                industry = rng.choice(_FA_INDUSTRIES)
                if rng.random() < 0.3:
                    team = "enterprise"
            else:
                (name, slug), language, team = rng.choice(_EN_ORGS), "en", "enterprise"
                address = AddressInput(
                    line=f"{rng.randint(1, 200)} Example Road", city="London",
                    postal_code="EC1A 1BB", country="GB", kind="work",
                )  # fmt: skip
                phone = f"+44 20 7946 0{rng.randint(0, 999):03d}"
                industry = rng.choice(_EN_INDUSTRIES)
            if name in used:
                continue
            used.add(name)
            if slug in used:  # another kind of company with the same stem
                slug = f"{slug}{len(result)}"
            used.add(slug)
            result.append(
                DemoOrganization(
                    name=name, industry=industry, website=f"https://www.{slug}.example",
                    email=f"info@{slug}.example", phone=phone,
                    national_id=("10" + self.digits(9)) if rng.random() < 0.5 else "",
                    team=team, owner_slot=self.owner_slot(), address=address, language=language,
                )
            )  # fmt: skip
        return result

    # --- people -------------------------------------------------------------------------------
    def person(self, organizations: list[DemoOrganization]) -> DemoPerson:
        rng = self.rng
        self.next_ref += 1
        persian = rng.random() >= 0.25
        person = self._persian() if persian else self._english()
        stage = self.weighted(_STAGES)
        person.lifecycle_stage = stage
        person.acquisition_source = rng.choice(_FA_SOURCES if persian else _EN_SOURCES)
        person.preferred_channel = rng.choice(["", "email", "sms", "phone"])
        if rng.random() < 0.7:
            person.birth_date = dt.date(
                rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28)
            )
        self._membership(person, organizations)
        self._tags_consents_custom(person)
        if rng.random() < 0.2:
            person.notes = rng.choice(_FA_NOTES if persian else _EN_NOTES)
        return person

    def _persian(self) -> DemoPerson:
        rng = self.rng
        given, given_latin = rng.choice(_FA_MALE if rng.random() < 0.5 else _FA_FEMALE)
        family, family_latin = rng.choice(_FA_FAMILY)
        city, province, area, team = rng.choices(_FA_CITIES, _CITY_WEIGHTS)[0]
        if rng.random() < 0.15:
            team = "enterprise"
        person = DemoPerson(
            ref=self.next_ref, given_name=given, family_name=family, language="fa",
            country="IR", team=team, owner_slot=self.owner_slot(),
            email_local=f"{given_latin}.{family_latin}",
        )  # fmt: skip
        if rng.random() < 0.95:
            self.add_phone(person, "98", rng.choice(_MOBILE_PREFIXES) + self.digits(7), "mobile")
        if rng.random() < 0.2 or not person.phones:
            self.add_phone(person, "98", area + self.digits(8, "2345678"), "home")
        if rng.random() < 0.8:
            number = rng.choice(["", "", str(rng.randint(1, 99))])
            domain = rng.choice(["example.com", "example.org", "example.net"])
            person.emails.append((f"{person.email_local}{number}@{domain}", "personal"))
        if rng.random() < 0.4:
            national_id = iranian_national_id(self.digits(9))
            person.national_id = (
                to_persian_digits(national_id) if rng.random() < 0.3 else national_id
            )
        alley = rng.randint(1, 40)
        plate = rng.randint(1, 250)
        line = f"خیابان {rng.choice(_FA_STREETS)}، کوچه {alley}، پلاک {plate}"
        if rng.random() < 0.5:
            line = to_persian_digits(line)
        person.address = AddressInput(
            line=line, city=city, province=province, postal_code=self.digits(10, "13456789")
        )
        return person

    def _english(self) -> DemoPerson:
        rng = self.rng
        given, family = rng.choice(_EN_GIVEN), rng.choice(_EN_FAMILY)
        home = self.weighted([("GB", 4), ("US", 3), ("IR", 3)])
        team = "enterprise" if rng.random() < 0.7 else "tehran"
        person = DemoPerson(
            ref=self.next_ref, given_name=given, family_name=family, language="en",
            country=home, team=team, owner_slot=self.owner_slot(),
            email_local=f"{given.lower()}.{family.lower()}",
        )  # fmt: skip
        if home == "GB":
            self.add_phone(person, "44", f"2079460{rng.randint(0, 999):03d}", "work")
            person.address = AddressInput(
                line=f"{rng.randint(1, 120)} High Street", city="London", postal_code="SW1A 1AA",
                country="GB",
            )  # fmt: skip
        elif home == "US":
            area = rng.choice(["415", "212", "617"])
            self.add_phone(person, "1", f"{area}5550{rng.randint(100, 199)}", "mobile")
            person.address = AddressInput(
                line=f"{rng.randint(100, 999)} Market Street", city="San Francisco",
                province="CA", postal_code="94105", country="US",
            )  # fmt: skip
        else:
            self.add_phone(person, "98", rng.choice(_MOBILE_PREFIXES) + self.digits(7), "mobile")
        domain = rng.choice(["example.com", "example.org", "example.net"])
        person.emails.append((f"{person.email_local}@{domain}", "personal"))
        return person

    def _membership(self, person: DemoPerson, organizations: list[DemoOrganization]) -> None:
        rng = self.rng
        candidates = [i for i, o in enumerate(organizations) if o.language == person.language]
        if not candidates or rng.random() >= 0.45:
            return
        index = rng.choice(candidates)
        person.organization = index
        person.job_title = rng.choice(_FA_TITLES if person.language == "fa" else _EN_TITLES)
        slug = organizations[index].email.split("@", 1)[1]
        person.emails.append((f"{person.email_local}@{slug}", "work"))
        if rng.random() < 0.3:
            person.custom_fields["credit_limit"] = str(rng.randint(5, 500) * 10_000_000)

    def _tags_consents_custom(self, person: DemoPerson) -> None:
        rng = self.rng
        stage, fa = person.lifecycle_stage, person.language == "fa"
        vip = rng.random() < (0.35 if stage == "repeat_customer" else 0.08)
        if vip:
            person.tags.append("VIP")
            person.custom_fields["vip_level"] = rng.choice(VIP_LEVELS)
        if stage == "repeat_customer":
            person.tags.append("مشتری وفادار" if fa else "loyal")
        if rng.random() < 0.08:
            person.tags.append("عمده‌فروش" if fa else "wholesale")
        if person.acquisition_source == "نمایشگاه":
            person.tags.append("نمایشگاه ۱۴۰۳")
        if stage in ("customer", "repeat_customer", "lapsed"):
            person.custom_fields["customer_since"] = dt.date(
                rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28)
            )
        source = "فرم وب‌سایت" if fa else "web form"
        if person.emails and rng.random() < 0.7:
            granted = rng.random() < 0.8
            person.consents.append(("email", granted, source))
            if granted and rng.random() < 0.4:
                person.tags.append("خبرنامه" if fa else "newsletter")
        if person.phones and rng.random() < 0.6:
            person.consents.append(("sms", rng.random() < 0.7, source))

    # --- near-duplicates ----------------------------------------------------------------------
    def duplicate(self, original: DemoPerson) -> DemoPerson:
        """The same person entered again by someone else: names, phone and email typed anew."""
        rng = self.rng
        self.next_ref += 1
        given, family = self._mutate_names(original)
        sources = _FA_SOURCES if original.language == "fa" else _EN_SOURCES
        dup = DemoPerson(
            ref=self.next_ref, given_name=given, family_name=family, language=original.language,
            country=original.country, team=rng.choice(TEAMS)[0], owner_slot=self.owner_slot(),
            duplicate_of=original.ref, lifecycle_stage="lead", email_local=original.email_local,
            acquisition_source=rng.choice(sources),
        )  # fmt: skip
        for (cc, national), (typed, kind) in zip(
            original.phone_parts, original.phones, strict=True
        ):
            others = [f for f in _phone_formats(cc, national, kind) if f != typed]
            dup.phone_parts.append((cc, national))
            dup.phones.append((rng.choice(others or [typed]), kind))
            dup.e164.append(f"+{cc}{national}")
        if original.emails:
            email = original.emails[0][0]
            dup.emails.append((email.upper() if rng.random() < 0.3 else email, "personal"))
        if original.national_id and rng.random() < 0.5:
            dup.national_id = original.national_id
        dup.birth_date = original.birth_date
        return dup

    def _mutate_names(self, person: DemoPerson) -> tuple[str, str]:
        rng = self.rng
        given, family = person.given_name, person.family_name
        if person.language == "en":
            kind = rng.choice(["typo", "case"])
            if kind == "case":
                return given.lower(), family
            return given, self._typo(family)
        options = ["typo"]
        if any(ch in given + family for ch in "یک"):
            options.append("arabic")
        if given in _COMPOUNDS or family in _COMPOUNDS:
            options += ["spacing", "spacing"]  # rarer names: give them a better chance
        kind = rng.choice(options)
        if kind == "arabic":
            to_arabic = str.maketrans({"ی": "ي", "ک": "ك"})
            return given.translate(to_arabic), family.translate(to_arabic)
        if kind == "spacing":
            if given in _COMPOUNDS:
                return self._respace(given), family
            return given, self._respace(family)
        return given, self._typo(family)

    def _respace(self, name: str) -> str:
        first, second = _COMPOUNDS[name]
        variants = [f"{first}{second}", f"{first}{ZWNJ}{second}", f"{first} {second}"]
        return self.rng.choice([v for v in variants if v != name])

    def _typo(self, name: str) -> str:
        """Swap two neighbouring letters, drop one or double one (always a different name)."""
        rng = self.rng
        letters = [i for i, ch in enumerate(name) if ch.isalpha()]
        for _ in range(10):
            i = rng.choice(letters[:-1]) if len(letters) > 1 else letters[0]
            kind = rng.choice(["swap", "drop", "double"])
            if kind == "swap" and i + 1 < len(name):
                typo = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
            elif kind == "drop" and len(letters) > 3:
                typo = name[:i] + name[i + 1 :]
            else:
                typo = name[: i + 1] + name[i] + name[i + 1 :]
            if typo != name:
                return typo
        return name + name[-1]


def generate_demo_data(*, size: int = 200, seed: int = 0) -> DemoData:
    """Specs for ``size`` people (about 5% of them near-duplicates) and their organisations."""
    generator = _Generator(size, seed)
    organizations = generator.organizations()
    duplicate_count = round(size * 0.05)
    originals = [generator.person(organizations) for _ in range(size - duplicate_count)]
    people = list(originals)
    rng = generator.rng
    for _ in range(duplicate_count):
        original = rng.choice(originals[: max(1, int(len(originals) * 0.8))])
        position = people.index(original)
        people.insert(rng.randint(position + 1, len(people)), generator.duplicate(original))
    return DemoData(
        seed=seed,
        teams=[(key, name) for key, name, _language in TEAMS],
        users=generator.users(),
        organizations=organizations,
        people=people,
    )


# --- loading through the services -----------------------------------------------------------
@dataclass
class DemoResult:
    teams_created: list[str] = field(default_factory=list)
    users_created: list[tuple[DemoUser, str]] = field(default_factory=list)  # (user, password)
    custom_fields_created: list[str] = field(default_factory=list)
    organizations: int = 0
    contacts: int = 0
    duplicates: int = 0
    seconds: float = 0.0


def _contact_input(
    person: DemoPerson, owner: str | None, team: int | None, org_ids: list[str], fields: set[str]
) -> ContactInput:
    address = [person.address] if person.address else []
    memberships = []
    if person.organization is not None:
        memberships = [MembershipInput(org_ids[person.organization], job_title=person.job_title)]
    return ContactInput(
        given_name=person.given_name,
        family_name=person.family_name,
        emails=[EmailInput(email, kind) for email, kind in person.emails],
        phones=[PhoneInput(number, kind) for number, kind in person.phones],
        addresses=address,
        birth_date=person.birth_date,
        national_id=person.national_id,
        country=person.country,
        preferred_language=person.language,
        preferred_channel=person.preferred_channel,
        consents=[ConsentInput(c, granted, source) for c, granted, source in person.consents],
        lifecycle_stage=person.lifecycle_stage,
        acquisition_source=person.acquisition_source,
        owner=owner,
        team=team,
        tags=person.tags,
        notes=person.notes,
        organizations=memberships,
        custom_fields={k: v for k, v in person.custom_fields.items() if k in fields},
    )


@transaction.atomic
def load_demo_data(
    *, actor: User, data: DemoData, progress: Callable[[int, int], None] | None = None
) -> DemoResult:
    """Write ``data`` as ``actor`` (an admin): missing teams, users and custom fields first.

    All or nothing (one transaction). ``progress(done, total)`` is called after each contact.
    Side effects: those of team_create, user_create, custom_field_create, organization_create
    and contact_create.
    """
    started = time.perf_counter()
    result = DemoResult()
    teams = {t.name: t for t in team_list(actor=actor)}
    team_ids = {}
    for key, name in data.teams:
        if name not in teams:
            teams[name] = team_create(actor=actor, name=name)
            result.teams_created.append(name)
        team_ids[key] = teams[name].pk
    existing_users = {u.username: u for u in user_list(actor=actor)}
    for spec in data.users:
        if spec.username in existing_users:
            continue
        password = generate_password()
        existing_users[spec.username] = user_create(
            actor=actor, username=spec.username, password=password, role=spec.role,
            first_name=spec.first_name, last_name=spec.last_name, language=spec.language,
            email=f"{spec.username}@demo.example", teams=[teams[_team_name(data, spec.team)]],
        )  # fmt: skip
        result.users_created.append((spec, password))
    active = {name for name, user in existing_users.items() if user.is_active}

    def owner_for(team_key: str, slot: str) -> str:
        username = f"{team_key}_{slot}"
        return username if username in active else actor.username

    known = {d.key: d for d in custom_field_definition_list(actor=actor, entity="contact")}
    for spec in CUSTOM_FIELDS:
        if spec.key not in known:
            known[spec.key] = custom_field_create(actor=actor, data=spec)
            result.custom_fields_created.append(spec.key)
    usable = {
        spec.key for spec in CUSTOM_FIELDS
        if known[spec.key].field_type == spec.field_type and known[spec.key].is_active
        and (spec.field_type != "choice" or set(VIP_LEVELS) <= set(known[spec.key].choices))
    }  # fmt: skip

    org_ids = []
    for org in data.organizations:
        created = organization_create(
            actor=actor,
            data=OrganizationInput(
                name=org.name, industry=org.industry, website=org.website, email=org.email,
                phone=org.phone, national_id=org.national_id, addresses=[org.address],
                owner=owner_for(org.team, org.owner_slot), team=team_ids[org.team],
            ),
        )  # fmt: skip
        org_ids.append(created.public_id)
    result.organizations = len(org_ids)

    total = len(data.people)
    for done, person in enumerate(data.people, start=1):
        owner = owner_for(person.team, person.owner_slot)
        contact_create(
            actor=actor,
            data=_contact_input(person, owner, team_ids[person.team], org_ids, usable),
        )
        if progress is not None:
            progress(done, total)
    result.contacts = total
    result.duplicates = len(data.duplicates)
    result.seconds = time.perf_counter() - started
    return result


def _team_name(data: DemoData, key: str) -> str:
    return dict(data.teams)[key]
