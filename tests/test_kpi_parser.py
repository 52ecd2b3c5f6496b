from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from bot.plan_import.kpi import parse_kpi
from storage.vocabulary import Comparator


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("100% cán bộ, công chức có chữ ký số", "100", "%", Comparator.AT_LEAST),
        ("Tối thiểu 90% hồ sơ TTHC được xử lý trực tuyến", "90", "%", Comparator.AT_LEAST),
        ("Tỷ lệ hài lòng đạt trên 95%.", "95", "%", Comparator.MORE_THAN),
        ("Tỷ lệ số hóa hồ sơ đạt 95%.", "95", "%", Comparator.AT_LEAST),
        (
            "kiểm tra đối với ít nhất 02 cơ sở trên địa bàn phường",
            "2",
            "cơ sở",
            Comparator.AT_LEAST,
        ),
        (
            "đảm bảo tối thiểu có 10 sáng kiến cấp cơ sở được áp dụng",
            "10",
            "sáng kiến",
            Comparator.AT_LEAST,
        ),
        ("tỷ lệ chi tối thiểu 3% ngân sách phường", "3", "%", Comparator.AT_LEAST),
        ("tỷ lệ đạt 99,5%", "99.5", "%", Comparator.AT_LEAST),
        ("thời gian xử lý không quá 5 ngày", "5", "ngày", Comparator.AT_MOST),
        ("toi thieu 80% ho so", "80", "%", Comparator.AT_LEAST),
        ("không dưới 70% hộ gia đình", "70", "%", Comparator.AT_LEAST),
        ("tối thiểu 1.000 tài khoản được kích hoạt", "1000", "tài khoản", Comparator.AT_LEAST),
        ("giải ngân không dưới 12.500.000 đồng", "12500000", "đồng", Comparator.AT_LEAST),
        ("tỷ lệ đạt 99.5%", "99.5", "%", Comparator.AT_LEAST),
    ],
)
def test_targets_in_task_texts(text: str, value: str, unit: str, comparator: Comparator) -> None:
    target = parse_kpi(text)
    assert target is not None
    assert (target.value, target.unit, target.comparator) == (Decimal(value), unit, comparator)


@pytest.mark.parametrize(
    "text",
    [
        "Tổ chức tuyên truyền về Nghị quyết số 57 NQ/TW",
        "Duy trì chương trình chuyên biệt trên hệ thống phát thanh",
        "Triển khai 3 nội dung theo Kế hoạch 54/KH-UBND",
        "Tăng 150% so với năm trước",
        "",
    ],
)
def test_texts_without_a_target(text: str) -> None:
    assert parse_kpi(text) is None


def test_the_first_target_in_the_text_is_the_task_target() -> None:
    target = parse_kpi("tối thiểu có 10 sáng kiến; có ít nhất 01 sáng kiến cấp thành phố")
    assert target is not None and target.value == 10


@given(
    st.integers(0, 100),
    st.sampled_from(["Tối thiểu {n}%", "tối thiểu {n} %", "đạt {n}% hồ sơ", "{n}% cán bộ"]),
)
def test_any_percentage_target(number: int, pattern: str) -> None:
    target = parse_kpi(pattern.format(n=number))
    assert target is not None
    assert target.value == number and target.unit == "%"


@given(st.text(max_size=300))
def test_never_raises_and_percentages_stay_within_100(text: str) -> None:
    target = parse_kpi(text)
    if target is not None and target.unit == "%":
        assert 0 <= target.value <= 100
