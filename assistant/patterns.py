"""UK patterns for personal details: emails, NHS and NI numbers, dates of birth, phones, postcodes, addresses,
and reference numbers from case and school systems.

Limits, by design:
- Dates count as dates of birth only near a birth word or an age; month-year and year-only birth dates
  are kept. Postcodes count only in full (outward and inward code).
- A reference number is an id after a cue word (assistant/data/reference_cues.txt) holding at least four
  digits, or a bare run of six or more digits that is neither a year nor a number the corpus uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .wordlists import lines, sections

Spans = list[tuple[int, int]]
Finder = Callable[[str], Spans]
PLACEHOLDERS = {
    "name": "[NAME]", "nhs_number": "[NHS NUMBER]", "ni_number": "[NI NUMBER]", "postcode": "[POSTCODE]",
    "phone": "[PHONE]", "email": "[EMAIL]", "date_of_birth": "[DATE OF BIRTH]", "address": "[ADDRESS]",
    "reference_number": "[REFERENCE]",
}
# Here so the name finders can tell a placeholder the guard wrote from words the user typed.
PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
_STREETS = " ".join(sorted(sections("name_context.txt")["streets"]))

_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NHS = re.compile(r"(?<![0-9])[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}(?![0-9])")
_NHS_LABEL = re.compile(r"\bNHS(?:[ \t]*(?:no\.?|number|num|#))?[ \t]*[:.-]?[ \t]*$", re.I)
# Prefix rules from HMRC; "QQ" is the official example prefix, which practitioners' test data uses.
_NI = re.compile(r"(?<![A-Za-z0-9\]])(?:QQ|[ABCEGHJ-PRSTW-Z][ABCEGHJ-NPRSTW-Z])(?<!BG|GB|NK|KN|TN|NT|ZZ)"
                 r"[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[A-D](?![A-Za-z0-9])", re.I)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9\]])[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])", re.I)
# Lookbehinds below refuse a detail glued to a letter or to a placeholder's "]".
# A UK number is 0 plus ten digits; "+44"/"0044" replaces the 0. A 10-digit number starting with 9
# (an NHS number with a bad check digit) therefore never reads as a phone.
_PHONE = re.compile(
    r"(?<![0-9A-Za-z+\]])(?:(?:\+|00)44[ -]?(?:\(0\)[ -]?)?|\(?0)(?=[1-9])(?:[0-9][ )-]{0,2}){9}[0-9](?![0-9])")
_ADDRESS = re.compile(
    rf"(?:\b(?:Flat|Apartment|Apt|Unit)[ ]?[0-9]+[A-Za-z]?,?[ ]+)?(?<![0-9A-Za-z£$.,\]])[0-9]{{1,4}}[A-Za-z]?,?[ ]+"
    rf"(?:(?:[A-Z][A-Za-z'’-]*[ ]+){{1,3}}(?:{_STREETS.title().replace(' ', '|')})"
    r"|(?:[a-z]+[ ]+){1,2}(?:street|road|avenue|crescent|terrace|gardens|mews))\b\.?")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"(?<![0-9])(?:[0-9]{{4}}([/.-])[0-9]{{1,2}}\1[0-9]{{1,2}}"
    rf"|[0-9]{{1,2}}([/.-])[0-9]{{1,2}}\2(?:[0-9]{{4}}|[0-9]{{2}})"
    rf"|{_DAY}(?:[ \t]+of)?[ \t]+{_MONTH}(?:,?[ \t]+[0-9]{{4}})?"
    rf"|\b{_MONTH}[ \t]+{_DAY}(?:,?[ \t]+[0-9]{{4}})?)(?![0-9])",
    re.I)
_BIRTH_CONTEXT = re.compile(
    r"\bborn\b|\bd\.?[ \t]?o\.?[ \t]?b\b|date[ \t]+of[ \t]+birth|\bbirth[ \t-]?(?:day|date)\b|\baged?[ \t]+[0-9]{1,2}\b"
    r"|\b[0-9]{1,2}[ \t-]*(?:years?|yrs?)[ \t-]*old\b|\b[0-9]{1,2}[ \t]*yo\b", re.I)
_SENTENCE_END = re.compile(r"(?:[a-z]{2}\.|[!?])\s")


def valid_nhs_number(digits: str) -> bool:
    """True when ``digits`` (spaces and hyphens allowed) is ten digits with a right modulus-11 check digit."""
    digits = digits.replace(" ", "").replace("-", "")
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits, range(10, 1, -1))) % 11
    return check != 10 and check % 11 == int(digits[9])


def _near_birth_word(text: str, start: int, end: int) -> bool:
    """True when a birth word or an age sits in the same sentence as text[start:end]."""
    before = text[max(0, start - 40):start]
    ends = list(_SENTENCE_END.finditer(before))
    before = before[ends[-1].end():] if ends else before
    after = re.split(r"[.!?](?:\s|$)", text[end:end + 25], maxsplit=1)[0]
    return bool(_BIRTH_CONTEXT.search(before) or _BIRTH_CONTEXT.search(after))


def _phone_ok(m: re.Match[str]) -> bool:
    """Reject digit runs spaced out more than any UK number is ("0 1 6 1 2 ...")."""
    body = re.sub(r"^(?:\+|00)44[ -]?(?:\(0\)[ -]?)?|^\(?0", "", m.group())
    return len(re.findall(r"[^0-9]+", body)) <= 3


def _regex_spans(rx: re.Pattern[str], ok: Callable[[re.Match[str]], bool] | None = None) -> Finder:
    """Build a finder returning the spans of ``rx`` matches that pass ``ok``."""
    return lambda text: [m.span() for m in rx.finditer(text) if ok is None or ok(m)]


def _dob_spans(text: str) -> Spans:
    """Spans of dates that sit next to a birth word or an age."""
    return [m.span() for m in _DATE.finditer(text) if _near_birth_word(text, *m.span())]


def _alternation(entries: tuple[str, ...] | frozenset[str]) -> str:
    """A regex alternation of word-list entries, longest first, spaces as any run of blanks."""
    return "|".join(re.escape(e).replace(r"\ ", r"[ \t]+") for e in sorted(entries, key=len, reverse=True))


# An id: letters, digits, slashes and hyphens (one inner space between digit groups), with four digits or more.
_ID = r"(?=(?:[A-Za-z/-]*[0-9]){4})[A-Za-z]{0,3}[/-]?[0-9][0-9/-]*(?:[ ][0-9]{3,}(?![0-9/-]))?[0-9A-Za-z]?(?![\w/-])"
_CUED = re.compile(
    rf"\b(?:{_alternation(lines('reference_cues.txt'))})\b\.?(?:[ \t]*[:#]?[ \t]*\b"
    rf"(?:{_alternation(lines('reference_joiners.txt'))})\b\.?){{0,2}}[ \t]*[:#]?[ \t]*({_ID})", re.I)
_DIGIT_RUN = re.compile(r"(?<![\w.,£$/-])[0-9][0-9/-]{4,}[0-9](?![\w/-]|[.,][0-9])")


def reference_finder(corpus_numbers: frozenset[str]) -> Finder:
    """Find ids after a cue word, and long digit runs that are not years or numbers the corpus uses."""
    def spans(text: str) -> Spans:
        found = [m.span(1) for m in _CUED.finditer(text) if not _is_year(m.group(1))]
        for m in _DIGIT_RUN.finditer(text):
            digits = re.sub(r"[^0-9]", "", m.group())
            if len(digits) >= 6 and digits not in corpus_numbers and not any(a <= m.start() < b for a, b in found):
                found.append(m.span())
        return sorted(found)
    return spans


def _is_year(token: str) -> bool:
    """True for a bare year such as 2024, which a cue word ("case in 2024") does not make an id."""
    return bool(re.fullmatch(r"(?:19|20)[0-9]{2}", token))


def pattern_detectors(corpus_numbers: frozenset[str]) -> tuple[tuple[str, Finder], ...]:
    """Every pattern finder, in the order redaction must run them.

    Emails hold digits and names; NHS numbers are checked before phones; dates of birth before phones;
    phones before reference numbers, so a phone number is reported as one.
    """
    return (
        ("email", _regex_spans(_EMAIL)),
        # (labelled as one, a mistyped check digit still makes it a child's NHS number: "NHS no 485 777 3456")
        ("nhs_number", _regex_spans(_NHS, lambda m: valid_nhs_number(m.group())
                                    or bool(_NHS_LABEL.search(m.string[max(0, m.start() - 20):m.start()])))),
        ("ni_number", _regex_spans(_NI)),
        ("date_of_birth", _dob_spans),
        ("phone", _regex_spans(_PHONE, _phone_ok)),
        ("reference_number", reference_finder(corpus_numbers)),
        # Mixed case is how "KS2 3rd" or "E1 2nd" differ from "b33 8th" or "M1 1AE".
        ("postcode", _regex_spans(_POSTCODE, lambda m: m.group().isupper() or m.group().islower())),
        ("address", _regex_spans(_ADDRESS)),
    )
