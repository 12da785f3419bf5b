"""`roster --xlsx` writes what a roster said as text: a cell starting with =, +, -, @ or a tab never becomes a
formula in the office's Excel (formula injection through a roster someone else made)."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
import zipfile

import pytest

from tests.rostergen import make_rows, write_csv, write_xlsx

HOSTILE = ['=HYPERLINK("http://evil.example/x","查看")', "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0",
           "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hostile_cells_are_written_as_text(tmp_path, fmt):
    from openpyxl import load_workbook

    rows = make_rows(len(HOSTILE), seed=9)
    # hostile enterprise names and authorities; each row stays a valid record
    rows = [dataclasses.replace(r, name=f"{h}常州{i}有限公司" if h.startswith("\t") else h + f"{i}有限公司",
                                authority=h) for i, (r, h) in enumerate(zip(rows, HOSTILE, strict=True))]
    src = tmp_path / f"名单.{fmt}"
    (write_csv if fmt == "csv" else write_xlsx)(src, rows)
    if fmt == "xlsx":  # in the office's file they are text cells (typed with Excel's ' prefix), not formulas
        wb = load_workbook(src)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
        wb.save(src)
    out = tmp_path / "看板.xlsx"
    p = subprocess.run([sys.executable, "-m", "xinyong_desktop", "roster", str(src), "--as-of", "2025-06-01",
                        "--xlsx", str(out)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    wb = load_workbook(out)  # formulas are kept as formulas when reading this way (data_type "f")
    seen = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lstrip("\t").startswith(("=", "+", "-", "@")):
                    seen.append(cell.value)
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    # every hostile text arrived (as the authority of its record), none was dropped or altered into a value
    for h in HOSTILE:
        assert h.strip() in {v.strip() for v in seen}, h
    with zipfile.ZipFile(out) as z:  # and the file carries no formula element at all
        for n in z.namelist():
            if n.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(n), n
