"""Appendix layouts as Vietnamese wards write them, each with the tasks it must import to.

Written from how ward and district plans under Resolution 57 lay out their "Phụ lục phân công
nhiệm vụ", not from the Hồng Bàng file alone: section rows as a numeral with its title merged
across the row, as a bold title, as "Phần A", in Roman, Arabic or capital letters; one-, two-
and three-level numbering (a running "TT" beside the "Chi tiết" number within the section);
header wordings for every column; lead and coordinating bodies in one column; KPI targets in
columns of their own; tables split over pages; several appendices of one plan.

`TUNING` is what the importer was developed against. `HELD_OUT` (tests/appendix_heldout.py)
was written apart and is only measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from appendix_files import Layout

from storage.vocabulary import DeadlineKind as K

ALL = ("*",)
VP = "Văn phòng HĐND và UBND phường"
VHXH = "Phòng Văn hóa - Xã hội"
KT = "Phòng Kinh tế, Hạ tầng và Đô thị"
TTHCC = "Trung tâm Phục vụ Hành chính công"
CA = "Công an phường"
QS = "Ban Chỉ huy Quân sự phường"
# The units a ward registered before importing; the corpus spells them in other ways too.
WARD_UNITS = (VP, VHXH, KT, TTHCC, CA, QS)


@dataclass(frozen=True)
class Expected:
    code: str
    lead: tuple[str, ...]
    kind: K
    due: date | None = None
    coordinate: tuple[str, ...] | None = None
    kpi: tuple[int, str] | None = None
    section: str | None = "-"


@dataclass
class CorpusAppendix:
    name: str
    layout: Layout
    expected: list[Expected]
    title_paragraphs: list[str] = field(default_factory=list)
    # CSV keeps no bold and no merges' meaning for some layouts.
    formats: tuple[str, ...] = ("docx", "xlsx", "csv")
    label: str | None = None


def across(width: int, row: int, first: int = 1) -> tuple[int, int, int, int]:
    """A title merged from column `first` to the table's last column."""
    return (row, first, row, width - 1)


HEADER_7 = [
    "STT",
    "Nội dung nhiệm vụ",
    "Cơ quan/Đơn vị chủ trì",
    "Cơ quan/Đơn vị phối hợp",
    "Sản phẩm",
    "Thời gian/Thời hạn hoàn thành",
    "Ghi chú",
]


def roman_merged_titles() -> CorpusAppendix:
    """The numeral in the first column, the title merged over every other column: in Word
    each merged cell repeats the title (so the deadline column "contains" it)."""
    rows = [
        ["ỦY BAN NHÂN DÂN PHƯỜNG TƯƠNG MAI"],
        ["PHỤ LỤC"],
        ["Phân công nhiệm vụ thực hiện Kế hoạch số 31/KH-UBND ngày 20/01/2026"],
        HEADER_7,
        ["I", "NHIỆM VỤ TRỌNG TÂM NĂM 2026", "", "", "", "", ""],
        [
            "1",
            "Tối thiểu 90% hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình",
            TTHCC,
            "Các phòng, đơn vị thuộc phường",
            "Báo cáo",
            "Tháng 12/2026",
            "",
        ],
        [
            "2",
            "Hoàn thành số hóa hồ sơ, kết quả giải quyết TTHC còn hiệu lực",
            TTHCC,
            VP,
            "Kho dữ liệu số hóa",
            "Quý III/2026",
            "Theo KH của TP",
        ],
        ["II", "NHIỆM VỤ THƯỜNG XUYÊN", "", "", "", "", ""],
        [
            "1",
            "Tuyên truyền về chuyển đổi số trên hệ thống truyền thanh phường",
            VHXH,
            "",
            "Tin, bài",
            "Thường xuyên",
            "",
        ],
        [
            "2",
            "Bảo đảm an toàn, an ninh mạng cho hệ thống thông tin của phường",
            CA,
            "Văn phòng HĐND – UBND",
            "Báo cáo",
            "Hằng năm",
            "",
        ],
    ]
    return CorpusAppendix(
        "roman-merged-titles",
        Layout(7, rows, merges=[across(7, 4), across(7, 7)]),
        [
            Expected("I.1", (TTHCC,), K.MONTH, date(2026, 12, 31), ALL, (90, "%"), "I"),
            Expected("I.2", (TTHCC,), K.QUARTER, date(2026, 9, 30), (VP,), None, "I"),
            Expected("II.1", (VHXH,), K.RECURRING, None, (), None, "II"),
            Expected("II.2", (CA,), K.ANNUAL, None, ("Văn phòng HĐND – UBND",), None, "II"),
        ],
    )


def two_level_running_number() -> CorpusAppendix:
    """ "STT" over "TT" (through the whole appendix, skipping a number) and "Chi tiết" (within
    the section): the code is the running number."""
    rows = [
        ["PHỤ LỤC I"],
        ["DANH MỤC NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT 57-NQ/TW NĂM 2026"],
        ["STT", "", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
        ["TT", "Chi tiết", "", "", "", ""],
        ["I", "", "VỀ THỂ CHẾ, CHÍNH SÁCH"],
        ["1", "1", "Rà soát quy chế làm việc trên môi trường số", VP, VHXH, "Quý II/2026"],
        ["2", "2", "Ban hành danh mục dữ liệu mở của phường", VHXH, "", "Tháng 9/2026"],
        ["II", "", "VỀ HẠ TẦNG SỐ"],
        ["3", "1", "Nâng cấp mạng nội bộ của trụ sở UBND phường", VP, "", "Tháng 6/2026"],
        ["5", "2", "Lắp đặt camera giám sát an ninh trật tự", CA, KT, "Năm 2026"],
        ["6", "3", "Phủ sóng wifi công cộng tại nhà văn hóa tổ dân phố", KT, "", "Quý IV/2026"],
    ]
    merges = [(2, 0, 2, 1), (2, 2, 3, 2), (2, 3, 3, 3), (2, 4, 3, 4), (2, 5, 3, 5)]
    merges += [across(6, 4, 2), across(6, 7, 2)]
    return CorpusAppendix(
        "two-level-running-number",
        Layout(6, rows, merges=merges),
        [
            Expected("1", (VP,), K.QUARTER, date(2026, 6, 30), (VHXH,), section="I"),
            Expected("2", (VHXH,), K.MONTH, date(2026, 9, 30), (), section="I"),
            Expected("3", (VP,), K.MONTH, date(2026, 6, 30), section="II"),
            Expected("5", (CA,), K.YEAR, date(2026, 12, 31), (KT,), section="II"),
            Expected("6", (KT,), K.QUARTER, date(2026, 12, 31), section="II"),
        ],
        label="01",
    )


def bold_titles() -> CorpusAppendix:
    """Section titles in bold, in sentence case, alone in the content column; numbers run
    through the whole table."""
    header = ["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Kết quả", "Thời hạn"]
    rows = [
        header,
        ["", "Nhóm nhiệm vụ về chính quyền số", "", "", "", ""],
        [
            "1",
            "Triển khai ký số trên điện thoại cho cán bộ, công chức",
            VP,
            "",
            "Báo cáo",
            "9/2026",
        ],
        [
            "2",
            "Vận hành hệ thống quản lý văn bản liên thông 4 cấp",
            VP,
            "Các phòng, ban đơn vị thuộc phường",
            "",
            "Thường xuyên",
        ],
        ["", "Nhóm nhiệm vụ về xã hội số", "", "", "", ""],
        [
            "3",
            "Duy trì hoạt động Tổ công nghệ số cộng đồng",
            VHXH,
            "Tổ dân phố",
            "Báo cáo",
            "Hằng năm",
        ],
        [
            "4",
            "Hướng dẫn người dân cài đặt, kích hoạt định danh điện tử mức 2",
            CA,
            "",
            "",
            "6 tháng đầu năm",
        ],
    ]
    return CorpusAppendix(
        "bold-titles",
        Layout(6, rows, bold={0, 1, 4}),
        [
            Expected("1", (VP,), K.MONTH, date(2026, 9, 30), (), section=None),
            Expected("2", (VP,), K.RECURRING, None, ALL, section=None),
            Expected("3", (VHXH,), K.ANNUAL, None, ("Tổ dân phố",)),
            Expected("4", (CA,), K.HALF_YEAR, date(2026, 6, 30)),
        ],
        formats=("docx", "xlsx"),
    )


def parts_and_roman_sections() -> CorpusAppendix:
    """ "Phần A" and "Phần B", each with Roman sections, numbers restarting in each."""
    rows = [
        ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện"],
        ["Phần A. CÁC NHIỆM VỤ THEO CHỈ ĐẠO CỦA THÀNH PHỐ"],
        ["I", "Phát triển hạ tầng số"],
        ["1", "Chuyển đổi IPv6 cho cổng thông tin điện tử phường", VP, "", "Tháng 10/2026"],
        ["II", "Phát triển dữ liệu số"],
        ["1", "Làm sạch dữ liệu dân cư phục vụ Đề án 06", CA, VP, "Quý II/2026"],
        ["Phần B. CÁC NHIỆM VỤ CỦA PHƯỜNG"],
        ["I", "Chuyển đổi số trong doanh nghiệp"],
        ["1", "Hỗ trợ hộ kinh doanh thanh toán không dùng tiền mặt", KT, "", "Trong năm 2026"],
    ]
    return CorpusAppendix(
        "parts-and-roman-sections",
        Layout(5, rows, merges=[across(5, 2), across(5, 4), across(5, 7)]),
        [
            Expected("A.I.1", (VP,), K.MONTH, date(2026, 10, 31), section="A.I"),
            Expected("A.II.1", (CA,), K.QUARTER, date(2026, 6, 30), (VP,), section="A.II"),
            Expected("B.I.1", (KT,), K.YEAR, date(2026, 12, 31), section="B.I"),
        ],
    )


def lettered_sections() -> CorpusAppendix:
    """Sections lettered A, B in the numbering column, titles in capitals, not merged."""
    rows = [
        [
            "Số TT",
            "Tên nhiệm vụ",
            "Đơn vị chủ trì",
            "Đơn vị phối hợp",
            "Sản phẩm đầu ra",
            "Thời gian hoàn thành",
            "Ghi chú",
        ],
        ["A", "NHIỆM VỤ CHUNG", "", "", "", "", ""],
        [
            "1",
            "Xây dựng kế hoạch chuyển đổi số năm 2027",
            VHXH,
            "Các phòng, đơn vị",
            "Kế hoạch",
            "Tháng 12/2026",
            "",
        ],
        [
            "2",
            "Tổng kết, đánh giá thực hiện Nghị quyết 57",
            VHXH,
            "",
            "Báo cáo",
            "Trước ngày 30/11/2026",
            "",
        ],
        ["B", "NHIỆM VỤ CỤ THỂ", "", "", "", "", ""],
        [
            "1",
            "Tổ chức diễn tập ứng cứu sự cố an toàn thông tin",
            CA,
            VP,
            "Kịch bản diễn tập",
            "Quý III, IV/2026",
            "",
        ],
    ]
    return CorpusAppendix(
        "lettered-sections",
        Layout(7, rows),
        [
            Expected("A.1", (VHXH,), K.MONTH, date(2026, 12, 31), ALL, section="A"),
            Expected("A.2", (VHXH,), K.DATE, date(2026, 11, 30), section="A"),
            Expected("B.1", (CA,), K.QUARTER, date(2026, 12, 31), (VP,), section="B"),
        ],
    )


def arabic_sections_dotted_tasks() -> CorpusAppendix:
    """Arabic section numbers with their titles merged, tasks numbered 1.1, 1.2, 2.1."""
    rows = [
        ["TT", "Nhiệm vụ, giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
        ["1", "Hoàn thiện thể chế, cơ chế"],
        ["1.1", "Ban hành quy chế quản lý, vận hành nền tảng số dùng chung", VP, "", "Quý I/2026"],
        ["1.2", "Rà soát quy trình nội bộ giải quyết TTHC", TTHCC, VP, "Tháng 3/2026"],
        ["2", "Phát triển nguồn nhân lực số"],
        ["2.1", "Bồi dưỡng kỹ năng số cho 100% cán bộ, công chức", VHXH, "", "Năm 2026"],
    ]
    return CorpusAppendix(
        "arabic-sections-dotted-tasks",
        Layout(5, rows, merges=[across(5, 1), across(5, 4)]),
        [
            Expected("1.1", (VP,), K.QUARTER, date(2026, 3, 31), section="1"),
            Expected("1.2", (TTHCC,), K.MONTH, date(2026, 3, 31), (VP,), section="1"),
            Expected("2.1", (VHXH,), K.YEAR, date(2026, 12, 31), kpi=(100, "%"), section="2"),
        ],
    )


def three_levels() -> CorpusAppendix:
    """Roman section › Arabic heading without a unit › dotted tasks."""
    rows = [
        ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
        ["I", "NÂNG CAO NHẬN THỨC"],
        ["1", "Tuyên truyền", "", "", ""],
        ["1.1", "Tuyên truyền trên trang thông tin điện tử của phường", VHXH, "", "Thường xuyên"],
        ["1.2", "Tuyên truyền qua hệ thống loa truyền thanh", VHXH, "Tổ dân phố", "Thường xuyên"],
        ["2", "Tập huấn", "", "", ""],
        [
            "2.1",
            "Tập huấn kỹ năng số cho thành viên Tổ công nghệ số cộng đồng",
            VHXH,
            "",
            "Quý II/2026",
        ],
        ["II", "BẢO ĐẢM AN NINH MẠNG"],
        ["1", "Kiểm tra", "", "", ""],
        [
            "1.1",
            "Kiểm tra an toàn thông tin các máy tính của cơ quan",
            CA,
            VP,
            "6 tháng cuối năm 2026",
        ],
    ]
    return CorpusAppendix(
        "three-levels",
        Layout(5, rows, merges=[across(5, 1), across(5, 7)]),
        [
            Expected("I.1.1", (VHXH,), K.RECURRING, section="I.1"),
            Expected("I.1.2", (VHXH,), K.RECURRING, coordinate=("Tổ dân phố",), section="I.1"),
            Expected("I.2.1", (VHXH,), K.QUARTER, date(2026, 6, 30), section="I.2"),
            Expected("II.1.1", (CA,), K.HALF_YEAR, date(2026, 12, 31), (VP,), section="II.1"),
        ],
    )


def one_unit_column() -> CorpusAppendix:
    """ "Đơn vị thực hiện" holding both: "Chủ trì: …; Phối hợp: …", or on two lines."""
    rows = [
        ["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Thời gian hoàn thành"],
        [
            "1",
            "Số hóa sổ hộ tịch lưu trữ tại phường",
            f"Chủ trì: {TTHCC}; Phối hợp: {VP}",
            "Tháng 8/2026",
        ],
        [
            "2",
            "Cập nhật dữ liệu hộ kinh doanh lên hệ thống",
            f"- Chủ trì: {KT}\n- Phối hợp: Các phòng, đơn vị thuộc phường",
            "Quý III/2026",
        ],
        ["3", "Xây dựng bản đồ số các điểm di tích", VHXH, "Năm 2026"],
    ]
    return CorpusAppendix(
        "one-unit-column",
        Layout(4, rows),
        [
            Expected("1", (TTHCC,), K.MONTH, date(2026, 8, 31), (VP,)),
            Expected("2", (KT,), K.QUARTER, date(2026, 9, 30), ALL),
            Expected("3", (VHXH,), K.YEAR, date(2026, 12, 31), ()),
        ],
    )


def lead_in_bold() -> CorpusAppendix:
    """One "Đơn vị thực hiện" column: the lead unit in bold on the first line, the
    coordinating units plain under it (CSV keeps no bold)."""
    rows = [
        ["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Thời hạn"],
        ["1", "Xây dựng kho dữ liệu dùng chung của phường", f"{VP}\n{VHXH}; {CA}", "Quý IV/2026"],
        [
            "2",
            "Tổ chức cuộc thi tìm hiểu chuyển đổi số",
            f"{VHXH}\nCác phòng, đơn vị thuộc phường",
            "Tháng 10/2026",
        ],
        ["3", "Kiểm tra an ninh mạng định kỳ", CA, "Hằng quý"],
    ]
    return CorpusAppendix(
        "lead-in-bold",
        Layout(4, rows, bold_first_line={(1, 2), (2, 2)}),
        [
            Expected("1", (VP,), K.QUARTER, date(2026, 12, 31), (VHXH, CA)),
            Expected("2", (VHXH,), K.MONTH, date(2026, 10, 31), ALL),
            Expected("3", (CA,), K.RECURRING, None, ()),
        ],
        formats=("docx", "xlsx"),
    )


def kpi_columns() -> CorpusAppendix:
    """Targets in columns of their own: "Chỉ tiêu" (the text), "Đơn vị tính", "Năm 2026"."""
    rows = [
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2026", "Đơn vị chủ trì", "Thời gian"],
        ["1", "Tỷ lệ hồ sơ TTHC được xử lý trực tuyến toàn trình", "%", "≥ 80", TTHCC, "Cả năm"],
        ["2", "Số lớp tập huấn kỹ năng số cho người dân", "lớp", "12", VHXH, "Tháng 12/2026"],
        ["3", "Tỷ lệ người dân có tài khoản định danh điện tử mức 2", "%", "95", CA, "Năm 2026"],
    ]
    return CorpusAppendix(
        "kpi-columns",
        Layout(6, rows),
        [
            Expected("1", (TTHCC,), K.WHOLE_YEAR, date(2026, 12, 31), kpi=(80, "%")),
            Expected("2", (VHXH,), K.MONTH, date(2026, 12, 31), kpi=(12, "lớp")),
            Expected("3", (CA,), K.YEAR, date(2026, 12, 31), kpi=(95, "%")),
        ],
    )


def deadlines_as_written() -> CorpusAppendix:
    """Deadlines the many ways plans write them; a notes column that must be ignored."""
    deadlines = [
        ("Kế hoạch công tác hằng năm", K.ANNUAL, None),
        ("Theo hướng dẫn của cấp trên", K.CONDITIONAL, None),
        ("Ngay sau khi Thành phố ban hành hướng dẫn", K.CONDITIONAL, None),
        ("Trước ngày 30/6", K.DATE, date(2026, 6, 30)),
        ("Quý III, IV/2026", K.QUARTER, date(2026, 12, 31)),
        ("6 tháng đầu năm", K.HALF_YEAR, date(2026, 6, 30)),
        ("Trong năm 2026", K.YEAR, date(2026, 12, 31)),
        ("Đến năm 2030", K.YEAR, date(2030, 12, 31)),
    ]
    rows = [
        ["Kế hoạch số 12/KH-UBND năm 2026"],
        ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn hoàn thành", "Ghi chú"],
    ]
    expected = []
    for index, (text, kind, due) in enumerate(deadlines, start=1):
        rows.append(
            [str(index), f"Nhiệm vụ chuyển đổi số thứ {index} của phường", VHXH, text, "Đã có KH"]
        )
        expected.append(Expected(str(index), (VHXH,), kind, due))
    return CorpusAppendix("deadlines-as-written", Layout(5, rows), expected)


def units_as_written() -> CorpusAppendix:
    """One office spelt three ways, "every unit" with a comma missing, vague "relevant
    units", and groups outside the ward's offices."""
    rows = [
        ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"],
        [
            "1",
            "Triển khai phần mềm quản lý văn bản mới",
            "Văn phòng HĐND – UBND",
            "Các phòng, ban đơn vị thuộc phường",
            "Tháng 5/2026",
        ],
        [
            "2",
            "Chuẩn hóa dữ liệu cán bộ, công chức",
            "Văn phòng HĐND-UBND",
            "Các phòng, ban, đơn vị có liên quan",
            "Tháng 7/2026",
        ],
        [
            "3",
            "Cập nhật thông tin trên cổng dịch vụ công",
            "Văn phòng HĐND & UBND phường",
            "các đơn vị liên quan",
            "Thường xuyên",
        ],
        [
            "4",
            "Hướng dẫn học sinh an toàn trên không gian mạng",
            "Các trường trên địa bàn",
            CA,
            "Năm 2026",
        ],
        ["5", "Tuyên truyền VNeID đến từng hộ gia đình", "Tổ dân phố", VHXH, "Quý IV/2026"],
    ]
    return CorpusAppendix(
        "units-as-written",
        Layout(5, rows),
        [
            Expected("1", ("Văn phòng HĐND – UBND",), K.MONTH, date(2026, 5, 31), ALL),
            Expected("2", ("Văn phòng HĐND-UBND",), K.MONTH, date(2026, 7, 31), ()),
            Expected("3", ("Văn phòng HĐND & UBND phường",), K.RECURRING, None, ()),
            Expected("4", ("Các trường trên địa bàn",), K.YEAR, date(2026, 12, 31), (CA,)),
            Expected("5", ("Tổ dân phố",), K.QUARTER, date(2026, 12, 31), (VHXH,)),
        ],
    )


def header_repeated_on_each_page() -> CorpusAppendix:
    """The header repeated where the table continues on the next page, with the column
    number row "(1) (2) …" under it each time."""
    header = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]
    numbers = ["(1)", "(2)", "(3)", "(4)", "(5)"]
    rows = [
        header,
        numbers,
        ["I. NHIỆM VỤ TRỌNG TÂM"],
        ["1", "Xây dựng cơ sở dữ liệu đất đai của phường", KT, "", "Tháng 11/2026"],
        ["2", "Số hóa hồ sơ địa chính", KT, TTHCC, "Tháng 12/2026"],
        header,
        numbers,
        ["3", "Kết nối dữ liệu đất đai với cơ sở dữ liệu dân cư", KT, CA, "Năm 2026"],
        ["II. NHIỆM VỤ THƯỜNG XUYÊN"],
        ["1", "Cập nhật biến động đất đai trên hệ thống", KT, "", "Thường xuyên"],
    ]
    return CorpusAppendix(
        "header-repeated-on-each-page",
        Layout(5, rows),
        [
            Expected("I.1", (KT,), K.MONTH, date(2026, 11, 30)),
            Expected("I.2", (KT,), K.MONTH, date(2026, 12, 31), (TTHCC,)),
            Expected("I.3", (KT,), K.YEAR, date(2026, 12, 31), (CA,)),
            Expected("II.1", (KT,), K.RECURRING),
        ],
    )


def section_column() -> CorpusAppendix:
    """Sections in a column of their own ("Lĩnh vực"), as a flat export keeps them."""
    rows = [
        [
            "Lĩnh vực",
            "STT",
            "Nội dung nhiệm vụ",
            "Đơn vị chủ trì",
            "Đơn vị phối hợp",
            "Sản phẩm",
            "Thời gian",
        ],
        [
            "I. CHÍNH QUYỀN SỐ",
            "1",
            "Họp trực tuyến với các tổ dân phố",
            VP,
            "",
            "Phòng họp trực tuyến",
            "Quý II/2026",
        ],
        [
            "I. CHÍNH QUYỀN SỐ",
            "2",
            "Sử dụng trợ lý ảo cho cán bộ",
            VP,
            VHXH,
            "Báo cáo",
            "Tháng 9/2026",
        ],
        [
            "II. KINH TẾ SỐ",
            "1",
            "Phát triển sàn thương mại điện tử cho sản phẩm địa phương",
            KT,
            "",
            "Gian hàng",
            "Năm 2026",
        ],
    ]
    return CorpusAppendix(
        "section-column",
        Layout(7, rows),
        [
            Expected("I.1", (VP,), K.QUARTER, date(2026, 6, 30), section="I"),
            Expected("I.2", (VP,), K.MONTH, date(2026, 9, 30), (VHXH,), section="I"),
            Expected("II.1", (KT,), K.YEAR, date(2026, 12, 31), section="II"),
        ],
    )


def key_projects_appendix() -> CorpusAppendix:
    """Phụ lục 02: the key projects and schemes, with columns an appendix of tasks has not
    ("Kinh phí")."""
    rows = [
        ["PHỤ LỤC 02"],
        ["DANH MỤC CÔNG TRÌNH, DỰ ÁN, ĐỀ ÁN TRỌNG ĐIỂM"],
        ["(Kèm theo Kế hoạch số 54/KH-UBND ngày 06/02/2026)"],
        [
            "STT",
            "Tên công trình, dự án, đề án",
            "Đơn vị chủ trì",
            "Đơn vị phối hợp",
            "Kinh phí (triệu đồng)",
            "Thời gian thực hiện",
        ],
        [
            "1",
            "Đề án xây dựng phường thông minh giai đoạn 2026-2030",
            VHXH,
            "Các phòng, đơn vị thuộc phường",
            "500",
            "Giai đoạn 2026-2030",
        ],
        ["2", "Dự án trung tâm điều hành an ninh trật tự", CA, VP, "1.200", "Năm 2027"],
    ]
    return CorpusAppendix(
        "key-projects-appendix",
        Layout(6, rows),
        [
            Expected("1", (VHXH,), K.YEAR, date(2030, 12, 31), ALL),
            Expected("2", (CA,), K.YEAR, date(2027, 12, 31), (VP,)),
        ],
        label="02",
    )


def governance_problems_appendix() -> CorpusAppendix:
    """Phụ lục 03: the governance problems ("bài toán") to solve with technology."""
    rows = [
        ["PHỤ LỤC 03"],
        ["DANH MỤC BÀI TOÁN QUẢN TRỊ CẦN GIẢI QUYẾT"],
        ["TT", "Nội dung bài toán", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"],
        ["1", "Giảm thời gian chờ đợi của người dân tại bộ phận một cửa", TTHCC, "", "Quý IV/2026"],
        ["2", "Phát hiện sớm vi phạm trật tự xây dựng bằng camera", KT, CA, "Tháng 10/2026"],
    ]
    return CorpusAppendix(
        "governance-problems-appendix",
        Layout(5, rows),
        [
            Expected("1", (TTHCC,), K.QUARTER, date(2026, 12, 31)),
            Expected("2", (KT,), K.MONTH, date(2026, 10, 31), (CA,)),
        ],
        label="03",
    )


def title_in_its_cell_only() -> CorpusAppendix:
    """An Excel habit: the numeral in one cell, the title typed in the next and left to
    overflow (no merge); lettered sub-tasks under a heading row."""
    rows = [
        ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
        ["I", "ỨNG DỤNG CÔNG NGHỆ THÔNG TIN", "", "", ""],
        ["1", "Triển khai các nền tảng số dùng chung:", VP, "", "Năm 2026"],
        ["a", "Nền tảng họp trực tuyến", "", "", ""],
        ["b", "Nền tảng trợ lý ảo", "", VHXH, "Quý III/2026"],
        ["2", "Duy trì cổng thông tin điện tử", VP, "", "Thường xuyên"],
    ]
    return CorpusAppendix(
        "title-in-its-cell-only",
        Layout(5, rows),
        [
            Expected("I.1.a", (VP,), K.YEAR, date(2026, 12, 31)),
            Expected("I.1.b", (VP,), K.QUARTER, date(2026, 9, 30), (VHXH,)),
            Expected("I.2", (VP,), K.RECURRING),
        ],
    )


TUNING = [
    roman_merged_titles(),
    two_level_running_number(),
    bold_titles(),
    parts_and_roman_sections(),
    lettered_sections(),
    arabic_sections_dotted_tasks(),
    three_levels(),
    one_unit_column(),
    lead_in_bold(),
    kpi_columns(),
    deadlines_as_written(),
    units_as_written(),
    header_repeated_on_each_page(),
    section_column(),
    key_projects_appendix(),
    governance_problems_appendix(),
    title_in_its_cell_only(),
]
