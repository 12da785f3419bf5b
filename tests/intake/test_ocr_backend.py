"""The OCR backend: OpenVINO where it imports and reads, onnxruntime otherwise or as XINYONG_OCR_BACKEND says;
either gives the same lines and the same verdicts on scanned pages.

The agreement test reads generated scans with both backends (each in parser processes started with its setting)
and is skipped, saying why, where OpenVINO does not import."""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.intake.test_scans import as_scanned_pdf, noisy_jpeg, skew
from tests.packetgen import FILE_NAMES, Facts, kinds_for, write_packet
from xinyong_desktop.domain.glyph import Glyph
from xinyong_desktop.intake.ocr import normalise_text, reading_order

ROOT = Path(__file__).resolve().parents[2]
HAS_OPENVINO = importlib.util.find_spec("openvino") is not None


def _backend_in_a_fresh_process(env: dict[str, str], block_openvino: bool = False) -> dict:
    code = ("import sys, json\n"
            + ("sys.modules['openvino'] = None\n" if block_openvino else "")
            + "from xinyong_desktop.intake.ocr import backend_info\nprint(json.dumps(backend_info()))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT), **env}, check=True)
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_setting_forces_onnxruntime():
    info = _backend_in_a_fresh_process({"XINYONG_OCR_BACKEND": "onnxruntime"})
    assert info["name"] == "onnxruntime" and info["reason"] == "按设置使用" and info["label"].startswith("ONNX Runtime")


def test_without_openvino_the_desk_reads_with_onnxruntime_and_says_why():
    info = _backend_in_a_fresh_process({"XINYONG_OCR_BACKEND": "auto"}, block_openvino=True)
    assert info["name"] == "onnxruntime" and "OpenVINO 未安装" in info["reason"]
    forced = _backend_in_a_fresh_process({"XINYONG_OCR_BACKEND": "openvino"}, block_openvino=True)
    assert forced["name"] == "onnxruntime" and forced["reason"].startswith("已设置使用 OpenVINO，但")


@pytest.mark.skipif(not HAS_OPENVINO, reason="openvino is not installed here: the desk reads with onnxruntime")
def test_openvino_is_chosen_where_it_runs():
    info = _backend_in_a_fresh_process({"XINYONG_OCR_BACKEND": ""})
    assert info["name"] == "openvino" and info["label"].startswith("OpenVINO") and "自动选择" in info["reason"]


def test_punctuation_of_a_chinese_line_has_one_width():
    assert normalise_text("的约束措施;") == "的约束措施；"
    assert normalise_text("统一社会信用代码:91320411") == "统一社会信用代码：91320411"
    assert normalise_text("罚款50,000.00元(大写)") == "罚款50,000.00元（大写）"
    assert normalise_text("时间12:30") == "时间12:30"
    assert normalise_text("No.(2024) 12") == "No.(2024) 12"  # no Chinese: left as read
    assert len(normalise_text("单位(盖章):~")) == len("单位(盖章):~")


def test_lines_come_in_reading_order_whatever_order_they_were_detected_in():
    a = Glyph("申请人：", 70, 100, 130, 114)
    b = Glyph("某某有限公司", 140, 101.5, 260, 115)  # one pixel lower, same row
    c = Glyph("日期：2024年3月5日", 70, 130, 200, 144)
    assert reading_order([c, b, a]) == [a, b, c]
    assert reading_order([b, a, c]) == [a, b, c]


def _scan_packet(root: Path) -> Path:
    """Three scanned pages of a generated packet (the commitment letter skewed, the decision noisy)."""
    f = Facts.random(61, decision_date=dt.date(2024, 3, 9), signed_date=dt.date(2024, 10, 16))
    text = write_packet(root / "text", f, "general", "legal_representative")
    out = root / "scan"
    out.mkdir()
    (out / "case.json").write_bytes((text / "case.json").read_bytes())
    kinds = [k for k in kinds_for("general", "legal_representative")
             if k in ("application_form", "commitment_letter", "penalty_decision")]
    for i, kind in enumerate(kinds):
        rgb = pdfium.PdfDocument(str(text / FILE_NAMES[kind]))[0].render(scale=150 / 72, rev_byteorder=True)
        rgb = rgb.to_numpy()[..., :3].copy()
        rgb = skew(rgb, 3) if kind == "commitment_letter" else noisy_jpeg(rgb) if kind == "penalty_decision" else rgb
        as_scanned_pdf(rgb, out / f"scan{i:02d}.pdf")
    return out


def _check_with(backend: str, packet: Path, monkeypatch) -> tuple[dict, object]:
    """Check the packet in parser processes started with the backend set; the parsers' results beside it."""
    from xinyong_desktop.intake.sandbox import ParserPool
    from xinyong_desktop.services.check_packet import check_packet

    parsed: dict = {}

    class Recording(ParserPool):
        def map(self, paths, ocr=True, on_result=None, cancel=None):
            out = super().map(paths, ocr=ocr, on_result=on_result, cancel=cancel)
            parsed.update(out)
            return out

    monkeypatch.setenv("XINYONG_OCR_BACKEND", backend)
    with Recording(start_method="spawn") as pool:  # a new process takes the setting
        assert pool.call("xinyong_desktop.intake.ocr:backend_info")["value"]["name"] == backend
        result = check_packet(packet, as_of=dt.date(2024, 12, 1), pool=pool)
    return parsed, result


@pytest.mark.skipif(not HAS_OPENVINO, reason="openvino is not installed here: there is one backend only")
def test_both_backends_read_the_same_lines_and_reach_the_same_verdict(tmp_path, monkeypatch):
    packet = _scan_packet(tmp_path)
    ort_parsed, ort = _check_with("onnxruntime", packet, monkeypatch)
    ov_parsed, ov = _check_with("openvino", packet, monkeypatch)
    for path in ort_parsed:
        a = [g[0] for page in ort_parsed[path]["pages"] for g in page["glyphs"]]
        b = [g[0] for page in ov_parsed[path]["pages"] for g in page["glyphs"]]
        assert len(a) == len(b), (Path(path).name, a, b)
        # the same lines in the same order; a character misread differently may differ, no more than one a page
        assert sum(x != y for x, y in zip(a, b, strict=True)) <= len(ort_parsed[path]["pages"]), (a, b)
    assert ov.ready == ort.ready
    assert sorted((f.code, f.severity, f.path) for f in ov.findings) == \
        sorted((f.code, f.severity, f.path) for f in ort.findings)
    for m_ort, m_ov in zip(ort.materials, ov.materials, strict=True):
        assert (m_ov.path, m_ov.kind) == (m_ort.path, m_ort.kind)
        assert {k: v.value for k, v in m_ov.fields.items()} == {k: v.value for k, v in m_ort.fields.items()}
