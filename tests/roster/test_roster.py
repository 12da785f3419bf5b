"""Roster import: every variant offices produce, broken rows named by row number, the board's dates and flags."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random

import pytest

from tests.packetgen import make_uscc
from tests.rostergen import HEADER_VARIANTS, make_rows, write_csv, write_xlsx
from xinyong_desktop.cli import main
from xinyong_desktop.domain.model import RecordSeverity
from xinyong_desktop.roster.board import RosterRecord, high_frequency, read_date, read_rosters

AS_OF = dt.date(2025, 6, 1)


def by_number(roster):
    return {r.decision_number: r for r in roster.records}


def assert_same(roster, rows):
    got = by_number(roster)
    assert len(roster.records) == len(rows)
    for r in rows:
        rec = got[r.normalized_number]
        assert (rec.enterprise_name, rec.uscc, rec.decision_date, rec.record_severity.value) == (
            r.name, r.uscc, r.decision_date, r.severity)


@pytest.mark.parametrize("header", HEADER_VARIANTS)
@pytest.mark.parametrize("date_style", ["serial", "date", "cn", "text"])
def test_xlsx_variants_read_every_record(tmp_path, header, date_style):
    rows = make_rows(25, seed=len(header[1]) + len(date_style))
    path = write_xlsx(tmp_path / "名单.xlsx", rows, header=header, date_style=date_style)
    roster = read_rosters([path], AS_OF)
    assert roster.errors == []
    assert_same(roster, rows)


def test_merged_name_cells_fill_every_record_of_the_enterprise(tmp_path):
    rows = make_rows(6, seed=3)
    for r in rows[1:4]:  # three records of one enterprise, written on consecutive rows with merged cells
        r.name, r.uscc = rows[0].name, rows[0].uscc
    path = write_xlsx(tmp_path / "merged.xlsx", rows, merge_same=True)
    roster = read_rosters([path], AS_OF)
    assert roster.errors == []
    assert_same(roster, rows)
    # rows are numbered as the spreadsheet shows them: two title rows, the header, then data from row 4
    assert sorted(r.row for r in roster.records) == [4, 5, 6, 7, 8, 9]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    rows = make_rows(12, seed=9)
    path = write_csv(tmp_path / "名单.csv", rows, encoding=encoding)
    roster = read_rosters([path], AS_OF)
    assert roster.errors == []
    assert_same(roster, rows)


def test_decision_numbers_are_normalised():
    assert read_date(45352) == dt.date(2024, 3, 1)  # Excel serial
    assert read_date("2024年3月1日") == dt.date(2024, 3, 1)
    assert read_date("20240301") == dt.date(2024, 3, 1)
    assert read_date("二〇二四年三月一日") == dt.date(2024, 3, 1)
    assert read_date("明天") is None


def test_doubtful_rows_are_kept_with_their_problems_named(tmp_path):
    rows = make_rows(5, seed=4)
    rng = random.Random(5)
    good = make_uscc(rng)
    bad_uscc = good[:17] + ("0" if good[17] != "0" else "1")
    extra = [
        [6, "常州甲乙贸易有限公司", bad_uscc, "常市监处罚〔2024〕77号", "2024-05-01", "一般", "常州市市场监督管理局", "王伟"],
        [7, "常州丙丁物流有限公司", make_uscc(rng), "常市监处罚〔2024〕78号", "2024-13-45", "一般", "常州市市场监督管理局", "李强"],
        [8, "常州戊己化工有限公司", make_uscc(rng), "常市监处罚〔2024〕79号", "2024-05-01", "", "常州市市场监督管理局", "张敏"],
        [9, "常州庚辛食品有限公司", make_uscc(rng), "第79号", "2024-05-01", "严重", "常州市市场监督管理局", "刘洋"],
        [10, "", "", "", "", "", "", ""],  # blank row: not an error
        [11, "常州壬癸电子有限公司", make_uscc(rng), "常市监处罚〔2024〕80号", "2024-05-01", "较重", "常州市市场监督管理局", "陈杰"],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows, extra=extra, merge_same=False)
    roster = read_rosters([path], AS_OF)
    # no row is rejected: every record is on the board, what is wrong with it is marked
    assert len(roster.records) == 10 and roster.errors == []
    problems = {r.row: "；".join(r.problems) for r in roster.records}
    first_extra = 2 + 1 + len(rows) + 1  # title rows, header, data
    assert [problems[first_extra - 1 - i] for i in range(5)] == [""] * 5  # the good rows carry nothing
    assert "校验位" in problems[first_extra]
    assert "处罚日期" in problems[first_extra + 1]
    by_row = {r.row: r for r in roster.records}
    assert by_row[first_extra + 1].decision_date is None and by_row[first_extra + 1].status == "incomplete"
    assert "失信程度" in problems[first_extra + 2] and "待确认" in problems[first_extra + 2]
    assert by_row[first_extra + 2].severity_source == "unknown"  # never assumed
    assert "文号" in problems[first_extra + 3]
    assert "较重" in problems[first_extra + 5]
    assert first_extra + 4 not in problems  # the blank row is not a record


def test_duplicates_dropped_and_conflicts_reported(tmp_path):
    rows = make_rows(8, seed=6)
    a = write_xlsx(tmp_path / "a.xlsx", rows, merge_same=False)
    dupe = dataclasses.replace(rows[2], decision_date=rows[2].decision_date + dt.timedelta(days=3))
    b = write_csv(tmp_path / "b.csv", rows[:2] + [dupe])
    roster = read_rosters([a, b], AS_OF)
    assert len(roster.records) == 8
    assert len(roster.duplicates) == 2
    assert [(e.file, e.row) for e in roster.errors] == [("b.csv", 4)]
    assert "处罚日期" in roster.errors[0].message
    # the same roster twice adds nothing
    twice = read_rosters([a, a], AS_OF)
    assert len(twice.records) == 8 and len(twice.duplicates) == 8 and twice.errors == []


@pytest.mark.parametrize("content, why", [
    (b"", "空"),
    (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
    (b"PK\x03\x04garbage-not-a-zip", "损坏"),
    (b"\x00\x01\x02\x03binary", "不是表格"),
    ("随便写的一段话\n没有表头".encode("gbk"), "表头"),
])
def test_unreadable_files_exit_2_with_a_reason(tmp_path, capsys, content, why):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    roster = read_rosters([path], AS_OF)
    assert roster.records == [] and roster.unreadable == [str(path)]
    assert why in roster.errors[0].message and roster.errors[0].row is None
    assert main(["roster", str(path), "--json", "--as-of", "2025-06-01"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["errors"][0]["file"] == "x.xlsx"


def test_zip_bomb_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    roster = read_rosters([path], AS_OF)
    assert "巨大" in roster.errors[0].message


# ---------------------------------------------------------------- board
def test_board_dates_statuses_and_month_end_clamping(tmp_path, capsys):
    rng = random.Random(11)
    hf, old = make_uscc(rng), make_uscc(rng)
    extra_rows = [
        # Order 58 (no severity classes): decided 2023-11-30, 3 months end 2024-02-29 (clamped) → from
        # 2024-03-01; 3 years → off from 2026-12-01
        ["常州甲有限公司", make_uscc(rng), "常市监处罚〔2023〕1号", "2023-11-30", "一般"],
        # "serious" on the roster, decided 2024-08-31 under Order 58: shown 严重, so 1 year → from 2025-09-01, off 2027-09-01
        ["常州乙有限公司", make_uscc(rng), "常环行罚[2024]2号", "2024-08-31", "严重"],
        # general, decided 2025-03-15: eligible 2025-06-16 → within 30 days of 2025-06-01
        ["常州丙有限公司", make_uscc(rng), "常税稽罚（2025）3号", "2025-03-15", "一般"],
        # general decided 2025-02-01: eligible 2025-05-02 → may apply now
        ["常州丁有限公司", make_uscc(rng), "常应急罚【2025】4号", "2025-02-01", "一般"],
        # three still-published records within 12 months → the office's early warning
        ["常州戊有限公司", hf, "常市监处罚〔2024〕5号", "2024-07-10", "一般"],
        ["常州戊有限公司", hf, "常市监处罚〔2024〕6号", "2024-10-10", "一般"],
        ["常州戊有限公司", hf, "常市监处罚〔2025〕7号", "2025-05-09", "一般"],
        # three within 12 months, but the first (527号: 一般 1 year) is no longer published: not counted, no flag
        ["常州己有限公司", old, "常市监处罚〔2023〕8号", "2023-04-30", "一般"],
        ["常州己有限公司", old, "常市监处罚〔2023〕9号", "2023-05-10", "一般"],
        ["常州己有限公司", old, "常市监处罚〔2024〕10号", "2024-01-10", "一般"],
    ]
    header = ["企业名称", "统一社会信用代码", "处罚决定书文号", "处罚日期", "失信程度"]
    path = tmp_path / "board.csv"
    path.write_bytes("\r\n".join(",".join(r) for r in [header] + extra_rows).encode("gbk"))
    assert main(["roster", str(path), "--json", "--as-of", "2025-06-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    recs = {r["decision_number"]: r for r in out["records"]}
    a = recs["常市监处罚〔2023〕1号"]
    assert (a["eligible_from"], a["withdrawn_on"], a["status"], a["row"]) == ("2024-03-01", "2026-12-01", "eligible", 2)
    b = recs["常环行罚〔2024〕2号"]
    # shown as 严重: the serious minimum of 1 year, though Order 58 (in force on 2024-08-31) has no classes
    assert (b["eligible_from"], b["withdrawn_on"], b["status"], b["record_severity"]) == (
        "2025-09-01", "2027-09-01", "not_yet", "serious")
    assert recs["常税稽罚〔2025〕3号"]["status"] == "not_yet"
    assert recs["常应急罚〔2025〕4号"]["status"] == "eligible"
    assert [r["high_frequency"] for r in out["records"]] == [False] * 4 + [True] * 3 + [False] * 3
    assert recs["常市监处罚〔2024〕5号"]["high_frequency_rules"] == ["本办预警"]

    roster = read_rosters([path], dt.date(2025, 6, 1))
    lists = roster.lists(30)
    assert [r.decision_number for r in lists["soon"]] == ["常税稽罚〔2025〕3号"]
    assert "常环行罚〔2024〕2号" in [r.decision_number for r in lists["not_yet"]]
    assert [r.decision_number for r in lists["withdrawn"]] == ["常市监处罚〔2023〕8号"]


def test_high_frequency_window_is_strict():
    rows = make_rows(3, seed=2)
    recs, sev = RosterRecord, RecordSeverity.GENERAL
    days = [dt.date(2024, 1, 1), dt.date(2024, 6, 1), dt.date(2025, 1, 1)]  # exactly 12 months apart: not within
    items = [recs("f", "", i, "x", "U", rows[i].normalized_number, d, sev, status="eligible") for i, d in enumerate(days)]
    assert high_frequency(items, 3, 12) == set()
    items[2].decision_date = dt.date(2024, 12, 31)
    assert high_frequency(items, 3, 12) == {"U"}


def test_flag_counts_across_files(tmp_path):
    rng = random.Random(12)
    code = make_uscc(rng)
    header = "企业名称,统一社会信用代码,处罚决定书文号,处罚日期,失信程度"
    for i, day in enumerate(["2024-01-05", "2024-03-05", "2024-05-05"]):
        (tmp_path / f"r{i}.csv").write_text(f"{header}\n常州某公司,{code},常市监处罚〔2024〕{i + 1}号,{day},一般\n",
                                            encoding="utf-8")
    roster = read_rosters(sorted(tmp_path.glob("*.csv")), dt.date(2024, 6, 1))
    assert [r.high_frequency for r in roster.records] == [True, True, True]
    # Order 58 publishes 3 years: still counted a year later; the 2027 board no longer counts the first
    assert read_rosters(sorted(tmp_path.glob("*.csv")), dt.date(2025, 3, 1)).records[0].high_frequency is True
    assert read_rosters(sorted(tmp_path.glob("*.csv")), dt.date(2027, 1, 6)).records[0].high_frequency is False
    single = read_rosters([tmp_path / "r0.csv"], dt.date(2024, 6, 1))
    assert single.records[0].high_frequency is False


def test_board_xlsx_export(tmp_path):
    from openpyxl import load_workbook

    rows = make_rows(40, seed=8)
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    out = tmp_path / "看板.xlsx"
    assert main(["roster", str(path), "--as-of", "2025-06-01", "--xlsx", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["可申请", "即将可申请", "未到期", "日期待确认", "轻微原则上不公示", "已达最长公示期",
                             "不得提前终止", "不予公示", "严重失信主体名单", "缺少处罚日期", "有问题的行"]
    counted = sum(wb[s].max_row - 2 for s in wb.sheetnames[:10])
    assert counted == 40
