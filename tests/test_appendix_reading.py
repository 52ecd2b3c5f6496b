"""Reading appendices in their real variety, without a database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from appendix_files import Layout, plan_file, write_csv, write_docx, write_xlsx

from bot.plan_import.appendix import understand_appendix
from bot.plan_import.readers import UnreadableAppendix
from storage.vocabulary import DeadlineKind


def _tasks(path: Path) -> list[tuple[str, str, str, str, str, str]]:
    appendix = understand_appendix(path, fallback_year=2026)
    return [
        (
            t.parsed.code,
            t.parsed.content,
            t.parsed.lead,
            t.parsed.coordinate,
            t.parsed.output,
            t.parsed.deadline,
        )
        for t in appendix.tasks
    ]


def test_the_three_hong_bang_files_read_to_the_same_29_tasks() -> None:
    from_xlsx = _tasks(plan_file("hong-bang-2026-phu-luc.xlsx"))
    from_docx = _tasks(plan_file("hong-bang-2026-phu-luc.docx"))
    from_csv = _tasks(plan_file("hong-bang-2026-phu-luc.csv"))
    assert len(from_xlsx) == 29
    assert from_xlsx == from_docx == from_csv
    codes = [task[0] for task in from_xlsx]
    assert codes[:2] == ["I.1", "I.2"] and codes[14:16] == ["I.15", "II.1"] and codes[-1] == "II.14"


def test_hong_bang_sections_deadlines_and_targets() -> None:
    appendix = understand_appendix(plan_file("hong-bang-2026-phu-luc.docx"), fallback_year=2000)
    by_code = {t.parsed.code: t for t in appendix.tasks}
    assert appendix.reference_year == 2026
    assert by_code["I.1"].parsed.section_title == "NHIỆM VỤ TRỌNG TÂM"
    assert by_code["II.1"].parsed.section_title == "NHIỆM VỤ THƯỜNG XUYÊN"
    assert by_code["I.15"].deadline.due == date(2026, 6, 30)
    assert by_code["I.11"].deadline.due == date(2026, 11, 30)
    assert by_code["II.3"].deadline.kind is DeadlineKind.RECURRING
    assert by_code["I.4"].kpi is not None and by_code["I.4"].kpi.value == 90
    assert by_code["I.12"].kpi is not None and by_code["I.12"].kpi.unit == "cơ sở"
    assert by_code["I.2"].lead.all_units and not by_code["I.2"].coordinate.names
    assert by_code["I.13"].lead.names == ["Phòng Kinh tế, Hạ tầng và Đô thị"]
    assert by_code["II.11"].coordinate.names == ["Văn phòng HĐND&UBND phường"]


def _two_row_header_layout() -> Layout:
    """Another ward's habits: a plan number in the title, a two-row header with "Đơn vị thực
    hiện" over "Chủ trì" / "Phối hợp", a column-number row, numbering split into two columns,
    a wrapped continuation row, lettered sub-tasks and a notes column."""
    rows = [
        ["UBND PHƯỜNG VĨNH TUY"],
        ["PHỤ LỤC NHIỆM VỤ"],
        ["(Kèm theo Kế hoạch số 54/KH-UBND ngày 06/02/2026 của UBND phường Vĩnh Tuy)"],
        [
            "TT",
            "",
            "Nội dung nhiệm vụ",
            "Đơn vị thực hiện",
            "",
            "Kết quả đầu ra",
            "Thời hạn hoàn thành",
            "Ghi chú",
        ],
        ["", "", "", "Chủ trì", "Phối hợp", "", "", ""],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
        ["A", "", "NHIỆM VỤ CHUNG", "", "", "", "", ""],
        [
            "",
            "1",
            "Rà soát, hoàn thiện quy chế",
            "Văn phòng HĐND - UBND",
            "Phòng VHXH",
            "Quy chế",
            "Quý II/2026",
            "",
        ],
        [
            "",
            "2",
            "Tối thiểu 80% hồ sơ được số hóa",
            "Trung tâm Phục vụ Hành chính công",
            "",
            "Báo cáo",
            "Tháng 9/2026",
            "Theo KH của TP",
        ],
        ["", "", "khi tiếp nhận tại bộ phận một cửa", "", "", "", "", ""],
        ["B", "", "NHIỆM VỤ CỤ THỂ", "", "", "", "", ""],
        ["", "1", "Triển khai nền tảng số:", "", "", "", "", ""],
        [
            "",
            "a",
            "Nền tảng họp trực tuyến",
            "Phòng Văn hoá – Xã hội",
            "Công an phường",
            "Hệ thống",
            "Năm 2026",
            "",
        ],
        [
            "",
            "b",
            "Hệ thống quản lý văn bản",
            "Văn phòng HĐND và UBND",
            "",
            "Hệ thống",
            "Khi có văn bản của cấp trên",
            "",
        ],
        [
            "",
            "2",
            "Bảo đảm an toàn thông tin",
            "Công an phường",
            "Các phòng, ban, đơn vị thuộc phường",
            "Báo cáo",
            "Thường xuyên",
            "",
        ],
    ]
    merges = [
        (3, 0, 4, 1),
        (3, 2, 4, 2),
        (3, 3, 3, 4),
        (3, 5, 4, 5),
        (3, 6, 4, 6),
        (3, 7, 4, 7),
        (6, 0, 6, 1),
        (10, 0, 10, 1),
    ]
    return Layout(8, rows, merges)


@pytest.mark.parametrize("writer", [write_xlsx, write_docx, write_csv], ids=["xlsx", "docx", "csv"])
def test_another_wards_layout(writer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    suffix = {write_xlsx: ".xlsx", write_docx: ".docx", write_csv: ".csv"}[writer]
    path = writer(_two_row_header_layout(), tmp_path / f"phu-luc{suffix}")
    appendix = understand_appendix(path, fallback_year=2026)
    tasks = {t.parsed.code: t for t in appendix.tasks}
    assert list(tasks) == ["A.1", "A.2", "B.1.a", "B.1.b", "B.2"]
    assert appendix.number == "54/KH-UBND"
    assert appendix.issued_on == date(2026, 2, 6)
    assert tasks["A.1"].lead.names == ["Văn phòng HĐND - UBND"]
    assert tasks["A.1"].coordinate.names == ["Phòng VHXH"]
    assert (
        tasks["A.2"].parsed.content
        == "Tối thiểu 80% hồ sơ được số hóa khi tiếp nhận tại bộ phận một cửa"
    )
    assert tasks["A.2"].parsed.notes == "Theo KH của TP"
    assert tasks["A.2"].kpi is not None and tasks["A.2"].kpi.value == 80
    assert tasks["B.1.a"].parsed.content == "Triển khai nền tảng số: Nền tảng họp trực tuyến"
    assert tasks["B.1.b"].deadline.kind is DeadlineKind.CONDITIONAL
    assert tasks["B.2"].coordinate.all_units
    assert tasks["A.1"].parsed.section_title == "NHIỆM VỤ CHUNG"


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "utf-8-sig"), ("\t", "utf-16"), (",", "utf-8")],
    ids=["semicolon-bom", "excel-unicode-text", "comma"],
)
def test_csv_dialects_and_encodings(tmp_path: Path, delimiter: str, encoding: str) -> None:
    layout = Layout(
        5,
        [
            ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Sản phẩm", "Tiến độ"],
            ["1", "Số hóa hồ sơ lưu trữ", "Phòng Văn hóa - Xã hội", "Kho dữ liệu", "Quý IV/2026"],
            ["2", "Tập huấn kỹ năng số", "Phòng Văn hóa - Xã hội", "Lớp học", "Hằng năm"],
        ],
    )
    path = write_csv(layout, tmp_path / "a.csv", delimiter=delimiter, encoding=encoding)
    tasks = understand_appendix(path, fallback_year=2026).tasks
    assert [t.parsed.content for t in tasks] == ["Số hóa hồ sơ lưu trữ", "Tập huấn kỹ năng số"]
    assert tasks[0].deadline.due == date(2026, 12, 31)


def test_header_repeated_after_a_page_break_and_a_split_word_table(tmp_path: Path) -> None:
    header = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"]
    first = Layout(
        4, [header, ["I. NHIỆM VỤ"], ["1", "Nhiệm vụ một", "Công an phường", "Tháng 3/2026"]]
    )
    path = write_docx(first, tmp_path / "split.docx")
    import docx

    document = docx.Document(str(path))
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=4)
    for r, row in enumerate([header, ["2", "Nhiệm vụ hai", "Công an phường", "Tháng 4/2026"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    tasks = understand_appendix(path, fallback_year=2026).tasks
    assert [t.parsed.code for t in tasks] == ["I.1", "I.2"]


def test_duplicate_numbers_are_kept_apart(tmp_path: Path) -> None:
    layout = Layout(
        4,
        [
            ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"],
            ["1", "Một", "Công an phường", "Tháng 3/2026"],
            ["1", "Hai", "Công an phường", "Tháng 4/2026"],
        ],
    )
    appendix = understand_appendix(write_xlsx(layout, tmp_path / "d.xlsx"), fallback_year=2026)
    assert [t.parsed.code for t in appendix.tasks] == ["1", "1-2"]
    assert appendix.duplicate_codes == ["1"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.txt", b"hello", "wrong_extension"),
        ("empty.xlsx", b"", "empty"),
        ("junk.xlsx", bytes(range(256)) * 10, "not_xlsx"),
        ("junk.docx", b"PK\x03\x04 not really a zip", "not_docx"),
        ("binary.csv", b"\x00\x01\x02\xff\xfe\x00" * 50, "not_text"),
        ("random.csv", "Họ tên,Tuổi\nAn,30\nBình,40\n".encode(), "no_header"),
        ("header-only.csv", "STT,Nhiệm vụ,Đơn vị chủ trì,Thời gian\n".encode(), "no_tasks"),
    ],
)
def test_files_that_are_not_appendices(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableAppendix) as raised:
        understand_appendix(path, fallback_year=2026)
    assert raised.value.reason == reason


def test_a_random_sheet_and_an_empty_document(tmp_path: Path) -> None:
    sheet = write_xlsx(
        Layout(3, [["Tháng", "Doanh thu", "Chi phí"], ["1", "100", "50"]]), tmp_path / "r.xlsx"
    )
    with pytest.raises(UnreadableAppendix) as raised:
        understand_appendix(sheet, fallback_year=2026)
    assert raised.value.reason == "no_header"
    import docx

    empty = tmp_path / "empty.docx"
    docx.Document().save(str(empty))
    with pytest.raises(UnreadableAppendix) as raised:
        understand_appendix(empty, fallback_year=2026)
    assert raised.value.reason == "no_header"
