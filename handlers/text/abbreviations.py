"""Chat abbreviations and teencode: one table for every reader of typed Vietnamese.

People write "ko dc", "mk", "sdt" on a phone. Each short form maps to the words it stands for,
as guides and the check-in spell them (NFC, lower case, modern tone placement), and says who
reads it. Guidance expands every entry in a citizen's question. The check-in reads only the
entries marked for it in a unit head's report, where other short forms mean something else:
"ĐTH" is the status "đang thực hiện" there, not "điện thoại"; "hong" is "hỏng" (broken, a
difficulty); "KH" is "kế hoạch" (plan).
"""

from __future__ import annotations

from enum import Flag, auto


class Reader(Flag):
    """Who expands a short form."""

    GUIDANCE = auto()
    CHECKIN = auto()
    ALL = GUIDANCE | CHECKIN


_G, _ALL = Reader.GUIDANCE, Reader.ALL

# Acronyms that guides also use (cccd, bhyt) keep the short form alongside the words; a few
# entries mend frequent misspellings ("vnid", "đinh danh").
ABBREVIATIONS: dict[str, tuple[str, Reader]] = {
    "ko": ("không", _ALL), "k": ("không", _ALL), "kh": ("không", _G), "khg": ("không", _ALL),
    "kg": ("không", _ALL), "hok": ("không", _ALL), "hong": ("không", _G),
    "hông": ("không", _G), "khum": ("không", _G), "hem": ("không", _G),
    "dc": ("được", _ALL), "đc": ("được", _ALL), "dk": ("đăng ký", _G), "đk": ("đăng ký", _G),
    "dky": ("đăng ký", _G), "đky": ("đăng ký", _G), "j": ("gì", _G), "ji": ("gì", _G),
    "gi": ("gì", _G),
    "mk": ("mật khẩu", _G), "pass": ("mật khẩu", _G), "password": ("password mật khẩu", _G),
    "dt": ("điện thoại", _G), "đt": ("điện thoại", _G), "dthoai": ("điện thoại", _G),
    "đthoai": ("điện thoại", _G), "sdt": ("số điện thoại", _G), "sđt": ("số điện thoại", _G),
    "đth": ("điện thoại", _G), "dth": ("điện thoại", _G),
    "cccd": ("cccd căn cước công dân", _G), "cmnd": ("cmnd chứng minh nhân dân", _G),
    "cc": ("căn cước", _G), "vs": ("với", _G), "ntn": ("như thế nào", _G),
    "nt": ("như thế", _G),
    "lm": ("làm", _G), "r": ("rồi", _G), "ròi": ("rồi", _G), "mún": ("muốn", _G),
    "mum": ("mum muốn", _G),
    "wa": ("quá", _G), "qa": ("quá", _G), "bít": ("biết", _G), "bik": ("biết", _G),
    "bjt": ("biết", _G), "ms": ("mới", _G),
    "tk": ("tài khoản", _G), "tkhoan": ("tài khoản", _G), "stk": ("số tài khoản", _G),
    "ck": ("chuyển khoản", _G),
    "nh": ("ngân hàng", _G), "hs": ("hồ sơ", _G), "ubnd": ("ubnd ủy ban nhân dân", _G),
    "gplx": ("gplx giấy phép lái xe", _G), "bhyt": ("bhyt bảo hiểm y tế", _G),
    "bhxh": ("bhxh bảo hiểm xã hội", _G), "dvc": ("dịch vụ công", _G),
    "dvcqg": ("dịch vụ công quốc gia", _G),
    "lltp": ("lý lịch tư pháp", _G), "cks": ("chữ ký số", _G), "app": ("app ứng dụng", _G),
    "apk": ("apk ứng dụng", _G),
    "vneid": ("vneid", _G), "vnid": ("vneid", _G), "vneld": ("vneid", _G),
    "vneyd": ("vneid", _G),
    "đinh": ("định", _G), "ihn": ("ihanoi", _G), "iha": ("ihanoi", _G),
    # Synonyms for query expansion: the words guides use for what people type.
    "smartphone": ("smartphone điện thoại thông minh", _G), "dtdd": ("điện thoại di động", _G),
    "đtdđ": ("điện thoại di động", _G), "ip": ("iphone điện thoại", _G),
    "csgt": ("cảnh sát giao thông", _G), "ks": ("khai sinh", _G), "hk": ("hộ khẩu", _G),
    "dchi": ("địa chỉ", _G), "đchi": ("địa chỉ", _G), "lsao": ("làm sao", _G),
    "mn": ("mọi người", _G), "ad": ("admin", _G), "sms": ("sms tin nhắn", _G),
    "bn": ("bao nhiêu", _G), "tốn": ("tốn phí", _G), "ton": ("tốn phí", _G),
    "temp": ("temp temporary", _G), "reg": ("reg register", _G), "regis": ("register", _G),
    "acc": ("account tài khoản", _G), "pls": ("please", _G), "plz": ("please", _G),
}  # fmt: skip


def expansions(reader: Reader) -> dict[str, str]:
    """Short form → words, for the entries ``reader`` expands, in the table's order."""
    return {short: words for short, (words, readers) in ABBREVIATIONS.items() if reader in readers}
