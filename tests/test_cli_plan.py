"""`reportbot plan …` and `reportbot unit …` as a coordinator corrects a wrong import."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from appendix_corpus import CA, TTHCC, VHXH
from appendix_files import Layout, plan_file, write_xlsx
from test_cli import _setup_ward, database, invoke  # noqa: F401  (the fixture)


def _import(*options: str, file: str = "hong-bang-2026-phu-luc.csv") -> tuple[int, str, str]:
    return invoke("plan", "import", str(plan_file(file)), "--ward", "Hồng Bàng", *options)


def _shown() -> list[dict]:  # type: ignore[type-arg]
    code, out, _ = invoke("plan", "show", "--ward", "Hồng Bàng", "--json")
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


def test_a_dry_run_prints_what_would_be_created_and_writes_nothing() -> None:
    _setup_ward()
    code, out, _ = _import("--number", "54/KH-UBND", "--dry-run")
    assert code == 0
    assert "chưa ghi gì" in out and "Nhiệm vụ: 29" in out
    assert "II. NHIỆM VỤ THƯỜNG XUYÊN: 14" in out
    assert "Đơn vị khớp với danh sách: 5; đơn vị mới: 0" in out
    assert _shown() == []


def test_reimporting_the_csv_keeps_the_title_and_says_so() -> None:
    _setup_ward()
    assert _import("--number", "54/KH-UBND", "--title", "Kế hoạch 54")[0] == 0
    code, out, _ = _import("--number", "54/KH-UBND")
    assert code == 0
    assert "Đã cập nhật kế hoạch 54/KH-UBND: Kế hoạch 54" in out and "giữ nguyên 29" in out


def test_our_own_word_report_is_refused(tmp_path: Path) -> None:
    _setup_ward()
    assert _import("--number", "54/KH-UBND")[0] == 0
    assert invoke("period", "open", "--ward", "Hồng Bàng", "--month", "2026-11")[0] == 0
    report = tmp_path / "bao-cao.docx"
    code, _, _ = invoke(
        "report",
        "--ward",
        "Hồng Bàng",
        "--period",
        "2026-11",
        "--format",
        "docx",
        "-o",
        str(report),
    )
    assert code == 0
    code, _, err = invoke("plan", "import", str(report), "--ward", "Hồng Bàng")
    assert code == 2
    assert "là một báo cáo" in err and "Chưa có gì được ghi." in err
    code, out, _ = invoke("unit", "list", "--ward", "Hồng Bàng")
    assert len(out.splitlines()) == 5


def test_rows_without_units_are_listed_by_row_until_accepted(tmp_path: Path) -> None:
    _setup_ward()
    layout = Layout(
        4,
        [
            ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"],
            ["1", "Số hóa hồ sơ hộ tịch", TTHCC, "Tháng 5/2026"],
            ["2", "Rà soát thiết bị mạng", "", "Tháng 6/2026"],
            ["3", "Tuyên truyền VNeID", VHXH, "Quý II/2026"],
            ["4", "Giám sát an ninh mạng", CA, "Thường xuyên"],
        ],
    )
    path = write_xlsx(layout, tmp_path / "pl.xlsx")
    code, _, err = invoke("plan", "import", str(path), "--ward", "Hồng Bàng", "--number", "9/KH")
    assert code == 2 and "trang «Sheet», dòng 3" in err and "--accept-warnings" in err
    assert _shown() == []
    code, out, _ = invoke(
        "plan", "import", str(path), "--ward", "Hồng Bàng", "--number", "9/KH", "--accept-warnings"
    )
    assert code == 0 and "Nhiệm vụ: 3" in out and "dòng 3" in out
    assert [t["code"] for t in _shown()] == ["1", "3", "4"]


def test_correcting_units_and_removing_a_plan() -> None:
    _setup_ward()
    assert _import("--number", "54/KH-UBND")[0] == 0
    code, out, _ = invoke(
        "unit",
        "rename",
        "Phòng VHXH",
        "Phòng Văn hóa, Khoa học và Thông tin",
        "--ward",
        "Hồng Bàng",
    )
    assert code == 0 and "Đã đổi tên «Phòng Văn hóa - Xã hội»" in out
    code, _, err = invoke(
        "unit",
        "rename",
        "Công an phường",
        "Trung tâm Phục vụ Hành chính công",
        "--ward",
        "Hồng Bàng",
    )
    assert code == 2 and "reportbot unit merge" in err
    assert invoke("unit", "add", "--ward", "Hồng Bàng", "Bộ phận một cửa")[0] == 0
    code, out, _ = invoke(
        "unit",
        "merge",
        "Bộ phận một cửa",
        "Trung tâm Phục vụ Hành chính công",
        "--ward",
        "Hồng Bàng",
    )
    assert code == 0 and "Đã gộp" in out
    code, out, _ = invoke("unit", "list", "--ward", "Hồng Bàng")
    assert "Bộ phận một cửa" in out and len(out.splitlines()) == 5
    code, out, _ = invoke("unit", "remove", "Công an phường", "--ward", "Hồng Bàng")
    assert code == 0 and "Đã xóa đơn vị «Công an phường»" in out
    code, _, err = invoke("unit", "remove", "Không có", "--ward", "Hồng Bàng")
    assert code == 2 and "Không có đơn vị «Không có»" in err
    code, out, _ = invoke("plan", "remove", "54/KH-UBND", "--ward", "Hồng Bàng")
    assert code == 0 and "Đã xóa kế hoạch 54/KH-UBND" in out
    assert _shown() == []
    code, _, err = invoke("plan", "remove", "54/KH-UBND", "--ward", "Hồng Bàng")
    assert code == 2 and "chưa có kế hoạch số 54/KH-UBND" in err


def test_adding_back_a_removed_unit_reactivates_it(database: Path) -> None:  # noqa: F811
    _setup_ward()
    assert _import("--number", "54/KH-UBND")[0] == 0
    assert invoke("period", "open", "--ward", "Hồng Bàng", "--month", "2026-11")[0] == 0
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO task_report (ward_id, period_id, task_id, unit_id, status, evidence,"
            " revision, changed_after_due, updated_at)"
            " SELECT u.ward_id, p.id, t.id, u.id, 'done', '[]', 1, 0, '2026-11-10 00:00:00'"
            " FROM unit u, period p, task t WHERE u.name = 'Công an phường' LIMIT 1"
        )
    code, out, _ = invoke("unit", "remove", "Công an phường", "--ward", "Hồng Bàng")
    assert code == 0 and "được giữ lại, ngừng hoạt động" in out
    code, out, _ = invoke("unit", "list", "--ward", "Hồng Bàng", "--all")
    assert "Công an phường\tcông an, đã gỡ" in out
    code, out, _ = invoke("unit", "add", "--ward", "Hồng Bàng", "Công an phường")
    assert code == 0 and "nay được dùng lại" in out
    code, out, _ = invoke("unit", "list", "--ward", "Hồng Bàng")
    assert "Công an phường\tcông an" in out and "đã gỡ" not in out
