"""Checks run on a question before any ranking: what must never be answered from a guide,
what needs the scam warning, and which language the citizen wrote in.

All checks work on the diacritic-free lower-case text, so "bo qua huong dan" and
"bỏ qua hướng dẫn" are caught alike.
"""

from __future__ import annotations

import re
import unicodedata

from handlers.guidance.normalize import (
    canonical_text,
    expand_abbreviations,
    has_vietnamese_letters,
    words,
)
from storage.folding import fold_text

MAX_QUESTION_CHARS = 1000

_PROMPT_INJECTION = re.compile(
    r"bo qua (?:\w+ ){0,3}(?:huong dan|chi dan|quy tac|lenh|yeu cau)"
    r"|quen (?:het |moi |cac |tat ca )?(?:huong dan|chi dan|quy tac)"
    r"|ignore (?:all |any |the |your |previous |prior |above )*(?:instructions|rules|prompts?)"
    r"|disregard (?:all |the |your |previous )*(?:instructions|rules)"
    r"|system prompt|prompt he thong|jailbreak|developer mode|che do nha phat trien"
    r"|dong vai|gia vo (?:la|lam)|pretend (?:to be|you are)|act as|you are now"
    r"|tiet lo (?:du lieu|thong tin|cau hinh)|in ra (?:du lieu|cau hinh|prompt)"
)

# Requests for someone's own phone, address or ID: never answered, whoever is named.
_PERSONAL_DATA_REQUEST = re.compile(
    r"(?:so dien thoai|dien thoai|so zalo|zalo|dia chi nha|nha rieng|so cccd|so can cuoc|email"
    r"|phone number|home address)\s+(?:rieng\s+)?(?:cua|of)\s+"
    r"(?:ong|ba|anh|chi|co|chu|bac|dong chi|mr|mrs|ms|chu tich|pho chu tich|bi thu|truong cong an"
    r"|can bo|nguoi|the chairman|the police chief)\b"
)

# Who holds a post ("ai là chủ tịch phường", "công an khu vực tên gì"): guides never name
# people, so the question goes to a person whoever is asked about.
_POST = (
    r"(?:pho )?(?:chu tich|bi thu|truong cong an|giam doc|chanh van phong|dai bieu)"
    r"|cong an khu vuc|canh sat khu vuc|can bo \w+|cong chuc \w+|to truong|truong thon"
    r"|truong khu pho|truong to dan pho|truong ban"
)
_POST_HOLDER_REQUEST = re.compile(
    rf"\bai (?:dang )?(?:la|lam|giu chuc) (?:\w+ ){{0,2}}(?:{_POST})\b"
    rf"|\b(?:{_POST})\b(?: \w+){{0,5}} (?:la ai|ten (?:la )?gi|ho ten (?:la )?gi)\b"
    r"|\bwho (?:is|are) (?:the )?(?:\w+ ){0,2}(?:chair(?:man|woman|person)?|secretary|police chief"
    r"|officer|head)\b"
)

# A person named by a title and a capitalised given name ("chị Lan", "anh Tuấn", "ông Nguyễn
# Văn Nam", "Mr Hung"): the bot holds nothing about particular people, their posts, days at
# work or homes. Read on the text as typed, since the capital is what makes it a name.
_NAMED_PERSON = re.compile(
    r"(?<!\w)(?:[Aa]nh|[Cc]hị|[Cc]ô|[Cc]hú|[Bb]ác|[Ôô]ng|[Bb]à|Mr|Mrs|Ms)\.?\s+"
    r"(?!Rịa\b|Ria\b|Tô\b|To\b)[A-ZĐÂĂÊÔƠƯÀÁẢÃẠÈÉẺẼẸÌÍỈĨỊÒÓỎÕỌÙÚỦŨỤỲÝỶỸỴ]\w*"
)

_SECRET = (
    r"(?:otp|ma xac (?:thuc|nhan)|ma kich hoat|mat khau|passcode|password|ma pin|pin|ma bao mat)"
)
_ASKING = (
    r"(?:hoi|doi|xin|bao|bat|yeu cau|gui|cung cap|doc|dua|ask(?:ed|ing|s)?|want(?:s|ed)?"
    r"|request(?:ed|s)?|tell|send|give)"
)
_APP_FROM_LINK = (
    r"(?:cai|tai|install|download)\w*\s+(?:\w+\s+){0,6}"
    r"(?:qua|theo|bang|tu|tren|from|via|using)\s+(?:\w+\s+){0,3}"
    r"(?:link|duong link|duong dan|apk|file)"
    r"|(?:link|duong link|duong dan|file apk|apk)\s+(?:\w+\s+){0,6}(?:cai|tai|install|download)"
)
_IMPERSONATION = (
    r"(?:gia danh|mao danh|xung la|tu xung|nhan la|gia lam|claim(?:s|ed|ing)? to be|pretend)"
)
_SCAM_SIGNALS = re.compile(
    rf"{_ASKING}\s+(?:\w+\s+){{0,6}}{_SECRET}"
    rf"|{_SECRET}\s+(?:\w+\s+){{0,4}}(?:cho|to)\s+(?:\w+\s+){{0,2}}(?:ho|nguoi|ong|ba|anh|chi|them|him|her|someone)"
    rf"|{_APP_FROM_LINK}"
    rf"|{_IMPERSONATION}\s+(?:\w+\s+){{0,3}}(?:cong an|police|can bo|ngan hang|bank)"
)
# What is not someone asking for a secret, removed before the scam signals are looked for:
# the polite "cho em hỏi" that opens many questions; the citizen's own change, reset or
# forgetting of their password ("muốn đổi mật khẩu": folded, "đổi" is "đòi"); and the app
# saying a password is wrong ("báo mật khẩu không hợp lệ").
_NOT_ASKING = re.compile(
    r"\bcho (?:em|toi|minh|chau|con|tui|anh|chi) hoi\b"
    r"|\b(?:toi|em|minh|muon|cach|de|can|phai|sao|nao)\s+(?:\w+\s+)?"
    rf"(?:doi|dat|lay|quen|tao|nhap|reset|change|set)\s+(?:lai\s+)?{_SECRET}"
    rf"|\bbao\s+{_SECRET}\s+(?:khong|sai|chua|het|da)\b"
)

_OWN_CHANGE = "thay"
# "kiểm tra giúp", "xem hộ em", "sửa ngay giùm": a request to act, not to be told how.
_ACT_FOR_ME = re.compile(
    r"\b(?:kiem tra|tra cuu|tra|xem|sua|xoa|huy|duyet|xu ly|check)\s+(?:ngay\s+|lai\s+)?"
    r"(?:giup|dum|gium|ho\s+(?:toi|em|e|minh|tui|chau|con))\b"
)
# A file sent on a day the citizen names: "nộp hôm qua", "hôm thứ 2 nộp", "gửi 3 hôm trước".
_PAST_DAY = (
    r"(?:hom qua|hom kia|hom truoc|tuan truoc|thang truoc|sang nay|chieu qua|toi qua"
    r"|hom thu \w+|(?:\d+|may|vai) (?:hom|ngay|tuan) (?:truoc|roi|nay))"
)
_OWN_SUBMISSION = re.compile(
    rf"\b(?:nop|gui)\b(?: \w+){{0,6}}? {_PAST_DAY}\b|\b{_PAST_DAY} (?:\w+ ){{0,3}}?(?:nop|gui)\b"
)
# The citizen's own (or a relative's) file, card or account.
_OWN_CASE = re.compile(
    r"\bcua (?:toi|em|e|minh|tui|chau|con|me|bo|ba|vo|chong|ong)\b|\bho so\b|\[[^\]]*\]"
)

_ENGLISH_WORDS_TEXT = """
how what where when why which who whom whose the is are was were am be been my your our
their i you we they can could should would will shall does did doesn't don't didn't can't
cannot to for of with from about into please get got need want help lost lose forgot forget
change changed register registration apply application install account password phone number
new old card certificate criminal record birth child office hours open report scam someone
asked asking called calling sign login log it this that there here have has had if not no
yes renew replace wrong fix update check track pay fee fees online police link hello hi
thanks thank street problem file status document documents wallet digital signature address
person talk human staff ward temporary permanent residence stolen broken payment transfer
code an by at or and but so just also a i'm i've i'd it's we're they're don't isn't
he she his her him them us its own we our ours they their this these those some any all
every each more most much many very than then after before since until while because
still already yet only even about again away out up down over under between during
work working live living lived stay staying move moved moving leave left come came go
going went make made take took give gave know think say said tell told use used using
keep kept try tried send sent receive received find found see saw look looking mean
do does done doing am being must may might need needs needed required allowed possible
son daughter kids children wife husband mother father parents family grandfather
grandmother friend home house room rent renting landlord year years month months day
days week weeks hour hours time deadline long quickly soon today yesterday tomorrow
foreigner foreign expat citizen government city province district commune app website
portal electronic identity identification level apply applied issue issued passport
marriage married death died birth born baby newborn certificate license licence driving
insurance health bank money transfer transferred phone message messages called email
replace replacement next turning stop stopped show instead plastic minimum maximum length
notify notified flat apartment job expire expired official cost costs foreigners employee
speed fast slow quick quickly late early first last other another same different free
"""
ENGLISH_WORDS = frozenset(_ENGLISH_WORDS_TEXT.split())
_AMBIGUOUS_WITH_VIETNAMESE = frozenset(
    {"an", "do", "me", "to", "in", "on", "a", "ban", "hi", "no", "so", "at", "but"}
)
_LATIN_SCRIPT = "LATIN"


def is_empty(text: str) -> bool:
    """True when the text has no letter or digit at all (blank, emoji, punctuation)."""
    return not words(text)


def is_too_long(text: str) -> bool:
    """True when the text is longer than a question typed in a chat can reasonably be."""
    return len(text) > MAX_QUESTION_CHARS


def folded_text(text: str) -> str:
    """Lower-case diacritic-free text, abbreviations expanded: the form the patterns expect."""
    return " ".join(fold_text(word) for word in expand_abbreviations(words(text)))


def looks_like_prompt_injection(text: str) -> bool:
    """True for attempts to make the bot drop its rules or reveal what it holds."""
    return _PROMPT_INJECTION.search(folded_text(text)) is not None


def asks_for_personal_data(text: str) -> bool:
    """True when the question asks for a person's own phone, address or ID number, who
    holds a post, or about a person it names ("chị Lan ở một cửa hôm nay có đi làm không")."""
    folded = folded_text(text)
    return (
        _PERSONAL_DATA_REQUEST.search(folded) is not None
        or _POST_HOLDER_REQUEST.search(folded) is not None
        or _NAMED_PERSON.search(unicodedata.normalize("NFC", text)) is not None
    )


def mentions_scam_signal(text: str) -> bool:
    """True when someone asked for an OTP, password or passcode, or to install from a link.

    Folded, "đổi" (change) is "đòi" (demand): typed with its diacritics it is read as the
    citizen's own change ("đổi mật khẩu wifi"), never as someone demanding a password."""
    typed = [_OWN_CHANGE if syllable == "đổi" else syllable for syllable in words(text)]
    folded = " ".join(fold_text(word) for word in expand_abbreviations(typed))
    return _SCAM_SIGNALS.search(_NOT_ASKING.sub(" . ", folded)) is not None


def asks_to_act_on_a_case(text: str) -> bool:
    """True when the citizen asks the bot itself to check, fix or look up their own file,
    card or account ("kiểm tra giúp hồ sơ của em", "sửa ngay giúp tôi"), or asks about a file
    they sent on a day they name ("hồ sơ nộp hôm qua giờ có kết quả chưa"): only a person
    with access to it can answer."""
    folded = folded_text(text)
    if _OWN_SUBMISSION.search(folded) is not None:
        return True
    return _ACT_FOR_ME.search(folded) is not None and _OWN_CASE.search(folded) is not None


def is_foreign_script(text: str) -> bool:
    """True when most letters are not Latin (Chinese, Thai, Cyrillic, Korean, Arabic…)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith(_LATIN_SCRIPT))
    return latin / len(letters) < 0.5


def detect_language(text: str) -> str | None:
    """ "vi", "en", or None when the text alone cannot tell (a bare "VNeID?")."""
    if has_vietnamese_letters(text):
        return "vi"
    tokens = [token.replace("’", "'") for token in canonical_text(text).split()]
    tokens = [token.strip(".,!?;:()\"'") for token in tokens]
    tokens = [token for token in tokens if token]
    if not tokens:
        return None
    english = [token for token in tokens if token in ENGLISH_WORDS]
    distinctive = [token for token in english if token not in _AMBIGUOUS_WITH_VIETNAMESE]
    if len(distinctive) >= 2 and len(english) / len(tokens) >= 0.4:
        return "en"
    if len(tokens) >= 3 and not english:
        return "vi"
    return "vi" if len(english) / len(tokens) < 0.2 else None
