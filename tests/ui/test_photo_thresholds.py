"""The photo checks' limits, recorded as English formulas, shown in the supervisor's language."""

from __future__ import annotations

from ui.i18n import install_language
from ui.review.thresholds import in_words


def test_limits_in_chinese_and_english(qapp) -> None:  # type: ignore[no-untyped-def]
    install_language("zh_CN")
    try:
        assert in_words("|angle| <= 8 deg") == "转动不超过 8°"
        assert in_words("JPEG, quality >= 70") == "JPEG，质量不低于 70"
        assert in_words("<= 0.04 edge fraction") == "背景中的边缘不超过 0.04"
        assert in_words("not JPEG") == "不是 JPEG 文件"
        assert in_words("<= 0.3") == "<= 0.3" and in_words(1.5) == 1.5  # numbers need no words
        install_language("en")
        assert in_words("|angle| <= 8 deg") == "turned at most 8°"
    finally:
        install_language("zh_CN")
