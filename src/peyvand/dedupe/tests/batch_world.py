"""A generated contact set with planted duplicates, for the batch detection tests.

``generate_world(seed)`` makes 270 distinct people — among them namesakes (the same name, no
other value in common) and household members (the same family name and home phone, another
given name) — and 30 duplicates of 30 of them, three of each kind in ``KINDS``: Arabic letters
and national phone formats, Latin transliterations, ZWNJ/space variants, typos, swapped
names, a changed phone with the same national ID, a record with only name, birth date and city.

Every person is a plain dict of raw values as a user would type them; ``to_record`` turns one
into a ``ContactRecord`` the way the services would store it, ``create_world`` saves them all
through ``contact_create``.
"""

import datetime as dt
import random

from peyvand.common.persian import normalize_text
from peyvand.common.phones import phone_to_e164
from peyvand.dedupe.batch.features import ContactRecord

GIVEN = [
    ("علی", "Ali"), ("محمد", "Mohammad"), ("حسین", "Hossein"), ("رضا", "Reza"),
    ("مهدی", "Mahdi"), ("فاطمه", "Fatemeh"), ("زهرا", "Zahra"), ("مریم", "Maryam"),
    ("سارا", "Sara"), ("نرگس", "Narges"), ("الهام", "Elham"), ("سمیرا", "Samira"),
    ("پریسا", "Parisa"), ("کامران", "Kamran"), ("بهرام", "Bahram"), ("سعید", "Saeed"),
    ("مجید", "Majid"), ("حمید", "Hamid"), ("نیلوفر", "Niloofar"), ("شیرین", "Shirin"),
    ("یاسمن", "Yasaman"), ("کیوان", "Keyvan"), ("آرش", "Arash"), ("بابک", "Babak"),
    ("داریوش", "Dariush"), ("فرهاد", "Farhad"), ("لیلا", "Leila"), ("مینا", "Mina"),
    ("کیمیا", "Kimia"), ("یوسف", "Yousef"),
]  # fmt: skip
COMPOUND_GIVEN = [
    (("محمد", "رضا"), "Mohammadreza"), (("امیر", "حسین"), "Amirhossein"),
    (("علی", "رضا"), "Alireza"), (("محمد", "علی"), "Mohammadali"),
]  # fmt: skip
FAMILY = [
    ("رضایی", "Rezaei"), ("احمدی", "Ahmadi"), ("محمدی", "Mohammadi"), ("حسینی", "Hosseini"),
    ("کریمی", "Karimi"), ("موسوی", "Mousavi"), ("جعفری", "Jafari"), ("قاسمی", "Ghasemi"),
    ("صادقی", "Sadeghi"), ("رحیمی", "Rahimi"), ("عباسی", "Abbasi"), ("نوری", "Nouri"),
    ("کاظمی", "Kazemi"), ("زارعی", "Zarei"), ("هاشمی", "Hashemi"), ("طاهری", "Taheri"),
    ("شریفی", "Sharifi"), ("ملکی", "Maleki"), ("یوسفی", "Yousefi"), ("اکبری", "Akbari"),
    ("فرهادی", "Farhadi"), ("نجفی", "Najafi"), ("امینی", "Amini"), ("باقری", "Bagheri"),
    ("سلیمانی", "Soleimani"), ("عزیزی", "Azizi"), ("مرادی", "Moradi"), ("کامرانی", "Kamrani"),
    ("یزدانی", "Yazdani"), ("کیانی", "Kiani"),
]  # fmt: skip
CITIES = [
    ("تهران", "Tehran"), ("اصفهان", "Esfahan"), ("شیراز", "Shiraz"), ("مشهد", "Mashhad"),
    ("تبریز", "Tabriz"), ("کرج", "Karaj"), ("رشت", "Rasht"), ("کرمان", "Kerman"),
]  # fmt: skip
DOMAINS = ["gmail.com", "yahoo.com", "chmail.ir", "outlook.com", "peyvand-example.ir"]
KINDS = [
    "arabic_letters",
    "latin",
    "zwnj_and_space",
    "family_typo",
    "given_typo",
    "name_date_city",
    "swapped",
    "latin_email",
    "national_id",
    "tatweel_and_spaces",
]
PEOPLE = 270
DUPLICATES_PER_KIND = 3
NAMESAKES = 6
HOUSEHOLDS = 6
_TYPO_LETTERS = "بتسشنمکلر"
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def national_id(rng: random.Random) -> str:
    """A random Iranian national ID with a valid check digit."""
    while True:
        body = [rng.randrange(10) for _ in range(9)]
        remainder = sum(d * (10 - i) for i, d in enumerate(body)) % 11
        code = "".join(map(str, body)) + str(remainder if remainder < 2 else 11 - remainder)
        if len(set(code)) > 1:
            return code


class _Unique:
    def __init__(self, rng: random.Random):
        self.rng, self.seen = rng, set()

    def mobile(self) -> str:
        while True:
            number = "0912" + "".join(str(self.rng.randrange(10)) for _ in range(7))
            if number not in self.seen:
                self.seen.add(number)
                return number

    def landline(self) -> str:
        while True:
            number = "021" + "".join(str(self.rng.randrange(10)) for _ in range(8))
            if number[3] != "0" and number not in self.seen:
                self.seen.add(number)
                return number

    def email(self, latin_given: str, latin_family: str) -> str:
        """A mailbox name nobody else uses, at any domain."""
        tries = 0
        while True:
            tries += 1
            suffix = ""
            if tries > 1 or self.rng.random() < 0.5:
                digits = 10 ** (2 + tries // 4)  # longer numbers once short ones run out
                suffix = str(self.rng.randrange(digits // 10, digits))
            local = f"{latin_given}.{latin_family}{suffix}".lower()
            if local not in self.seen:
                self.seen.add(local)
                return f"{local}@{self.rng.choice(DOMAINS)}"

    def national_id(self) -> str:
        while True:
            code = national_id(self.rng)
            if code not in self.seen:
                self.seen.add(code)
                return code


def _person(rng: random.Random, unique: _Unique, number: int) -> dict:
    given, latin_given = rng.choice(GIVEN)
    family, latin_family = rng.choice(FAMILY)
    city, latin_city = rng.choice(CITIES)
    return {
        "person": number,
        "given": given,
        "family": family,
        "latin": (latin_given, latin_family),
        "phones": [unique.mobile()],
        "emails": [unique.email(latin_given, latin_family)] if rng.random() < 0.6 else [],
        "birth_date": (
            dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20_000))
            if rng.random() < 0.6
            else None
        ),
        "national_id": unique.national_id() if rng.random() < 0.3 else "",
        "city": city if rng.random() < 0.6 else "",
        "latin_city": latin_city,
    }


def _typo(rng: random.Random, word: str) -> str:
    """One letter of the middle of ``word`` replaced by another (never the first)."""
    position = rng.randrange(1, len(word) - 1)
    letter = rng.choice([c for c in _TYPO_LETTERS if c != word[position]])
    return word[:position] + letter + word[position + 1 :]


def _arabic(text: str) -> str:
    return text.replace("ی", "ي").replace("ک", "ك")


def _duplicate(rng: random.Random, unique: _Unique, base: dict, kind: str) -> dict:
    dup = {
        **base,
        "phones": list(base["phones"]),
        "emails": list(base["emails"]),
        "kind": kind,
    }
    latin_given, latin_family = base["latin"]
    mobile = base["phones"][0]
    if kind == "arabic_letters":
        dup["given"], dup["family"] = _arabic(base["given"]), _arabic(base["family"])
        dup["phones"] = [f"{mobile[:4]} {mobile[4:7]} {mobile[7:]}".translate(_PERSIAN_DIGITS)]
    elif kind == "latin":
        dup.update(given=latin_given, family=latin_family, emails=[], birth_date=None)
        dup["phones"], dup["city"] = ["+98 " + mobile[1:]], base["latin_city"]
    elif kind == "zwnj_and_space":
        first, second = base["compound"]
        dup["given"] = first + rng.choice(["\u200c", " "]) + second
        dup["phones"] = []
    elif kind == "family_typo":
        dup["family"], dup["emails"] = _typo(rng, base["family"]), []
    elif kind == "given_typo":
        dup["given"], dup["phones"] = _typo(rng, base["given"]), [unique.mobile()]
    elif kind == "name_date_city":
        dup.update(phones=[], emails=[], national_id="")
    elif kind == "swapped":
        dup["given"], dup["family"], dup["emails"] = base["family"], base["given"], []
    elif kind == "latin_email":
        dup.update(given=latin_given, family=latin_family, phones=[], city="")
        dup["emails"] = [e.upper() for e in base["emails"]]
    elif kind == "national_id":
        dup.update(phones=[unique.mobile()], emails=[], city="")
    elif kind == "tatweel_and_spaces":
        dup["given"] = "  " + base["given"][0] + "\u0640" + base["given"][1:] + " "
        dup["family"] = base["family"] + "  "
    return dup


def _prepare_base(rng: random.Random, unique: _Unique, base: dict, kind: str) -> None:
    """Give a person what a duplicate kind needs (an email, a compound name, a birth date…)."""
    latin_given, latin_family = base["latin"]
    if kind in {"latin_email", "given_typo"} and not base["emails"]:
        base["emails"] = [unique.email(latin_given, latin_family)]
    if kind == "zwnj_and_space":
        (first, second), latin = rng.choice(COMPOUND_GIVEN)
        base["given"], base["compound"] = first + second, (first, second)
        base["latin"] = (latin, latin_family)
        base["emails"] = base["emails"] or [unique.email(latin, latin_family)]
    if kind == "name_date_city":
        base["birth_date"] = base["birth_date"] or dt.date(1980, 1, 1) + dt.timedelta(
            days=rng.randrange(7000)
        )
        base["city"] = base["city"] or rng.choice(CITIES)[0]
    if kind == "national_id":
        base["national_id"] = base["national_id"] or unique.national_id()


def generate_world(
    seed: int = 7, *, people_count: int = PEOPLE, per_kind: int = DUPLICATES_PER_KIND
) -> tuple[list[dict], set[tuple[int, int]]]:
    """(people, true duplicate pairs as (index, index) into ``people``)."""
    rng = random.Random(seed)
    unique = _Unique(rng)
    people = [_person(rng, unique, n) for n in range(people_count)]
    chosen = rng.sample(range(people_count), len(KINDS) * per_kind + NAMESAKES + HOUSEHOLDS)
    bases = chosen[: len(KINDS) * per_kind]
    for index, model in zip(chosen[len(bases) : len(bases) + NAMESAKES], bases, strict=False):
        # a namesake: the same name as someone who has a duplicate, nothing else in common
        people[index].update(given=people[model]["given"], family=people[model]["family"])
        people[index]["latin"] = people[model]["latin"]
    for index, model in zip(chosen[len(bases) + NAMESAKES :], bases[::-1], strict=False):
        # a household member: the same family name and home phone, another given name
        landline = unique.landline()
        people[model]["phones"].append(landline)
        people[index]["phones"] = [landline]
        people[index]["family"] = people[model]["family"]
        others = [g for g in GIVEN if g[0] != people[model]["given"]]
        people[index]["given"], latin_given = rng.choice(others)
        people[index]["latin"] = (latin_given, people[model]["latin"][1])
        people[index]["emails"] = []
        people[index]["national_id"] = ""
    truth = set()
    for number, base_index in enumerate(bases):
        kind = KINDS[number % len(KINDS)]
        _prepare_base(rng, unique, people[base_index], kind)
    for number, base_index in enumerate(bases):
        kind = KINDS[number % len(KINDS)]
        people.append(_duplicate(rng, unique, people[base_index], kind))
        truth.add((base_index, len(people) - 1))
    return people, truth


def to_record(person: dict, record_id: int) -> ContactRecord:
    """The person as the services would store it (normalised text, E.164 phones)."""
    return ContactRecord(
        id=record_id,
        given_name=normalize_text(person["given"]),
        family_name=normalize_text(person["family"]),
        display_name=normalize_text(f"{person['given']} {person['family']}"),
        emails=[e.lower() for e in person["emails"]],
        phones=[phone_to_e164(p, region="IR") for p in person["phones"]],
        birth_date=person["birth_date"].isoformat() if person["birth_date"] else "",
        national_id=person["national_id"],
        city=normalize_text(person["city"]),
    )


def create_world(actor, people: list[dict]) -> list[int]:
    """Save every person through ``contact_create``; their contact ids, in order."""
    from peyvand.customers.services import (
        AddressInput,
        ContactInput,
        EmailInput,
        PhoneInput,
        contact_create,
    )

    ids = []
    for person in people:
        contact = contact_create(
            actor=actor,
            data=ContactInput(
                given_name=person["given"],
                family_name=person["family"],
                emails=[EmailInput(e) for e in person["emails"]],
                phones=[PhoneInput(p) for p in person["phones"]],
                birth_date=person["birth_date"],
                national_id=person["national_id"],
                addresses=([AddressInput(line="-", city=person["city"])] if person["city"] else []),
            ),
        )
        ids.append(contact.pk)
    return ids


def precision_recall(
    found: set[tuple[int, int]], truth: set[tuple[int, int]]
) -> tuple[float, float]:
    hits = len(found & truth)
    return (hits / len(found) if found else 0.0), (hits / len(truth) if truth else 1.0)
