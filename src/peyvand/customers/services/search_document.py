"""Build the matching document a record is found by (see selectors.search).

A document is its terms (name words, emails, phones…) separated by spaces, then, when a name
has several words, ``RUNS_MARK`` and the name's *runs*: the words from each word to the end
written together («علی رضا محمدی» → «علیرضامحمدی», «رضامحمدی»), so a query typed without
spaces finds the name. A query word may match inside a term but only at the start of a run
(``selectors.search._in_one_word``): «کتای» must not find «شرکت ایده» through «شرکتایده».
"""

from peyvand.common.persian import search_key
from peyvand.customers.models import Contact, CustomFieldValue, Organization
from peyvand.customers.services.search_words import search_words_add, search_words_for_names

_SEARCHABLE_VALUE_TYPES = {"text", "long_text", "choice", "multi_choice", "email", "phone", "url"}


def phone_terms(e164: str) -> list[str]:
    """How a stored phone appears in a search document: E.164 digits and, for Iran, 0…."""
    digits = e164.lstrip("+")
    terms = [digits]
    if e164.startswith("+98") and len(digits) > 2:
        terms.append("0" + digits[2:])  # the national form Iranians type: 0912…
    return terms


RUNS_MARK = "\x1f"  # the ASCII unit separator: never in a search key, an email or a phone


def name_runs(key: str) -> list[str]:
    """The runs of a name's search key: its words from each word on, written together (none
    for a one-word name, whose word is a term of its own)."""
    words = key.split()
    return ["".join(words[i:]) for i in range(len(words) - 1)]


def document_text(terms: list[str], runs: list[str]) -> str:
    """The stored document: the distinct terms, then the runs after ``RUNS_MARK``."""
    text = " ".join(dict.fromkeys(t for t in terms if t))
    if runs:
        text = f"{text} {RUNS_MARK} {' '.join(dict.fromkeys(runs))}"
    return text


def _custom_terms(**owner) -> list[str]:
    values = CustomFieldValue.objects.filter(
        definition__field_type__in=_SEARCHABLE_VALUE_TYPES, **owner
    ).values_list("value_key", flat=True)
    return [v.strip("|").replace("|", " ") for v in values if v]


def contact_document(contact: Contact) -> str:
    names = " ".join(
        p for p in (contact.display_name, contact.given_name, contact.family_name) if p
    )
    parts = search_key(names).split()
    parts += [e.email.lower() for e in contact.emails.all()]
    for phone in contact.phones.all():
        parts += phone_terms(phone.number)
    if contact.national_id:
        parts.append(contact.national_id)
    parts += [
        search_key(m.organization.name) for m in contact.memberships.select_related("organization")
    ]
    parts += _custom_terms(contact=contact)
    return document_text(parts, name_runs(search_key(contact.display_name)))


def organization_document(organization: Organization) -> str:
    name_key = search_key(organization.name)
    parts = [name_key]
    if organization.email:
        parts.append(organization.email.lower())
    if organization.phone:
        parts += phone_terms(organization.phone)
    if organization.website:
        parts.append(organization.website.lower())
    if organization.national_id:
        parts.append(organization.national_id)
    parts += _custom_terms(organization=organization)
    return document_text(parts, name_runs(name_key))


def contact_refresh_search_document(contact: Contact) -> None:
    contact._prefetched_objects_cache = {}  # children may have changed in this transaction
    document = contact_document(contact)
    if document != contact.search_document:
        contact.search_document = document
        Contact.objects.filter(pk=contact.pk).update(search_document=document)
        search_words_add(
            search_words_for_names(contact.display_name, contact.given_name, contact.family_name)
        )


def organization_refresh_search_document(organization: Organization) -> None:
    organization._prefetched_objects_cache = {}
    document = organization_document(organization)
    if document != organization.search_document:
        organization.search_document = document
        Organization.objects.filter(pk=organization.pk).update(search_document=document)
        search_words_add(search_words_for_names(organization.name))
