"""Iranian landline area codes (پیش‌شماره) → province, for all 31 provinces.

A fixed-line number's first two national digits name its province (+98 21 … is Tehran, 031 …
Isfahan). Mobile numbers (+98 9…) carry no place. The table is data, kept here once; Persian
names are the official ones, English names the usual transliteration.
"""

from dataclasses import dataclass

import phonenumbers

from peyvand.common.phones import parse_phone


@dataclass(frozen=True)
class Province:
    code: str  # the two-digit area code without the trunk 0
    name_fa: str
    name_en: str

    def name(self, language: str) -> str:
        return self.name_fa if language == "fa" else self.name_en


PROVINCES: tuple[Province, ...] = (
    Province("21", "تهران", "Tehran"),
    Province("26", "البرز", "Alborz"),
    Province("25", "قم", "Qom"),
    Province("86", "مرکزی", "Markazi"),
    Province("28", "قزوین", "Qazvin"),
    Province("24", "زنجان", "Zanjan"),
    Province("23", "سمنان", "Semnan"),
    Province("31", "اصفهان", "Isfahan"),
    Province("35", "یزد", "Yazd"),
    Province("38", "چهارمحال و بختیاری", "Chaharmahal and Bakhtiari"),
    Province("34", "کرمان", "Kerman"),
    Province("51", "خراسان رضوی", "Razavi Khorasan"),
    Province("56", "خراسان جنوبی", "South Khorasan"),
    Province("58", "خراسان شمالی", "North Khorasan"),
    Province("54", "سیستان و بلوچستان", "Sistan and Baluchestan"),
    Province("71", "فارس", "Fars"),
    Province("76", "هرمزگان", "Hormozgan"),
    Province("77", "بوشهر", "Bushehr"),
    Province("74", "کهگیلویه و بویراحمد", "Kohgiluyeh and Boyer-Ahmad"),
    Province("61", "خوزستان", "Khuzestan"),
    Province("66", "لرستان", "Lorestan"),
    Province("84", "ایلام", "Ilam"),
    Province("83", "کرمانشاه", "Kermanshah"),
    Province("87", "کردستان", "Kurdistan"),
    Province("81", "همدان", "Hamadan"),
    Province("41", "آذربایجان شرقی", "East Azerbaijan"),
    Province("44", "آذربایجان غربی", "West Azerbaijan"),
    Province("45", "اردبیل", "Ardabil"),
    Province("13", "گیلان", "Gilan"),
    Province("11", "مازندران", "Mazandaran"),
    Province("17", "گلستان", "Golestan"),
)
BY_AREA_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}

_FIXED = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def province_for_phone(raw: str) -> Province | None:
    """The province of an Iranian landline (any format: 021…, +98 21…, Persian digits);
    None for a mobile, a foreign number or an unknown area code."""
    number = parse_phone(raw, region="IR")
    if number is None or number.country_code != 98:
        return None
    if phonenumbers.number_type(number) not in _FIXED:
        return None
    return BY_AREA_CODE.get(str(number.national_number)[:2])
