"""Translated sentences the CLI prints about imports and unreadable files."""

from __future__ import annotations

from bot.plan_import.importer import BadRows, ImportSummary, ImportWarning, row_place
from bot.plan_import.readers import SUPPORTED_SUFFIXES, UnreadableAppendix
from handlers.i18n import _, format_number
from storage.vocabulary import DeadlineKind, UnitKind


def unreadable_text(error: UnreadableAppendix) -> str:
    expected = _(
        "Cần tệp phụ lục kế hoạch ({suffixes}) có bảng với dòng tiêu đề gồm cột nhiệm vụ "
        "và các cột như đơn vị chủ trì, đơn vị phối hợp, sản phẩm, thời gian hoàn thành."
    ).format(suffixes=", ".join(SUPPORTED_SUFFIXES))
    reasons = {
        "wrong_extension": _("Không đọc được loại tệp «{detail}»."),
        "cannot_open": _("Không mở được tệp: {detail}."),
        "empty": _("Tệp rỗng."),
        "not_xlsx": _("Tệp không phải bảng tính Excel (.xlsx) hợp lệ."),
        "not_docx": _("Tệp không phải văn bản Word (.docx) hợp lệ."),
        "not_text": _("Tệp không phải văn bản CSV đọc được."),
        "no_header": _("Không tìm thấy dòng tiêu đề của bảng phân công nhiệm vụ."),
        "no_tasks": _("Bảng có tiêu đề nhưng không có nhiệm vụ nào."),
        "report": _(
            "Tệp là một báo cáo (có cột tình trạng, kết quả thực hiện), không phải phụ lục "
            "phân công nhiệm vụ."
        ),
        "no_units": _(
            "Bảng không ghi đơn vị chịu trách nhiệm cho phần lớn các dòng (danh sách chỉ tiêu, "
            "danh bạ hay lịch công tác không phải phụ lục phân công)."
        ),
    }
    reason = reasons.get(error.reason, _("Tệp không đọc được.")).format(detail=error.detail)
    nothing_written = _("Chưa có gì được ghi.")
    return f"{reason} {expected} {nothing_written}"


def deadline_kind_label(kind: str) -> str:
    labels = {
        DeadlineKind.DATE: _("ngày cụ thể"),
        DeadlineKind.MONTH: _("tháng"),
        DeadlineKind.QUARTER: _("quý"),
        DeadlineKind.HALF_YEAR: _("6 tháng"),
        DeadlineKind.YEAR: _("năm"),
        DeadlineKind.WHOLE_YEAR: _("cả năm"),
        DeadlineKind.ANNUAL: _("hằng năm"),
        DeadlineKind.RECURRING: _("thường xuyên"),
        DeadlineKind.CONDITIONAL: _("theo điều kiện"),
        DeadlineKind.UNKNOWN: _("chưa hiểu"),
    }
    return labels[DeadlineKind(kind)]


def unit_kind_label(kind: UnitKind) -> str:
    labels = {
        UnitKind.OFFICE: _("phòng, ban"),
        UnitKind.POLICE: _("công an"),
        UnitKind.CENTRE: _("trung tâm"),
        UnitKind.MASS_ORGANISATION: _("đoàn thể"),
        UnitKind.SCHOOL: _("trường học"),
        UnitKind.GROUP: _("nhóm ngoài các phòng (người báo cáo do đầu mối chỉ định)"),
        UnitKind.OTHER: _("khác"),
    }
    return labels[kind]


def field_label(name: str) -> str:
    labels = {
        "section_code": _("mục"),
        "section_title": _("tên mục"),
        "content": _("nội dung"),
        "output": _("sản phẩm"),
        "notes": _("ghi chú"),
        "lead_units": _("đơn vị chủ trì"),
        "coordinating_units": _("đơn vị phối hợp"),
        "deadline_text": _("thời hạn"),
        "deadline_kind": _("loại thời hạn"),
        "deadline_due": _("hạn hoàn thành"),
        "kpi": _("chỉ tiêu"),
    }
    return labels[name]


def warning_text(warning: ImportWarning) -> str:
    texts = {
        "no_plan_number": _(
            'Không thấy số kế hoạch trong tệp; dùng --number "54/KH-UBND" để ghi đúng số.'
        ),
        "duplicate_code": _("Số thứ tự {task} bị lặp; nhiệm vụ sau được đánh mã {task}-2…"),
        "unknown_deadline": _("Nhiệm vụ {task}: chưa hiểu thời hạn «{text}»."),
        "relevant_units": _(
            "Nhiệm vụ {task}: ghi «các đơn vị liên quan» — chưa giao cho đơn vị nào; "
            "chuyên viên đầu mối cần chỉ rõ đơn vị."
        ),
        "unit_created": _("Đơn vị mới được tạo: «{text}» (chưa có trong danh sách của phường)."),
        "unit_reactivated": _("Đơn vị «{text}» đã bị gỡ trước đây, nay được dùng lại."),
        "unknown_kpi": _("Nhiệm vụ {task}: chưa hiểu chỉ tiêu «{text}»."),
        "sentence_unit": _(
            "Nhiệm vụ {task}: «{text}» quá dài để là tên đơn vị, không tạo đơn vị này."
        ),
        "bad_row_skipped": _("{task}: không có đơn vị chủ trì rõ ràng («{text}»), đã bỏ qua."),
    }
    task = place_text(warning.task) if warning.code == "bad_row_skipped" else warning.task
    return texts[warning.code].format(task=task, text=warning.text)


def place_text(place: str | None) -> str:
    """ "table:2:14" → "bảng 2, dòng 14": where a row is, as the coordinator sees the file."""
    kind, sheet, row = (place or "::").split(":", 2)
    if kind == "table":
        return _("bảng {table}, dòng {row}").format(table=sheet, row=row)
    if kind == "sheet" and sheet:
        return _("trang «{sheet}», dòng {row}").format(sheet=sheet, row=row)
    return _("dòng {row}").format(row=row)


def bad_rows_text(error: BadRows) -> str:
    """The rows that stop an import, by their place in the file, and what to do."""
    lines = [
        _("{count} dòng không có đơn vị chủ trì rõ ràng, chưa nhập được:").format(
            count=format_number(len(error.rows))
        )
    ]
    for item in error.rows:
        lead = item.parsed.lead or _("(trống)")
        lines.append(
            f"  ! {place_text(row_place(item))}: {item.parsed.content[:70]} — «{lead[:60]}»"
        )
    lines.append(
        _(
            "Chưa có gì được ghi. Sửa các dòng này trong tệp rồi nhập lại, hoặc thêm "
            "--accept-warnings để chỉ nhập các dòng còn lại."
        )
    )
    return "\n".join(lines)


def summary_text(summary: ImportSummary) -> str:
    lines = [
        (
            _("Đã tạo kế hoạch {number}: {title}")
            if summary.plan_created
            else _("Đã cập nhật kế hoạch {number}: {title}")
        ).format(number=summary.plan_number, title=summary.plan_title),
    ]
    if summary.appendix:
        lines.append(_("Phụ lục {appendix}").format(appendix=summary.appendix))
    lines.append(_("Nhiệm vụ: {count}").format(count=format_number(summary.task_count)))
    for code, title, count in summary.sections:
        label = " ".join(part for part in (code and f"{code}.", title) if part) or _("(không mục)")
        lines.append(f"  • {label}: {format_number(count)}")
    lines.append(
        _("Đơn vị khớp với danh sách: {matched}; đơn vị mới: {created}").format(
            matched=format_number(len(summary.units_matched)),
            created=format_number(len(summary.units_created)),
        )
    )
    kinds = ", ".join(
        f"{deadline_kind_label(kind)} {format_number(count)}"
        for kind, count in sorted(summary.deadlines_by_kind.items())
    )
    lines.append(_("Thời hạn: {kinds}").format(kinds=kinds))
    lines.append(_("Chỉ tiêu đọc được: {count}").format(count=format_number(summary.kpis_parsed)))
    if not summary.plan_created:
        lines.append(
            _("Thay đổi: thêm {added}, sửa {updated}, bỏ {removed}, giữ nguyên {unchanged}").format(
                added=format_number(len(summary.added)),
                updated=format_number(len(summary.updated)),
                removed=format_number(len(summary.removed)),
                unchanged=format_number(summary.unchanged),
            )
        )
        for code, changes in summary.updated.items():
            lines.append(f"  • {code}: {', '.join(field_label(name) for name in changes)}")
    if summary.warnings:
        lines.append(_("Cần xem lại:"))
        lines.extend(f"  ! {warning_text(warning)}" for warning in summary.warnings)
    return "\n".join(lines)
