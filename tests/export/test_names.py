"""Names from the outside world: very long enterprise names, file names that are not valid UTF-8 (GBK from a
Chinese zip tool on Linux) — shown, reported as valid UTF-8 JSON, stored and exported under safe names."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packetgen import Facts, write_packet
from xinyong_desktop.export.names import INCOMPLETE, MAX_COMPONENT, OLD, folder_names
from xinyong_desktop.export.usb import ExportItem, export_item, verify
from xinyong_desktop.services.export_packets import export_packets

AS_OF = dt.date(2025, 3, 1)
GBK_NAME = "信用修复申请书.pdf".encode("gbk")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("n", [1, 40, 74, 75, 76, 77, 79, 80, 81, 90, 200])
def test_folder_names_stay_distinct_and_keep_the_marker(n):
    final, staging, old = folder_names("常州市" + "某" * n + "有限公司")
    assert len({final, staging, old}) == 3
    assert staging.endswith(INCOMPLETE) and old.endswith(OLD) and staging.startswith(final)
    assert max(len(final), len(staging), len(old)) <= MAX_COMPONENT


def test_an_enterprise_name_of_90_characters_exports_and_re_exports(tmp_path, pool, rules):
    from xinyong_desktop.services.check_packet import check_packet

    packet = write_packet(tmp_path / "p", Facts.random(93, decision_date=dt.date(2024, 6, 1)))
    result = check_packet(packet, as_of=AS_OF, rules=rules, pool=pool)
    name = "江苏省常州市" + "天宁区青龙街道" * 12 + "新材料科技有限公司"
    assert len(name) > 90
    names = {k: r.name for k, r in rules.materials.items()}
    dest = tmp_path / "usb"
    dest.mkdir()
    seen = []
    first = export_item(ExportItem(name, packet, result.materials), dest, "张老师", names,
                        on_file=lambda f: seen.append(sorted(p.name for p in dest.iterdir())))
    assert seen and all(any(n.endswith(INCOMPLETE) for n in names_then) for names_then in seen)  # marked while written
    again = export_item(ExportItem(name, packet, result.materials), dest, "张老师", names)
    assert first == again and [p.name for p in dest.iterdir()] == [first.name]
    assert all(r.ok for r in verify(dest))
    assert len(list(first.iterdir())) == len({m.path for m in result.materials}) + 1


@pytest.fixture(scope="module")
def gbk_packet(tmp_path_factory):
    if sys.platform != "linux":
        pytest.skip("byte file names are a Linux/POSIX case")
    root = tmp_path_factory.mktemp("gbk")
    packet = write_packet(root / "packet", Facts.random(94, decision_date=dt.date(2024, 6, 1)))
    os.rename(os.fsencode(packet / "01申请书.pdf"), os.fsencode(packet) + b"/" + GBK_NAME)
    os.rename(os.fsencode(packet / "电子回单.pdf"), os.fsencode(packet) + b"/\xff\xfe\x80receipt.pdf")  # not GBK either
    assert not (packet / "01申请书.pdf").exists()
    return packet


def test_check_json_is_valid_utf8_and_names_the_file_readably(gbk_packet):
    out = subprocess.run([sys.executable, "-m", "xinyong_desktop", "check", str(gbk_packet), "--json",
                          "--as-of", AS_OF.isoformat()], capture_output=True, cwd=ROOT, timeout=300)
    assert out.returncode in (0, 1), out.stderr.decode("utf-8", "replace")[-800:]
    doc = json.loads(out.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
    paths = {m["path"] for m in doc["materials"]}
    assert "信用修复申请书.pdf" in paths
    assert "\\xff\\xfe\\x80receipt.pdf" in paths
    kinds = {m["path"]: m["kind"] for m in doc["materials"]}
    assert kinds["信用修复申请书.pdf"] == "application_form"  # the file itself was read, not just named
    assert kinds["\\xff\\xfe\\x80receipt.pdf"] == "payment_proof"


def test_gbk_names_are_stored_rendered_and_exported(gbk_packet, tmp_path, pool, rules):
    from xinyong_desktop.intake.render import render_page
    from xinyong_desktop.services.check_packet import check_packet
    from xinyong_desktop.store import repo
    from xinyong_desktop.store.db import open_db
    from xinyong_desktop.store.models import Case, MaterialRow

    result = check_packet(gbk_packet, as_of=AS_OF, rules=rules, pool=pool)
    Session = open_db(tmp_path / "s.sqlite3")
    with Session() as s, s.begin():
        tc = repo.create_class(s, "第1期", None, "", "张老师")
        case = Case(class_id=tc.id, packet_dir=str(gbk_packet))
        s.add(case)
        s.flush()
        repo.save_check(s, case, result, "张老师")
    with Session() as s:
        stored = {m.path for m in s.query(MaterialRow)}
    assert "信用修复申请书.pdf" in stored
    rgb, _ = render_page(gbk_packet / "信用修复申请书.pdf", 1)  # the desk shows the page by its shown name
    assert rgb.shape[0] > 100
    out = export_packets([gbk_packet], tmp_path / "usb", rules, "张老师", AS_OF, pool=pool)
    folder = out.exported[0]
    exported = [p.name for p in folder.iterdir()]
    for n in exported:
        n.encode("utf-8")  # no lone surrogates on the stick
    assert any(n.endswith("信用修复申请书.pdf") for n in exported)
    assert all(r.ok for r in verify(tmp_path / "usb"))
