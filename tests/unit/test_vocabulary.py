"""One vocabulary: routing flags, decision reasons and part kinds, each a data file with
Chinese and English texts, read the same way by the station, the central service and the UI."""

from __future__ import annotations

from pathlib import Path

import pytest

from station import vocabulary
from station.wire import PHOTO_PART_KINDS, PartKind
from station.workflows import rules


def test_every_flag_raised_is_in_the_vocabulary_and_every_flag_is_raised() -> None:
    """Flags come from the station's routing rules and from the central intake of the 12123
    app's submissions; the vocabulary has exactly those."""
    from central.intake import service as intake

    by_rules = {rule.code for rule in rules.load_rules()}
    by_intake = {value for name, value in vars(intake).items() if name.startswith("FLAG_")}
    assert by_intake and by_rules | by_intake == set(vocabulary.flags().codes)
    assert len(vocabulary.flags().codes) == len(set(vocabulary.flags().codes))


def test_flags_and_decision_reasons_are_separate_vocabularies() -> None:
    """The review queue filters by flags; decisions name reasons. No code means both."""
    assert not set(vocabulary.flags().codes) & set(vocabulary.decision_reasons().codes)


def test_every_code_has_both_languages_and_flags_explain_themselves() -> None:
    for term in (*vocabulary.flags(), *vocabulary.decision_reasons(), *vocabulary.part_kinds()):
        assert term.label.zh and term.label.en
        assert term.label.text("zh_CN") == term.label.zh and term.label.text("en") == term.label.en
    for flag in vocabulary.flags():
        assert flag.explanation.zh.endswith("。") and flag.explanation.en.endswith(".")
        assert len(flag.label.en) < len(flag.explanation.en)  # a label is short


def test_a_flag_explains_itself_on_receipts_and_summaries_as_before() -> None:
    """The rule messages moved into the vocabulary unchanged (the receipt's reasons)."""
    assert rules.reason_message("CHIP_PHOTO_UNAVAILABLE", "zh_CN") == (
        "无法读取证件芯片照片，未能进行人脸比对。")
    assert rules.Flag("LOW_FACE_MATCH").message("en") == (
        "The live photo does not match the chip photo closely enough.")
    assert rules.reason_message("NOT_A_FLAG", "zh_CN") == "NOT_A_FLAG"  # an older station's


def test_an_unknown_code_is_shown_as_itself() -> None:
    assert vocabulary.flags().label("FROM_A_NEWER_STATION") == "FROM_A_NEWER_STATION"
    assert vocabulary.flags().label("ORGANISATION", "zh_CN") == "单位注册"


def test_every_part_kind_has_a_label_and_every_photo_purpose_a_part_kind() -> None:
    assert set(vocabulary.part_kinds().codes) == {kind.value for kind in PartKind}
    assert PHOTO_PART_KINDS["elicence"] == PartKind.PHOTO_ELICENCE == "photo_elicence"
    assert vocabulary.part_kinds().label("photo_elicence", "zh_CN") == "电子驾驶证照片"


@pytest.mark.parametrize(("text", "complaint"), [
    ('[[flag]]\ncode = "X"\nlabel = { zh = "叉" }\nexplanation = { zh = "叉。", en = "X." }',
     "label.en"),
    ('[[flag]]\ncode = "X"\nlabel = { zh = "叉", en = "" }\nexplanation = { zh = "叉。", en = "X." }',
     "label.en"),
    ('[[flag]]\ncode = "X"\nlabel = { zh = "叉", en = "X" }', "explanation"),
    ('[[flag]]\ncode = "X"\nlabel = { zh = "叉", en = "X" }\n'
     'explanation = { zh = "叉。", en = "X." }\n' * 2, "code 'X' appears twice"),
    ('[[flag]]\ncode = "has space"\nlabel = { zh = "叉", en = "X" }\n'
     'explanation = { zh = "叉。", en = "X." }', "code"),
    ("[[flag]\n", "vocabulary"),
])
def test_a_broken_flags_file_says_what_is_wrong(tmp_path: Path, text: str,
                                                complaint: str) -> None:
    path = tmp_path / "flags.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError) as refused:
        vocabulary.load_flags(path)
    assert complaint in str(refused.value) and str(path) in str(refused.value)


def test_part_kinds_file_must_name_each_part_kind(tmp_path: Path) -> None:
    path = tmp_path / "part_kinds.toml"
    text = vocabulary.PART_KINDS_FILE.read_text(encoding="utf-8")
    path.write_text(text.replace('code = "photo_elicence"', 'code = "photo_licence"'),
                    encoding="utf-8")
    with pytest.raises(vocabulary.VocabularyError,
                       match=r"missing \['photo_elicence'\], not a PartKind \['photo_licence'\]"):
        vocabulary.load_part_kinds(path)


def test_a_rule_naming_a_flag_of_another_vocabulary_fails_to_load(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\ncode = "face_mismatch"\nwhen = []\n', encoding="utf-8")
    with pytest.raises(rules.RulesError, match="face_mismatch: not a flag of the vocabulary"):
        rules.load_rules(path)
    # with the catalogue it is given, the same rule loads
    renamed = vocabulary.flags().terms[0].model_copy(update={"code": "face_mismatch"})
    other = vocabulary.Catalogue((*vocabulary.flags(), renamed))
    assert [r.code for r in rules.load_rules(path, flags=other)] == ["face_mismatch"]


def test_every_photo_a_case_kind_takes_travels_as_a_known_part_kind() -> None:
    from station.workflows.case_kinds import CASE_KINDS

    purposes = {spec.photo.purpose for spec in CASE_KINDS.values() if spec.photo is not None}
    assert purposes and purposes <= set(PHOTO_PART_KINDS)
