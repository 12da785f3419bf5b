"""A whole review of a shared sample packet through menu actions and keys only: a new class on the packet's
date, the packet opened, every review item accepted with one key, marked ready, exported onto a "stick" and
verified — and the stick's review record is the one the desk shows."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.app.dialogs import Driver  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


def test_sample_packet_from_opening_to_a_verified_stick(window, qtbot, tmp_path):
    packet = SAMPLES / "p001" / "packet"
    if not packet.is_dir():
        pytest.skip("shared/samples 不在仓库旁边")
    expected = json.loads((SAMPLES / "p001" / "expected.json").read_text(encoding="utf-8"))
    w = window
    do = Driver(w, qtbot)
    ans = do.answers

    def fill_class(d):
        from PySide6.QtWidgets import QLineEdit

        d.findChildren(QLineEdit)[0].setText("样例班")
    ans.form(fill_class)
    do("新建培训班…")
    ans.text(expected["as_of"])
    do("设定班级日期…")
    assert expected["as_of"] in w.form.classLabel.text()
    ans.file(packet)
    do("添加企业材料文件夹…")
    assert w.cases.rowCount() == 1 and not w.cases.item(0, 2).text()  # no error in this sample
    assert not w.form.readyButton.isEnabled() and w.queue.count() >= 5  # but its key facts wait
    do("下一个待核对项")
    for _ in range(60):
        if w.form.readyButton.isEnabled():
            break
        do("确认此值")
    assert w.form.readyButton.isEnabled(), w.form.blockLabel.text()
    do("标记就绪")
    assert w.cases.item(0, 1).text() == "已就绪"
    usb = tmp_path / "stick"
    usb.mkdir()
    ans.file(usb)
    do("导出已就绪的材料包…")
    assert w.cases.item(0, 1).text() == "已导出"
    ans.file(usb).ok()
    do("校验导出的文件夹…")
    assert any("全部完好" in s.text for s in ans.seen), ans.seen
    folders = [p for p in usb.iterdir() if p.is_dir()]
    name = expected["materials"][0]["fields"]["enterprise_name"]
    number = next(m["fields"]["decision_number"] for m in expected["materials"] if "decision_number" in m["fields"])
    assert [p.name for p in folders] == [f"{name}_{number}"]  # one folder per penalty record
    manifest = json.loads((folders[0] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ready"] is True and manifest["instructor"] == "张老师"
    import pdfplumber

    record = next(folders[0].glob("*审核意见表*.pdf"))
    with pdfplumber.open(record) as pdf:
        text = "".join(pg.extract_text() or "" for pg in pdf.pages).replace("\n", "")
    assert "审核结论：可以提交" in text and "确认" in text and "张老师" in text
    do.check_dialogs()
    ans.stop()
