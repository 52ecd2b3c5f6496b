"""Domains a ward receives questions about that no guide covers, named by their anchor words.

A question about taxes, pensions, land, health care or traffic fines often shares a word or
two with a guide ("bảo hiểm" with the health-insurance card in the VNeID wallet, "đất" with the
proof of a home for permanent residence, "hợp đồng" with a rental contract) and scores well
enough to be answered with that guide. The words that name such a domain ("lương hưu",
"công chứng", "nộp thuế", "vượt đèn đỏ") say what the question is about: when the entry the
ranking picked (its texts, its guide's title and keywords) does not itself speak of them, the
question goes to a person, unless the engine is confident enough for the word to be context
(`Thresholds.anchored_answer`). An entry that does (a ward's own guide on pensions) answers
it as any other.

Anchors are written as guides spell them; a question matches one in its diacritic-free form,
and when the citizen typed diacritics the syllables typed with them must be the anchor's
("số đó" is not "sổ đỏ", "cho thuê" is not "thuế").
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.guidance.normalize import NormalizedText, has_vietnamese_letters, normalize
from storage.folding import fold_text

_DOMAINS: dict[str, tuple[str, ...]] = {
    "health care": (
        "bệnh viện", "hiến máu", "uống thuốc", "thuốc gì", "kê đơn", "bác sĩ", "tiêm phòng", "tiêm chủng",
        "mua bảo hiểm", "gia hạn bảo hiểm", "gia hạn thẻ bhyt", "gia hạn bhyt", "bhyt hết hạn",
        "bảo hiểm y tế hộ gia đình", "vắc xin", "vaccine", "vacxin", "chữa bệnh", "chữa trị",
        "điều trị", "nằm viện", "nhập viện", "trái tuyến", "đúng tuyến", "chuyển tuyến",
        "khám sức khỏe", "bị sốt", "sốt cao", "đau bụng", "đau đầu", "đau lưng", "tiêu chảy",
        "huyết áp", "tiểu đường", "cảm cúm", "mất ngủ", "mang thai", "có bầu",
        "sức khỏe sinh sản", "hospital", "doctor", "medicine", "vaccination", "clinic",
    ),
    "land, housing and notaries": (
        "công chứng", "chứng thực", "chứng thực bản sao", "sao y", "mẫu hợp đồng", "sổ đỏ",
        "sổ hồng", "sang tên", "chuyển nhượng", "thừa kế", "di chúc", "tách thửa", "thửa đất",
        "nhà đất", "đất đai", "mua đất", "bán đất", "giá đất", "quy hoạch",
        "giấy phép xây dựng", "xây nhà", "thế chấp", "quyền sử dụng đất", "tranh chấp",
        "lấn chiếm đất", "ranh giới", "notary", "notarise", "notarize", "land use",
        "inheritance", "building permit",
    ),
    "poverty and social assistance": (
        "hộ nghèo", "cận nghèo", "xin trợ cấp", "trợ cấp người cao tuổi", "thoát nghèo", "hộ khó khăn", "bảo trợ xã hội",
        "người khuyết tật", "khuyết tật", "người có công", "thương binh", "liệt sĩ",
        "poor household", "disability",
    ),
    "pensions, social insurance and jobs": (
        "lương hưu", "nghỉ hưu", "hưu trí", "tăng lương", "bảo hiểm xã hội",
        "bảo hiểm thất nghiệp", "thất nghiệp", "thai sản", "ốm đau", "rút bảo hiểm", "rút bhxh", "bhxh tự nguyện", "bảo hiểm xã hội tự nguyện",
        "sổ bảo hiểm", "đóng bảo hiểm", "lương tối thiểu", "nợ lương", "hợp đồng lao động",
        "xuất khẩu lao động", "tuyển dụng", "pension", "retirement", "social insurance",
        "unemployment", "salary", "work permit",
    ),
    "traffic and vehicles": (
        "vượt đèn đỏ", "đèn đỏ", "không có bằng lái", "không đội mũ", "phạt nguội", "nồng độ cồn", "mũ bảo hiểm", "quá tốc độ",
        "vi phạm giao thông", "lỗi giao thông", "phạt giao thông", "tai nạn giao thông",
        "đăng kiểm", "biển số", "sang tên xe", "thi bằng lái", "học bằng lái", "trừ điểm",
        "giữ bằng lái", "giữ xe", "bị tạm giữ", "đổi bằng lái", "làm lại bằng lái", "mất bằng lái",
        "đổi giấy phép lái xe", "bằng lái quốc tế", "giấy phép lái xe quốc tế", "traffic fine", "speeding", "number plate",
    ),
    "taxes and business": (
        "thuế", "mã số thuế", "nộp thuế", "đóng thuế", "thuế thu nhập", "quyết toán thuế",
        "hoàn thuế", "thuế khoán", "thuế đất", "thuế nhà", "thuế môn bài", "lệ phí trước bạ",
        "xuất hóa đơn", "người phụ thuộc", "hộ kinh doanh", "giấy phép kinh doanh",
        "đăng ký kinh doanh", "thành lập công ty", "mở quán", "tax", "taxes",
        "business licence", "business license",
    ),
    "passports, visas and military service": (
        "hộ chiếu", "passport",
        "visa", "thị thực", "xuất cảnh", "du lịch nước ngoài", "đăng ký nghĩa vụ", "khám nghĩa vụ",
        "nhập ngũ",
    ),
    "family law and courts": (
        "ly hôn", "ly dị", "con nuôi", "nhận nuôi", "đơn ly hôn", "thủ tục ly hôn", "tố cáo", "khiếu nại", "khiếu kiện",
        "quyền nuôi con", "chia tài sản", "cấp dưỡng", "tòa án", "khởi kiện", "đi kiện",
        "kiện ở đâu", "luật sư", "divorce", "custody", "lawyer", "court",
    ),
    "schools": (
        "tuyển sinh", "học phí", "học bổng", "chuyển trường", "nhập học", "điểm thi", "tuition",
    ),
    "utilities and services": (
        "tiền điện", "hóa đơn điện", "tiền nước", "hóa đơn nước", "cắt điện", "mất điện",
        "chó mèo", "thú cưng", "nuôi chó", "nuôi mèo", "mất nước", "gói cước", "nhà mạng",
        "wifi", "truyền hình", "electricity bill", "water bill",
    ),
    "other accounts and apps": (
        "facebook", "zalo", "tài khoản facebook", "tài khoản zalo", "bị hack", "messenger", "tiktok", "instagram", "gmail", "youtube", "shopee",
        "mở tài khoản ngân hàng", "thẻ atm", "vay vốn", "vay tiêu dùng", "lãi suất",
        "sổ tiết kiệm", "gửi tiết kiệm",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Anchor:
    """One word or phrase naming a domain no guide covers, as syllables."""

    domain: str
    syllables: tuple[str, ...]
    folded: tuple[str, ...]


def _anchors() -> tuple[Anchor, ...]:
    anchors = []
    for domain, phrases in _DOMAINS.items():
        for phrase in phrases:
            normalized = normalize(phrase)
            anchors.append(Anchor(domain, normalized.syllables, normalized.folded))
    return tuple(anchors)


ANCHORS = _anchors()
# A syllable that makes the anchor's last one part of a longer word: "mất điện thoại" is a lost
# phone, "tiền điện tử" e-money.
_LONGER_WORD = {"dien": frozenset({"thoai", "tu"})}


_BY_FIRST: dict[str, tuple[Anchor, ...]] = {}
for _anchor in ANCHORS:
    _BY_FIRST[_anchor.folded[0]] = (*_BY_FIRST.get(_anchor.folded[0], ()), _anchor)


def anchors_in(question: NormalizedText) -> list[tuple[Anchor, bool]]:
    """The anchors the question names, each with whether it was typed with its diacritics
    (then a guide must hold it with them too)."""
    found: dict[Anchor, bool] = {}
    folded = question.folded
    for start, first in enumerate(folded):
        for anchor in _BY_FIRST.get(first, ()):
            end = start + len(anchor.folded)
            if anchor in found or folded[start:end] != anchor.folded:
                continue
            after = folded[end] if end < len(folded) else ""
            if after in _LONGER_WORD.get(anchor.folded[-1], ()):
                continue
            typed = question.syllables[start:end]
            marked = [has_vietnamese_letters(syllable) for syllable in typed]
            if any(
                mark and syllable != wanted
                for mark, syllable, wanted in zip(marked, typed, anchor.syllables, strict=True)
            ):
                continue
            found[anchor] = any(marked)
    return list(found.items())


class ScopeIndex:
    """Which anchors each guide or entry speaks of, in any of its texts and language versions.

    A key's texts are normalised the first time a question naming an anchor is checked
    against it, so building an engine costs nothing here."""

    def __init__(self, texts: dict[str, list[str]]) -> None:
        self._texts = texts
        self._joined: dict[str, tuple[str, str]] = {}

    def _forms(self, key: str) -> tuple[str, str]:
        forms = self._joined.get(key)
        if forms is None:
            normalized = [normalize(text) for text in dict.fromkeys(self._texts.get(key, ()))]
            diacritic = "|" + "|".join(" ".join(n.syllables) for n in normalized)
            forms = self._joined[key] = (diacritic, fold_text(diacritic))
        return forms

    def uncovered(self, key: str, anchors: list[tuple[Anchor, bool]]) -> list[Anchor]:
        """The anchors the guide or entry does not speak of."""
        diacritic, folded = self._forms(key)
        missing = []
        for anchor, marked in anchors:
            text = diacritic if marked else folded
            phrase = " ".join(anchor.syllables if marked else anchor.folded)
            if not _contains_words(text, phrase):
                missing.append(anchor)
        return missing


def _contains_words(text: str, phrase: str) -> bool:
    """Whether the phrase occurs in the text as whole syllables, not as the start of a longer
    word."""
    last = fold_text(phrase.rsplit(" ", 1)[-1])
    start = text.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        if (start == 0 or text[start - 1] in " |") and (end == len(text) or text[end] in " |"):
            following = text[end + 1 :].split(" ", 1)[0].split("|", 1)[0]
            if fold_text(following) not in _LONGER_WORD.get(last, ()):
                return True
        start = text.find(phrase, start + 1)
    return False
