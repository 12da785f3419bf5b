"""Class bundles between laptops: round trip, merge without duplicates, and hostile bundles changing nothing."""
from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from sqlalchemy import func, select

from tests.packetgen import Facts, write_packet
from xinyong_desktop.services.bundle import BundleError, export_bundle, import_bundle_file
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import AuditEvent, Case, Decision, FieldRow, MaterialRow, TrainingClass


def _laptop(tmp_path, name):
    return open_db(tmp_path / f"{name}.sqlite3")


@pytest.fixture
def source(tmp_path, pool, rules):
    """Laptop A: a class with two checked packets and a decision."""
    from xinyong_desktop.services.check_packet import check_packet

    Session = _laptop(tmp_path, "a")
    with Session() as s, s.begin():
        tc = repo.create_class(s, "2026年第5期", dt.date(2026, 11, 25), "常州", "张老师")
        for i in range(2):
            f = Facts.random(60 + i, decision_date=dt.date(2024, 1, 10), signed_date=dt.date(2024, 6, 1))
            folder = write_packet(tmp_path / f"packet{i}", f)
            case = Case(class_id=tc.id, packet_dir=str(folder), status="审核中")
            s.add(case)
            s.flush()
            repo.save_check(s, case, check_packet(folder, as_of=dt.date(2024, 6, 10), rules=rules, pool=pool), "张老师")
            repo.record_decision(s, case, "override", "finding:SEAL_MISSING/commitment_letter", "张老师",
                                 reason="原件已盖章")
        class_id = tc.id
    out = tmp_path / "第5期.xybundle"
    with Session() as s, s.begin():
        export_bundle(s, class_id, out, "张老师")
    return Session, out


def counts(Session):
    with Session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (TrainingClass, Case, MaterialRow, FieldRow, Decision))


def test_round_trip_and_merge(tmp_path, source):
    A, bundle = source
    B = _laptop(tmp_path, "b")
    res = import_bundle_file(B, bundle, tmp_path / "b_packets", "李老师")
    assert (res.cases_added, res.decisions_added) == (2, 2)
    assert counts(B)[1:] == counts(A)[1:]
    with B() as s:
        for c in s.scalars(select(Case)):
            assert c.packet_dir.startswith(str(tmp_path / "b_packets")) and any((tmp_path / "b_packets").rglob("*.pdf"))
    # the same bundle again: nothing duplicated
    again = import_bundle_file(B, bundle, tmp_path / "b_packets", "李老师", into_class=res.class_id)
    assert (again.cases_added, again.cases_merged, again.decisions_added) == (0, 2, 0)
    # laptop B makes a decision; its bundle merged back into A adds exactly that decision
    with B() as s, s.begin():
        case = s.scalars(select(Case).where(Case.class_id == res.class_id)).first()
        repo.record_decision(s, case, "confirm", "material:x#1/field:uscc", "李老师", value="x")
    back = tmp_path / "back.xybundle"
    with B() as s, s.begin():
        export_bundle(s, res.class_id, back, "李老师")
    with A() as s:
        a_class = s.scalars(select(TrainingClass)).one().id
    merged = import_bundle_file(A, back, tmp_path / "a_packets", "张老师", into_class=a_class)
    assert (merged.cases_added, merged.cases_merged, merged.decisions_added) == (0, 2, 1)


def _rewrite(src, dst, edit_doc=None, extra=None, drop_prefix=None):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "bundle.json" and edit_doc:
                doc = json.loads(data)
                edit_doc(doc)
                data = json.dumps(doc, ensure_ascii=False).encode()
            if drop_prefix and info.filename.startswith(drop_prefix):
                continue
            zout.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def _set_path(value):
    def edit(doc):
        doc["cases"][0]["packet"][0]["path"] = value
    return edit


@pytest.mark.parametrize("case", ["dotdot", "absolute", "windows", "entry", "bomb", "truncated", "hash", "notzip"])
def test_hostile_bundles_change_nothing(tmp_path, source, case):
    _, bundle = source
    bad = tmp_path / f"{case}.xybundle"
    if case == "dotdot":
        _rewrite(bundle, bad, _set_path("../../etc/evil.pdf"))
    elif case == "absolute":
        _rewrite(bundle, bad, _set_path("/tmp/evil.pdf"))
    elif case == "windows":
        _rewrite(bundle, bad, _set_path("C:\\\\Windows\\\\evil.pdf"))
    elif case == "entry":
        _rewrite(bundle, bad, extra={"../evil.txt": b"x"})
    elif case == "bomb":
        _rewrite(bundle, bad, extra={"files/" + "0" * 64: b"\0" * (50 * 1024 * 1024)})
    elif case == "truncated":
        data = bundle.read_bytes()
        bad.write_bytes(data[: len(data) * 2 // 3])
    elif case == "hash":
        with zipfile.ZipFile(bundle) as z:
            first = next(n for n in z.namelist() if n.startswith("files/"))
        _rewrite(bundle, bad, drop_prefix=first, extra={first: b"changed"})
    else:
        bad.write_bytes(b"not a zip at all")
    B = _laptop(tmp_path, "victim")
    before = counts(B)
    with pytest.raises(BundleError) as e:
        import_bundle_file(B, bad, tmp_path / "victim_packets", "李老师")
    why = {"dotdot": "不安全", "absolute": "不安全", "windows": "不安全", "entry": "不允许", "bomb": "巨大",
           "truncated": "损坏", "hash": "校验值", "notzip": "损坏"}[case]
    assert why in e.value.args[0]
    assert counts(B) == before
    with B() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 0
    leftovers = [p for p in (tmp_path / "victim_packets").rglob("*")] if (tmp_path / "victim_packets").exists() else []
    assert leftovers == []
    assert not (tmp_path / "etc").exists() and not (tmp_path.parent / "evil.txt").exists()
