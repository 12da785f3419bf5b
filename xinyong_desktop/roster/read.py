"""Read roster spreadsheets (XLSX, CSV) as credit offices really export them.

Title rows above the header, two-level headers, merged cells, header wording variants, dates as Excel
serial numbers or text, GBK/UTF-8/UTF-16 CSV.  Every cell-level problem becomes a row error with the row
number a spreadsheet program shows; a file that cannot be read at all raises RosterFileError.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from xinyong_desktop.errors import InputError
from xinyong_desktop.rules.loader import RosterRules

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # all entries of an XLSX together, as declared and as inflated
MAX_ENTRY_RATIO = 200  # inflated / compressed, per entry over 1 MB (a stored random entry cannot dilute it)
MAX_ROWS = 50_000  # per file: a city's whole list is a few thousand
READ_SECONDS = 120.0  # time limit of one roster read in the sandbox
HEADER_SCAN_ROWS = 30
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
# openpyxl makes one cell object per cell of a merged range: a 1.5 KB file merging A1:XFD1048576 asks for 17
# billion of them.  The cells of all merged ranges of a file are capped at what a roster can hold.
MAX_MERGED_CELLS = 1_000_000
_MERGE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref\s*=\s*["\']\$?([A-Za-z]{1,3})\$?([0-9]{1,7})'
                    rb'(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?')


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _merged_cells(xml: bytes) -> int:
    total = 0
    for m in _MERGE.finditer(xml):
        if m[3]:
            total += (abs(_col(m[3]) - _col(m[1])) + 1) * (abs(int(m[4]) - int(m[2])) + 1)
    return total

_HEADER_NOISE = re.compile(r"[\s*＊:：]|[（(][^（）()]*[)）]$")


class RosterFileError(InputError):
    """The file as a whole cannot be read as a roster; the message is Chinese and names the cause."""


@dataclass
class RawRow:
    """One data row: the cells of the recognised columns as text or date, and where it came from."""

    file: str
    sheet: str
    row: int
    cells: dict[str, object]
    labels: dict[str, str] = field(default_factory=dict)  # column → header text (for units such as 万元)


@dataclass
class Table:
    file: str
    sheet: str
    rows: list[tuple[int, list[object]]]  # (row number as shown, cell values)


@dataclass
class SheetColumns:
    header_row: int  # the last header row (several header rows: the lowest)
    columns: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # column → its header text (all levels), e.g. "罚款金额（万元）"


# ---------------------------------------------------------------- file → tables
def sniff(data: bytes) -> str:
    if not data.strip():
        raise RosterFileError("文件是空的")
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RosterFileError("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 后再导入")
    if data[:5] == b"%PDF-":
        raise RosterFileError("这是 PDF 文件，不是名单表格（请导入 .xlsx 或 .csv）")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "csv"
    if b"\x00" in data[:4096]:
        raise RosterFileError("不是表格文件（请导入 .xlsx 或 .csv）")
    return "csv"


def decode_text(data: bytes) -> str:
    """Excel on Chinese Windows saves CSV as GBK; newer ones as UTF-8 with BOM; "Unicode text" as UTF-16."""
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise RosterFileError("无法识别文件的文字编码（请在 Excel 中另存为“CSV UTF-8”或 .xlsx）")


def _csv_tables(path: Path, data: bytes) -> list[Table]:
    text = decode_text(data)
    head = text[:8192].splitlines()[:10]
    delim = max([",", "\t", ";", "，"], key=lambda d: sum(line.count(d) for line in head))
    rows: list[tuple[int, list]] = []
    try:
        for i, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delim), start=1):
            if i > MAX_ROWS:
                raise RosterFileError(f"名单超过 {MAX_ROWS:,} 行的上限，已拒绝读取（请按地区或批次拆分）")
            rows.append((i, cells))
    except csv.Error:  # e.g. a cell over the csv module's field limit (its English text is not shown)
        where = f"第 {len(rows) + 1} 行"
        raise RosterFileError(f"CSV 文件{where}格式有误（单元格超过 {csv.field_size_limit():,} 个字符或引号不配对），"
                              "无法读取") from None
    return [Table(path.name, "", rows)]


def _check_zip(path: Path) -> None:
    """Refuse a zip bomb before openpyxl inflates anything: entry count, each entry's declared size and ratio,
    the declared total, then — streaming, never holding it — the actual inflated bytes of every entry and the
    number of rows in the sheets."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > 10_000:
                raise RosterFileError("Excel 文件中的条目过多，已拒绝读取（可能是恶意文件）")
            if not any(i.filename.startswith("xl/") for i in infos):
                raise RosterFileError("不是 Excel 表格（压缩包中没有工作表）")
            declared = 0
            for i in infos:
                declared += i.file_size
                if (i.file_size > MAX_UNZIPPED_BYTES or declared > MAX_UNZIPPED_BYTES
                        or (i.file_size > 1 << 20 and i.file_size > MAX_ENTRY_RATIO * max(i.compress_size, 1))):
                    raise RosterFileError("Excel 文件解压后异常巨大，已拒绝读取（可能是恶意文件）")
            inflated = rows = merged = 0
            for i in infos:
                sheet = i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
                got, tail = 0, b""
                with z.open(i) as fh:
                    while block := fh.read(1 << 20):
                        got += len(block)
                        inflated += len(block)
                        if got > i.file_size or inflated > MAX_UNZIPPED_BYTES:
                            raise RosterFileError("Excel 文件解压后异常巨大，已拒绝读取（可能是恶意文件）")
                        if sheet:
                            rows += len(_ROW_TAG.findall(tail + block)) - len(_ROW_TAG.findall(tail))
                            merged += _merged_cells(tail + block) - _merged_cells(tail)
                            if merged > MAX_MERGED_CELLS:
                                raise RosterFileError(f"Excel 文件中合并单元格的范围过大（超过 {MAX_MERGED_CELLS:,} 个"
                                                      "单元格），已拒绝读取（可能是恶意文件）")
                            tail = block[-200:]
                            if rows > MAX_ROWS:
                                raise RosterFileError(f"名单超过 {MAX_ROWS:,} 行的上限，已拒绝读取（请按地区或批次拆分）")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, zlib.error) as e:
        raise RosterFileError(f"Excel 文件已损坏，无法打开（{type(e).__name__}）") from None


def _xlsx_tables(path: Path) -> list[Table]:
    import openpyxl

    _check_zip(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many types on broken files
        raise RosterFileError(f"Excel 文件已损坏，无法打开（{type(e).__name__}）") from None
    tables = []
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            merged = {}
            for rng in ws.merged_cells.ranges:
                top = ws.cell(rng.min_row, rng.min_col).value
                for r in range(rng.min_row, rng.max_row + 1):
                    for c in range(rng.min_col, rng.max_col + 1):
                        if (r, c) != (rng.min_row, rng.min_col):
                            merged[(r, c)] = top
            rows = []
            for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = list(values)
                if merged:
                    for c in range(len(cells)):
                        if (r, c + 1) in merged:
                            cells[c] = merged[(r, c + 1)]
                rows.append((r, cells))
            tables.append(Table(path.name, ws.title, rows))
    finally:
        wb.close()
    return tables


def read_tables(path: Path) -> list[Table]:
    """The tables of one roster file, parsed in a sandboxed parser process (time, memory and row limits):
    a hostile spreadsheet becomes one RosterFileError, never a hang or an exhausted laptop."""
    from xinyong_desktop.intake.sandbox import call_sandboxed

    try:
        real = Path(path).resolve(strict=True)  # a link the user chose is followed here, once
    except FileNotFoundError:
        raise RosterFileError("找不到文件") from None
    except OSError as e:
        raise RosterFileError(f"无法读取（{e.strerror or type(e).__name__}）") from None
    res = call_sandboxed("xinyong_desktop.roster.read:read_tables_here", real, Path(path).name, seconds=READ_SECONDS)
    if not res["ok"]:
        raise RosterFileError(res["reason"])
    return res["value"]


def read_tables_here(path: Path, shown_name: str | None = None) -> list[Table]:
    """read_tables in this process (what the sandbox runs)."""
    from xinyong_desktop.safeio import UnsafeFileError, read_small_regular_file

    try:
        data = read_small_regular_file(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise RosterFileError("找不到文件") from None
    except UnsafeFileError as e:
        if "上限" in str(e):
            size = os.stat(path).st_size
            raise RosterFileError(f"文件过大（{size // (1024 * 1024)} MB），名单文件不应超过 "
                                  f"{MAX_FILE_BYTES // (1024 * 1024)} MB") from None
        if "文件夹" in str(e):
            raise RosterFileError("这是文件夹，不是名单文件") from None
        raise RosterFileError(str(e)) from None
    except PermissionError:
        raise RosterFileError("没有读取权限") from None
    kind = sniff(data)
    tables = _xlsx_tables(path) if kind == "xlsx" else _csv_tables(path, data)
    if shown_name:
        for t in tables:
            t.file = shown_name
    return tables


# ---------------------------------------------------------------- header
def cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    return str(v).strip()


def _header_key(v: object) -> str:
    s = cell_text(v).replace("\u3000", "")
    prev = None
    while prev != s:
        prev, s = s, _HEADER_NOISE.sub("", s)
    return s.replace("(", "（").replace(")", "）")


class HeaderMatcher:
    def __init__(self, rules: RosterRules):
        self.lookup: dict[str, str] = {}
        for col, aliases in rules.columns.items():
            for a in aliases:
                self.lookup.setdefault(_header_key(a), col)
                self.lookup.setdefault(a.replace("(", "（").replace(")", "）").replace(" ", ""), col)

    def match(self, text: object) -> str | None:
        raw = cell_text(text).replace(" ", "").replace("\u3000", "").replace("\n", "")
        raw = raw.replace("(", "（").replace(")", "）").lstrip("*＊")
        if raw in self.lookup:
            return self.lookup[raw]
        key = _header_key(text)
        if key in self.lookup:
            return self.lookup[key]
        m = re.fullmatch(r"[^（]*（(.+)）", raw)  # "行政相对人代码（统一社会信用代码）"
        if m and m[1] in self.lookup:
            return self.lookup[m[1]]
        return None

    def columns(self, cells: list[object], above: list[object] | None) -> dict[str, int]:
        return {col: i for col, (i, _) in self.labelled(cells, above).items()}

    def labelled(self, cells: list[object], above: list[object] | None) -> dict[str, tuple[int, str]]:
        """column → (index, header text); a cell is tried alone, then with the cell above (two-level header)."""
        found: dict[str, tuple[int, str]] = {}
        for i, v in enumerate(cells):
            col = self.match(v) if cell_text(v) else None
            label = cell_text(v)
            up = cell_text(above[i]) if above is not None and i < len(above) else ""
            if col is None and up:
                col = self.match(up + cell_text(v))
                label = up + cell_text(v)
            elif up and up != label:
                label = up + label
            if col and col not in found:
                found[col] = (i, label)
        return found


def find_header(table: Table, matcher: HeaderMatcher) -> SheetColumns | None:
    """The header: the first row naming ≥ 3 known columns; a row under it that names columns too is a second
    header level (parent cells merged over sub-columns: "行政相对人代码" over "统一社会信用代码 | 工商注册号")."""
    prev = None
    rows = table.rows[:HEADER_SCAN_ROWS + 1]
    for n, (row, cells) in enumerate(rows):
        if n >= HEADER_SCAN_ROWS:
            break
        found = matcher.labelled(cells, prev)
        if len(found) >= 3 and ("decision_number" in found or "enterprise_name" in found):
            if n + 1 < len(rows):
                nrow, ncells = rows[n + 1]
                own = [c for c in ncells if cell_text(c) and matcher.match(c)]
                if own and not _looks_like_data(ncells):
                    sub = matcher.labelled(ncells, cells)
                    taken = {i for i, _ in sub.values()}
                    merged = {c: v for c, v in found.items() if v[0] not in taken or c in sub}
                    merged.update(sub)
                    found, row = merged, nrow
            return SheetColumns(row, {c: i for c, (i, _) in found.items()}, {c: t for c, (_, t) in found.items()})
        prev = cells
    return None


def _looks_like_data(cells: list[object]) -> bool:
    """A row with a date, a long number or a decision number in it is data, not a header level."""
    for c in cells:
        t = cell_text(c)
        if isinstance(c, (dt.date, dt.datetime, int, float)) and not isinstance(c, bool):
            return True
        if re.search(r"\d{4}[-/.年]\d{1,2}|\d{5,}|〔|[\[【（(]\d{4}[\]】）)]", t):
            return True
    return False


def data_rows(table: Table, header: SheetColumns, rules: RosterRules) -> list[RawRow]:
    out = []
    header_cells = None
    for row, cells in table.rows:
        if row < header.header_row:
            continue
        if row == header.header_row:
            header_cells = [cell_text(c) for c in cells]
            continue
        texts = [cell_text(c) for c in cells]
        filled = [t for t in texts if t]
        if not filled:
            continue
        if texts == header_cells:  # a header repeated on every printed page
            continue
        if len(filled) == 1 and filled[0].startswith(rules.note_prefixes):
            continue
        picked = {col: (cells[i] if i < len(cells) else None) for col, i in header.columns.items()}
        if not any(cell_text(v) for v in picked.values()):
            continue
        if all(re.fullmatch(r"\d{1,4}", cell_text(v) or "0") for v in picked.values()):
            continue  # a column-number row ("1 2 3 4 …") under the header
        out.append(RawRow(table.file, table.sheet, row, picked, header.labels))
    return out
