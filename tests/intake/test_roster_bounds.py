"""Rosters are untrusted spreadsheets: parsed in the sandbox with row, size and per-entry inflate caps.

Each hostile file runs through the roster reader in a child process with a timeout, so the old behaviour
(a million-row sheet parsing for minutes, a diluted zip bomb accepted) shows as a failure, not a stuck run.
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xinyong_desktop.roster.read import MAX_ROWS, RosterFileError, read_tables

ROOT = Path(__file__).resolve().parents[2]
_CHILD = """
import sys
from pathlib import Path
from xinyong_desktop.roster.read import RosterFileError, read_tables
if __name__ == "__main__":
    try:
        tables = read_tables(Path(sys.argv[1]))
        print("OK", sum(len(t.rows) for t in tables))
    except RosterFileError as e:
        print("REFUSED", e)
"""

_CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                  b'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
                  b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/'
                  b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
                  b'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                  b'officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
       b'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" '
       b'sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _xlsx(path: Path, rows: int, pad: bytes = b"", extra: dict[str, bytes] | None = None) -> Path:
    """A minimal XLSX written row by row (a million-row sheet without building it in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main"><sheetData>')
            chunk = []
            for r in range(1, rows + 1):
                chunk.append(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>'
                             % (r, r, "企业名称".encode() if r == 1 else b"x" + pad))
                if len(chunk) == 5000:
                    fh.write(b"".join(chunk))
                    chunk = []
            fh.write(b"".join(chunk) + b"</sheetData></worksheet>")
        for name, data in (extra or {}).items():
            z.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_STORED)
    return path


def _read_in_child(path: Path, timeout: float = 120) -> str:
    try:
        out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True,
                             timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return "HUNG"
    return out.stdout.strip() or f"CRASHED {out.returncode}: {out.stderr[-400:]}"


def test_a_million_row_sheet_is_refused_quickly(tmp_path):
    p = _xlsx(tmp_path / "1m.xlsx", 1_048_576)
    out = _read_in_child(p, timeout=90)
    assert out.startswith("REFUSED") and "行的上限" in out, out


def test_a_stored_random_entry_does_not_dilute_the_inflate_check(tmp_path):
    # one sheet inflating to ~400 MB from a few MB, beside 6 MB of stored random bytes: the whole file's
    # ratio looks harmless; the sheet's own does not
    p = _xlsx(tmp_path / "bomb.xlsx", 20_000, pad=b"A" * 20_000, extra={"xl/media/image1.bin": os.urandom(6 << 20)})
    with zipfile.ZipFile(p) as z:
        total = sum(i.file_size for i in z.infolist())
        packed = sum(i.compress_size for i in z.infolist())
    assert total > 350 << 20 and total / packed < 200  # what the old whole-file check let through
    out = _read_in_child(p)
    assert out.startswith("REFUSED") and "异常巨大" in out, out


def test_a_roster_within_the_caps_reads_in_the_sandbox(tmp_path):
    p = _xlsx(tmp_path / "ok.xlsx", 2_000)
    tables = read_tables(p)
    assert len(tables) == 1 and len(tables[0].rows) == 2_000 and tables[0].file == "ok.xlsx"


def test_a_csv_field_over_128k_characters_is_a_roster_error(tmp_path):
    p = tmp_path / "long.csv"
    p.write_text("企业名称,统一社会信用代码,决定书文号\n甲公司,\"" + "长" * 140_000 + "\",x\n", encoding="utf-8")
    with pytest.raises(RosterFileError, match="第 2 行"):
        read_tables(p)


def test_a_csv_over_the_row_cap_is_refused(tmp_path):
    p = tmp_path / "many.csv"
    p.write_text("企业名称,统一社会信用代码,决定书文号\n" + "甲公司,x,y\n" * (MAX_ROWS + 5), encoding="utf-8")
    with pytest.raises(RosterFileError, match="行的上限"):
        read_tables(p)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_like_a_roster_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "名单.csv")
    out = _read_in_child(tmp_path / "名单.csv", timeout=60)
    assert out.startswith("REFUSED") and "不是普通文件" in out, out


def _merged_xlsx(path: Path, ref: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml",
                   b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                   b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>'
                   b'</row></sheetData><mergeCells count="1"><mergeCell ref="' + ref.encode() + b'"/></mergeCells>'
                   b'</worksheet>')
    return path


def test_a_kilobyte_sheet_merging_every_cell_is_refused_at_once(tmp_path):
    """A 1.5 KB XLSX merging A1:XFD1048576 (was: 51 s and 2.18 GB before the memory backstop stopped it)."""
    p = _merged_xlsx(tmp_path / "merged.xlsx", "A1:XFD1048576")
    assert p.stat().st_size < 2000
    out = _read_in_child(p, timeout=60)
    assert out.startswith("REFUSED") and "合并单元格" in out, out
    ok = _merged_xlsx(tmp_path / "title.xlsx", "A1:H2")  # a title merged over the columns is read
    assert sum(len(t.rows) for t in read_tables(ok)) == 2


def test_a_broken_deflate_stream_is_a_roster_error_and_nothing_on_stderr(tmp_path):
    """zlib.error from a damaged sheet (was: the sandbox's traceback on stderr)."""
    p = _xlsx(tmp_path / "broken.xlsx", 3000)
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for k in range(start + 200, start + 260):  # the deflate stream of the sheet, past its first block header
        data[k] = 0xFF
    p.write_bytes(bytes(data))
    run = subprocess.run([sys.executable, "-m", "xinyong_desktop", "roster", str(p)], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 2 and "已损坏" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "zlib" not in run.stderr.replace("（error）", ""), run.stderr
