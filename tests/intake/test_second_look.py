"""A date line read again on its own (ocr.second_look): what each outcome does to the first reading.

The recogniser is replaced by a stand-in that answers with given readings, so each case is exact; the real
recogniser on real scans is covered by the corpus (dates under seals) and tests/intake/test_scans.py."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from xinyong_desktop.intake.ocr import second_look

IMAGE = np.full((200, 400, 3), 255, dtype=np.uint8)
BOX = (100.0, 80.0, 260.0, 110.0)


def engine(*answers: str):
    """Answers the readings in turn (the red-dropped crop, then the colour crop at twice the size)."""
    queue = list(answers)

    def read(crop, **kwargs):
        assert kwargs == {"use_det": False, "use_cls": False, "use_rec": True} and crop.size
        return SimpleNamespace(txts=(queue.pop(0),), scores=(0.97,))
    return read


def chars(txt: str) -> list[tuple[float, float, float]]:
    return [(100 + 10 * i, 108 + 10 * i, 0.99) for i in range(len(txt))]


def test_a_digit_lost_under_the_seal_is_recovered_when_both_readings_agree():
    txt, cs, score = second_look(engine("2024年9月21日", "2024年9月21日"), IMAGE, IMAGE, BOX,
                                 "2024年月21日", chars("2024年月21日"), 1.0)
    assert txt == "2024年9月21日" and cs == [] and 0.9 <= score < 0.97


def test_readings_that_disagree_recover_nothing():
    txt, cs, score = second_look(engine("2024年9月21日", "2024年8月21日"), IMAGE, IMAGE, BOX,
                                 "2024年月21日", chars("2024年月21日"), 1.0)
    assert txt == "2024年月21日" and score == 1.0


def test_another_date_on_a_second_reading_makes_the_digits_unsure():
    first = "2024年11月16日"
    txt, cs, _ = second_look(engine("2024年11月26日", "2024年11月16日"), IMAGE, IMAGE, BOX, first, chars(first), 1.0)
    assert txt == first
    assert [c for ch, (_, _, c) in zip(txt, cs, strict=True) if ch.isdigit()] == [0.5] * 8
    assert [c for ch, (_, _, c) in zip(txt, cs, strict=True) if not ch.isdigit()] == [0.99] * 3


def test_the_same_date_again_leaves_the_first_reading_as_it_was():
    first = "2024年11月26日"
    assert second_look(engine(first, "2024年11月26日"), IMAGE, IMAGE, BOX, first, chars(first), 0.98) == (
        first, chars(first), 0.98)
