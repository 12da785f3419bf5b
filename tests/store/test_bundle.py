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


def _rewrite(src, dst, edit_doc=None, extra=None, drop_prefix=None, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", method) as zout:
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


def _edit_case(**changes):
    def edit(doc):
        for dotted, value in changes.items():
            target = doc["cases"][0]
            *path, last = dotted.split("__")
            for p in path:
                target = target[int(p)] if p.isdigit() else target[p]
            target[last] = value
    return edit


def _dup_path(doc):
    packet = doc["cases"][0]["packet"]
    packet[1]["path"] = packet[0]["path"]  # two different files under one name: one would overwrite the other


def _class_is_list(doc):
    doc["class"] = ["2026年第5期"]


@pytest.mark.parametrize("case,edit,why", [
    ("class_not_object", _class_is_list, "class"),  # was AttributeError
    ("enterprise_not_object", _edit_case(enterprise="某公司"), "enterprise"),  # was TypeError/AttributeError
    ("bool_as_text", _edit_case(first_ready="yes"), "first_ready"),  # was a StatementError quoting SQL
    ("page_as_text", _edit_case(materials__0__fields__0__page="第一页"), "page"),
    ("status", _edit_case(status="已删除"), "status"),
    ("applicant", _edit_case(applicant="hacker"), "applicant"),
    ("finding_severity", _edit_case(findings=[{"code": "SEAL_MISSING", "severity": "fatal", "message": "缺公章"}]),
     "severity"),
    ("record_severity", _edit_case(record_severity="capital"), "record_severity"),
    ("bad_date", _edit_case(as_of="2024-13-45"), "as_of"),
    ("duplicate_path", _dup_path, "同名"),
    ("class_extra_kind", lambda doc: doc["class"].update(extra_required={"passport": ["serious"]}), "extra_required"),
    ("class_extra_severity", lambda doc: doc["class"].update(extra_required={"rectification_report": ["grave"]}),
     "extra_required"),
])
def test_malformed_bundle_json_is_one_bundle_error(tmp_path, source, case, edit, why):
    _, bundle = source
    bad = _rewrite(bundle, tmp_path / f"{case}.xybundle", edit)
    B = _laptop(tmp_path, "victim")
    before = counts(B)
    with pytest.raises(BundleError) as e:
        import_bundle_file(B, bad, tmp_path / "victim_packets", "李老师")
    msg = e.value.args[0]
    assert why in msg and any("\u4e00" <= c <= "\u9fff" for c in msg) and "SELECT" not in msg and "INSERT" not in msg
    assert counts(B) == before
    packets = tmp_path / "victim_packets"
    assert not packets.exists() or list(packets.rglob("*")) == []


def test_deeply_nested_bundle_json_is_a_bundle_error(tmp_path, source):
    _, bundle = source
    bad = tmp_path / "nested.xybundle"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "bundle.json":
                doc = json.loads(data)
                doc["cases"][0]["first_codes"] = "@"
                data = json.dumps(doc).replace('"@"', "[" * 100_000 + "]" * 100_000).encode()
            zout.writestr(info.filename, data)
    B = _laptop(tmp_path, "victim")
    before = counts(B)
    with pytest.raises(BundleError) as e:
        import_bundle_file(B, bad, tmp_path / "victim_packets", "李老师")
    assert "嵌套" in e.value.args[0]
    assert counts(B) == before


def test_leftover_staging_of_a_killed_import_is_removed(tmp_path, source):
    _, bundle = source
    root = tmp_path / "b_packets"
    left = root / ".import-0badf00d（未完成）" / "packets" / "0001_x"
    left.mkdir(parents=True)
    (left / "身份证.pdf").write_bytes(b"%PDF-1.4 320402198507154318")
    keep = root / "0007_其他企业"
    keep.mkdir()
    (keep / "a.pdf").write_bytes(b"%PDF-1.4")
    import_bundle_file(_laptop(tmp_path, "b"), bundle, root, "李老师")
    assert not (root / ".import-0badf00d（未完成）").exists()
    assert (keep / "a.pdf").exists()
    assert not [p for p in root.iterdir() if p.name.startswith(".import-")]


def test_material_notes_travel_and_are_validated(tmp_path, source):
    _, bundle = source

    def with_notes(value):
        def edit(doc):
            doc["cases"][0]["materials"][0]["notes"] = value
        return edit

    good = _rewrite(bundle, tmp_path / "notes.xybundle", with_notes(["seal_name:常州市某某有限公司"]))
    B = _laptop(tmp_path, "b")
    import_bundle_file(B, good, tmp_path / "b_packets", "李老师")
    with B() as s:
        assert any(m.notes == ["seal_name:常州市某某有限公司"] for m in s.scalars(select(MaterialRow)))
    bad = _rewrite(bundle, tmp_path / "badnotes.xybundle", with_notes({"x": 1}))
    C = _laptop(tmp_path, "c")
    before = counts(C)
    with pytest.raises(BundleError, match="notes"):
        import_bundle_file(C, bad, tmp_path / "c_packets", "李老师")
    assert counts(C) == before


def _decision(**d):
    def edit(doc):
        doc["cases"][0]["decisions"] = [{"instructor": "张老师", "made_at": "2026-05-01T10:00:00", **d}]
    return edit


def _many_empty_cases(doc):
    doc["cases"] = [{} for _ in range(349_525)]  # a 1 MB bundle.json of {} entries


def _empty_case(doc):
    doc["cases"].append({})


@pytest.mark.parametrize("case,edit,why", [
    ("set_kind_passport", _decision(action="set_kind", target="kind:身份证.pdf#1", value="passport"), "value"),
    ("correct_unknown_field", _decision(action="correct", target="field:a.pdf#1/shoe_size", value="42"), "target"),
    ("unknown_action", _decision(action="delete_all", target="kind:a.pdf#1"), "action"),
    ("override_unknown_code", _decision(action="override", target="finding:NO_SUCH/-/-/-", reason="x"), "target"),
    ("override_without_reason", _decision(action="override", target="finding:SEAL_MISSING/-/-/-"), "reason"),
    ("349525_empty_cases", _many_empty_cases, "案件过多"),
    ("one_empty_case", _empty_case, "空的案件"),
    ("too_many_findings", _edit_case(findings=[{"code": "SEAL_MISSING", "severity": "review", "message": "x"}] * 1001),
     "条目过多"),
])
def test_bundle_values_are_checked_against_the_contract(tmp_path, source, case, edit, why):
    """Each of these was imported (and set_kind → "passport" then stopped the desk at every start; 349,525
    empty cases took 216 s and broke the class list)."""
    _, bundle = source
    bad = _rewrite(bundle, tmp_path / f"{case}.xybundle", edit, method=zipfile.ZIP_STORED)  # no ratio to trip
    B = _laptop(tmp_path, "victim")
    before = counts(B)
    with pytest.raises(BundleError) as e:
        import_bundle_file(B, bad, tmp_path / "victim_packets", "李老师")
    assert why in e.value.args[0], e.value.args[0]
    assert counts(B) == before


def test_an_encrypted_bundle_travels_without_readable_personal_data(tmp_path, source):
    """With a passphrase the whole bundle is encrypted (AES-256-GCM, key from scrypt): none of its ID numbers,
    phones or names is in the file; without the passphrase, with a wrong one, or cut short it imports nothing."""
    import sqlalchemy as sa

    A, plain = source
    with A() as s:
        secrets = [v for (v,) in s.execute(sa.select(FieldRow.value).where(
            FieldRow.field.in_(["id_number", "contact_phone", "enterprise_name"])))]
        class_id = s.scalars(select(TrainingClass.id)).one()
    assert secrets and all(v.encode() in zipfile.ZipFile(plain).read("bundle.json") for v in secrets)
    sealed = tmp_path / "加密.xybundle"
    with A() as s, s.begin():
        export_bundle(s, class_id, sealed, "张老师", passphrase="第5期 口令")
    data = sealed.read_bytes()
    assert data.startswith(b"XYBUNDLE-AES1\n") and b"bundle.json" not in data
    for v in secrets:
        for enc in ("utf-8", "utf-16-le"):
            assert v.encode(enc) not in data, v
    B = _laptop(tmp_path, "b")
    before = counts(B)
    truncated = tmp_path / "cut.xybundle"
    truncated.write_bytes(data[: len(data) - 100])
    for bundle, word, why in ((sealed, None, "口令"), (sealed, "错误口令", "口令不正确"), (truncated, "第5期 口令", "口令不正确")):
        with pytest.raises(BundleError) as e:
            import_bundle_file(B, bundle, tmp_path / "b_packets", "李老师", passphrase=word)
        assert why in e.value.args[0]
        assert counts(B) == before
    res = import_bundle_file(B, sealed, tmp_path / "b_packets", "李老师", passphrase="第5期 口令")
    assert res.cases_added == 2
    assert not [p for p in (tmp_path / "b_packets").iterdir() if p.name.startswith(".import-")]  # no plain copy left


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_an_import_reports_progress_and_a_cancel_at_any_step_changes_nothing(tmp_path, source, encrypted):
    """The desk runs the import off the UI thread with a progress dialog: every file and case is a step, and a
    cancel at any of them (the last one just before the folders are put in place) leaves the database and the
    packet folder as they were."""
    from xinyong_desktop.services.progress import Cancelled, Progress

    A, bundle = source
    if encrypted:
        with A() as s, s.begin():
            bundle = export_bundle(s, s.scalars(select(TrainingClass)).one().id, tmp_path / "enc.xybundle", "张老师",
                                   "口令 123")
    secret = "口令 123" if encrypted else None
    B = _laptop(tmp_path, "b")
    root = tmp_path / "b_packets"
    seen: list[tuple[int, int, str]] = []
    full = Progress()
    full.on_change = lambda: seen.append((full.done, full.total, full.label))  # type: ignore[method-assign]
    res = import_bundle_file(B, bundle, root, "李老师", passphrase=secret, progress=full)
    assert res.cases_added == 2
    steps = [x for x in seen if x[1]]
    assert steps[-1][0] == steps[-1][1] and steps[-1][1] > 2  # every file and case counted, up to the total
    assert any("文件" in x[2] for x in steps) and any("案件 2/2" in x[2] for x in steps)
    assert not encrypted or any("解密" in x[2] for x in seen)
    total = steps[-1][1]
    C = _laptop(tmp_path, "c")
    before = counts(C)
    for at in range(0, total + 1):  # cancelled as step `at` is reported (total: after the last step)
        p = Progress()

        def note(p=p, at=at) -> None:
            if p.total and p.done >= at:
                p.cancel()
        p.on_change = note  # type: ignore[method-assign]
        with pytest.raises(Cancelled):
            import_bundle_file(C, bundle, tmp_path / "c_packets", "李老师", passphrase=secret, progress=p)
        assert counts(C) == before, at
        left = list((tmp_path / "c_packets").iterdir()) if (tmp_path / "c_packets").exists() else []
        assert left == [], (at, left)
    # and without a cancel the same import then lands whole
    res = import_bundle_file(C, bundle, tmp_path / "c_packets", "李老师", passphrase=secret, progress=Progress())
    assert res.cases_added == 2 and counts(C)[1:] == counts(B)[1:]


def test_the_class_setting_of_additional_materials_travels(tmp_path, source):
    from xinyong_desktop.services.classes import class_extra_setting, set_class_extra

    A, _ = source
    from xinyong_desktop.rules.loader import default_rules

    rules = default_rules()
    with A() as s, s.begin():
        tc = s.scalars(select(TrainingClass)).one()
        set_class_extra(s, tc.id, {"rectification_report": ["minor", "general", "serious"]}, "张老师", rules)
        bundle = export_bundle(s, tc.id, tmp_path / "设置.xybundle", "张老师")
    B = _laptop(tmp_path, "b")
    res = import_bundle_file(B, bundle, tmp_path / "b_packets", "李老师")
    with B() as s:
        assert class_extra_setting(s, res.class_id, rules) == {"rectification_report": ["minor", "general", "serious"]}
    C = _laptop(tmp_path, "c")  # a class left at the default travels as the default (NULL), not as a copy of it
    with A() as s, s.begin():
        tc = s.scalars(select(TrainingClass)).one()
        set_class_extra(s, tc.id, None, "张老师", rules)
        bundle = export_bundle(s, tc.id, tmp_path / "默认.xybundle", "张老师")
    res = import_bundle_file(C, bundle, tmp_path / "c_packets", "李老师")
    with C() as s:
        assert s.get(TrainingClass, res.class_id).extra_required is None
