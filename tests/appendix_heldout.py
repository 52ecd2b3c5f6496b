"""Held-out appendix layouts: written after the importer, from other habits of ward plans,
and only measured (tests/test_appendix_heldout.py). Do not tune the importer on these.
"""

from __future__ import annotations

from datetime import date

from appendix_corpus import ALL, CA, KT, QS, TTHCC, VHXH, VP, CorpusAppendix, Expected
from appendix_files import Layout

from storage.vocabulary import DeadlineKind as K


def arabic_sections_restarting() -> CorpusAppendix:
    rows = [
        ["PHỤ LỤC"],
        ["NHIỆM VỤ THỰC HIỆN KẾ HOẠCH SỐ 88/KH-UBND NGÀY 15/01/2026 CỦA UBND PHƯỜNG"],
        [
            "Số TT",
            "Nhiệm vụ, giải pháp chủ yếu",
            "Cơ quan, đơn vị chủ trì thực hiện",
            "Cơ quan, đơn vị phối hợp",
            "Sản phẩm dự kiến",
            "Thời gian hoàn thành",
        ],
        ["1. Về hoàn thiện thể chế"],
        ["1", "Xây dựng quy chế khai thác dữ liệu dùng chung", VP, VHXH, "Quy chế", "Quý II/2026"],
        ["2", "Ban hành quy trình số hóa hồ sơ đầu vào", TTHCC, "", "Quy trình", "Tháng 4/2026"],
        ["2. Về phát triển hạ tầng"],
        ["1", "Nâng cấp đường truyền số liệu chuyên dùng", VP, KT, "Báo cáo", "Tháng 8/2026"],
    ]
    return CorpusAppendix(
        "arabic-sections-restarting",
        Layout(6, rows),
        [
            Expected("1.1", (VP,), K.QUARTER, date(2026, 6, 30), (VHXH,)),
            Expected("1.2", (TTHCC,), K.MONTH, date(2026, 4, 30), ()),
            Expected("2.1", (VP,), K.MONTH, date(2026, 8, 31), (KT,)),
        ],
    )


def split_numbering_two_row_units() -> CorpusAppendix:
    rows = [
        ["TT", "", "Nội dung", "Đơn vị", "", "Thời gian triển khai"],
        ["", "", "", "Chủ trì", "Phối hợp", ""],
        ["I", "", "CHUYỂN ĐỔI SỐ TRONG CƠ QUAN", "", "", ""],
        ["", "1", "Sử dụng hộp thư điện tử công vụ", VP, "", "Từ tháng 3/2026"],
        [
            "",
            "2",
            "Cập nhật hồ sơ công việc trên hệ thống",
            "Các phòng, đơn vị thuộc phường",
            "",
            "Tháng 6 - 12/2026",
        ],
        ["II", "", "AN TOÀN THÔNG TIN", "", "", ""],
        ["", "1", "Rà soát lỗ hổng bảo mật máy trạm", CA, VP, "Hàng quý"],
    ]
    merges = [(0, 0, 1, 1), (0, 2, 1, 2), (0, 3, 0, 4), (0, 5, 1, 5)]
    return CorpusAppendix(
        "split-numbering-two-row-units",
        Layout(6, rows, merges=merges),
        [
            Expected("I.1", (VP,), K.MONTH, date(2026, 3, 31), ()),
            Expected("I.2", ALL, K.MONTH, date(2026, 12, 31), ()),
            Expected("II.1", (CA,), K.RECURRING, None, (VP,)),
        ],
    )


def units_in_one_column_capital_titles() -> CorpusAppendix:
    rows = [
        ["STT", "Nhiệm vụ cụ thể", "Đơn vị thực hiện", "Thời hạn"],
        ["CHÍNH QUYỀN SỐ"],
        [
            "1",
            "Triển khai chữ ký số cho lãnh đạo phường",
            f"Chủ trì: {VP}\nPhối hợp: {TTHCC}",
            "Tháng 2/2026",
        ],
        ["2", "Tích hợp dịch vụ công trên ứng dụng iHanoi", f"Chủ trì: {TTHCC}", "Quý I/2026"],
        ["XÃ HỘI SỐ"],
        [
            "3",
            "Mở lớp bình dân học vụ số cho người cao tuổi",
            f"Chủ trì: {VHXH}; Phối hợp: Tổ dân phố",
            "Năm 2026",
        ],
    ]
    return CorpusAppendix(
        "units-in-one-column-capital-titles",
        Layout(4, rows),
        [
            Expected("1", (VP,), K.MONTH, date(2026, 2, 28), (TTHCC,)),
            Expected("2", (TTHCC,), K.QUARTER, date(2026, 3, 31), ()),
            Expected("3", (VHXH,), K.YEAR, date(2026, 12, 31), ("Tổ dân phố",)),
        ],
    )


def kpi_table_lettered_sections() -> CorpusAppendix:
    rows = [
        [
            "STT",
            "Nội dung chỉ tiêu",
            "ĐVT",
            "Chỉ tiêu năm 2026",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
        ],
        ["A", "CHỈ TIÊU VỀ CHÍNH QUYỀN SỐ", "", "", "", ""],
        ["1", "Tỷ lệ văn bản đi được ký số", "%", "100", VP, "Các phòng, đơn vị thuộc phường"],
        ["B", "CHỈ TIÊU VỀ XÃ HỘI SỐ", "", "", "", ""],
        ["1", "Số người dân được tập huấn kỹ năng số", "người", "2.000", VHXH, "Tổ dân phố"],
    ]
    return CorpusAppendix(
        "kpi-table-lettered-sections",
        Layout(6, rows),
        [
            Expected("A.1", (VP,), K.UNKNOWN, None, ALL, (100, "%")),
            Expected("B.1", (VHXH,), K.UNKNOWN, None, ("Tổ dân phố",), (2000, "người")),
        ],
        formats=("docx", "xlsx", "csv"),
    )


def parts_running_numbers() -> CorpusAppendix:
    header = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"]
    rows = [
        header,
        ["PHẦN I. NHIỆM VỤ TRỌNG TÂM"],
        ["1", "Xây dựng trung tâm giám sát an ninh mạng của phường", CA, VP, "Quý IV/2026"],
        ["2", "Triển khai bản đồ số quân sự địa phương", QS, "", "Năm 2026"],
        ["PHẦN II. NHIỆM VỤ THƯỜNG XUYÊN"],
        ["3", "Cập nhật dữ liệu dân cư", CA, "", "Thường xuyên"],
        ["4", "Duy trì trang thông tin điện tử", VHXH, VP, "Thường xuyên"],
    ]
    return CorpusAppendix(
        "parts-running-numbers",
        Layout(5, rows),
        [
            Expected("1", (CA,), K.QUARTER, date(2026, 12, 31), (VP,)),
            Expected("2", (QS,), K.YEAR, date(2026, 12, 31), ()),
            Expected("3", (CA,), K.RECURRING, None, ()),
            Expected("4", (VHXH,), K.RECURRING, None, (VP,)),
        ],
    )


HELD_OUT = [
    arabic_sections_restarting(),
    split_numbering_two_row_units(),
    units_in_one_column_capital_titles(),
    kpi_table_lettered_sections(),
    parts_running_numbers(),
]
