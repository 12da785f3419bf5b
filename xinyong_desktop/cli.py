"""The `xinyong-desktop` command: headless shells over the core.  Never imports Qt unless `gui` is asked for."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from xinyong_desktop import __version__
from xinyong_desktop.errors import (
    EXIT_CANNOT_RUN,
    EXIT_NOT_READY,
    EXIT_READY,
    InputError,
    OutputError,
    SetupError,
    UsageError,
    XinyongError,
    exit_code,
    os_reason,
    reading,
    user_message,
    write_reason,
    writing,
)

EXIT_USAGE = EXIT_CANNOT_RUN

# argparse's own messages are English; these say the same in Chinese (first match wins)
_ARGPARSE_CN = [(re.compile(a), b) for a, b in (
    (r"^the following arguments are required: (.*)$", r"缺少参数：\1"),
    (r"^unrecognized arguments: (.*)$", r"无法识别的参数：\1"),
    (r"^argument (.+?): invalid choice: (.*) \(choose from (.*)\)$", r"参数 \1 的取值 \2 无效（可选：\3）"),
    (r"^argument (.+?): expected one argument$", r"参数 \1 后面需要一个值"),
    (r"^argument (.+?): expected at least one argument$", r"参数 \1 后面至少需要一个值"),
    (r"^argument (.+?): expected at most one argument$", r"参数 \1 后面最多一个值"),
    (r"^argument (.+?): invalid \S+ value: (.*)$", r"参数 \1 的值 \2 无效"),
    (r"^argument (.+?): not allowed with argument (.*)$", r"参数 \1 不能与 \2 同时使用"),
    (r"^argument (.+?): ignored explicit argument (.*)$", r"参数 \1 不接受值 \2"),
    (r"^ambiguous option: (\S+) could match (.*)$", r"选项 \1 不明确，可能是：\2"),
    (r"^one of the arguments (.*) is required$", r"必须给出以下参数之一：\1"),
    (r"^argument (.+?): (.*)$", r"参数 \1：\2"),
)]


def _cn(message: str) -> str:
    for pattern, chinese in _ARGPARSE_CN:
        if pattern.match(message):
            return pattern.sub(chinese, message)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """Usage, help and errors in Chinese; a usage error exits 2, as the contract says."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"参数错误：{_cn(message)}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{s}") from None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="xinyong-desktop", description="信用修复小班审核台（不带命令时打开审核台窗口）")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="cmd", parser_class=_Parser, title="命令", metavar="命令")
    packet: dict[str, Any] = {"type": Path, "metavar": "材料文件夹", "help": "一家企业的材料所在的文件夹"}
    rosters: dict[str, Any] = {"type": Path, "nargs": "+", "metavar": "名单文件", "help": "处罚名单（.xlsx 或 .csv），可以多个"}
    as_of: dict[str, Any] = {"type": _date, "default": None, "metavar": "日期", "help": "以该日期为“今天”计算（YYYY-MM-DD，默认今天）"}
    instructor: dict[str, Any] = {"default": "", "metavar": "姓名", "help": "审核老师姓名（写入表格和清单）"}
    no_ocr: dict[str, Any] = {"action": "store_true", "help": "不识别扫描件文字"}
    c = sub.add_parser("check", help="检查一家企业的材料包")
    c.add_argument("packet_dir", **packet)
    c.add_argument("--as-of", **as_of)
    c.add_argument("--json", action="store_true", help="输出 JSON（schema 2）")
    c.add_argument("--no-ocr", **no_ocr)
    fm = sub.add_parser("forms", help="生成预填的申请书、承诺书（委托时含授权委托书）和审核意见表")
    fm.add_argument("packet_dir", **packet)
    fm.add_argument("--out", type=Path, required=True, metavar="输出文件夹", help="PDF 写入的文件夹（不存在时新建）")
    fm.add_argument("--as-of", **as_of)
    fm.add_argument("--instructor", **instructor)
    fm.add_argument("--no-ocr", **no_ocr)
    nt = sub.add_parser("notice", help="生成一次性补正告知单")
    nt.add_argument("packet_dir", **packet)
    nt.add_argument("--out", type=Path, required=True, metavar="文件.pdf", help="告知单 PDF 的文件名")
    nt.add_argument("--as-of", **as_of)
    nt.add_argument("--instructor", **instructor)
    nt.add_argument("--no-ocr", **no_ocr)
    ex = sub.add_parser("export", help="检查并导出已就绪的材料包（含预填表格、审核意见表和校验清单）")
    ex.add_argument("packet_dirs", type=Path, nargs="+", metavar="材料文件夹", help="一个或多个企业的材料文件夹")
    ex.add_argument("--to", type=Path, required=True, dest="dest", metavar="目标文件夹", help="导出到的文件夹（如 U 盘）")
    ex.add_argument("--as-of", **as_of)
    ex.add_argument("--instructor", **instructor)
    ex.add_argument("--force", default="", metavar="理由", help="未就绪也导出，理由写入清单")
    vf = sub.add_parser("verify", help="按 manifest.json 校验导出的文件夹")
    vf.add_argument("dest", type=Path, metavar="导出文件夹", help="导出时的目标文件夹")
    ro = sub.add_parser("roster", help="读取处罚名单，计算可申请日期、公示状态和高频失信标记")
    ro.add_argument("roster_files", **rosters)
    ro.add_argument("--as-of", **as_of)
    ro.add_argument("--json", action="store_true", help="输出 JSON")
    ro.add_argument("--xlsx", type=Path, default=None, metavar="文件.xlsx", help="把看板各清单另存为 Excel 文件")
    gd = sub.add_parser("guide", help="按名单为每家企业生成信用修复材料清单（逐家一份，另有合并打印版）")
    gd.add_argument("roster_files", **rosters)
    gd.add_argument("--out", type=Path, required=True, metavar="输出文件夹", help="PDF 写入的文件夹（不存在时新建）")
    gd.add_argument("--as-of", **as_of)
    lt = sub.add_parser("letters", help="按名单生成信用修复提醒函（逐家一份，另有合并打印版）")
    lt.add_argument("roster_files", **rosters)
    lt.add_argument("--out", type=Path, required=True, metavar="输出文件夹", help="PDF 写入的文件夹（不存在时新建）")
    lt.add_argument("--as-of", **as_of)
    lt.add_argument("--only", choices=["all", "eligible", "soon", "not_yet"], default="all",
                    help="只给某一清单中的企业生成：eligible 现在可申请，soon 即将可申请，not_yet 暂不可申请"
                         "（默认 all：全部，已停止公示的除外）")
    for sp in (gd, lt):  # what the office sets on its papers (LetterSettings)
        sp.add_argument("--class-time", default="", metavar="时间", help="培训班时间（印在提醒函和材料清单上）")
        sp.add_argument("--class-place", default="", metavar="地点", help="培训班地点")
        sp.add_argument("--contact", default="", metavar="联系方式", help="本办联系电话、地址")
    lt.add_argument("--by-authority", action="store_true",
                    help="两书同达：以各条记录的处罚机关名义出具提醒函（落款为处罚机关）")
    lt.add_argument("--signer", default="", metavar="签发人", help="提醒函落款的签发人")
    lt.add_argument("--issue-date", type=_date, default=None, metavar="YYYY-MM-DD", help="提醒函落款日期（默认 --as-of）")
    g = sub.add_parser("gui", help="打开审核台窗口（默认）")
    g.add_argument("--open", type=Path, default=None, dest="open_dir", metavar="材料文件夹", nargs="+",
                   help="打开并检查这些材料文件夹（多个时依次排队检查）")
    g.add_argument("--screenshot", type=Path, default=None, metavar="图片.png", help="检查完成后保存窗口截图并退出")
    g.add_argument("--size", type=_size, default=(1600, 1000), metavar="宽x高", help="截图时的窗口大小（默认 1600x1000）")
    g.add_argument("--while-checking", action="store_true",
                   help="截图时不等全部检查完：第一个材料包检查完、其余仍在队列中时截图")
    g.add_argument("--as-of", **as_of)
    return p


def _size(text: str) -> tuple[int, int]:
    import argparse

    try:
        w, h = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"窗口大小应写作 宽x高，例如 1366x768：{text}") from None
    if not (640 <= w <= 8000 and 480 <= h <= 8000):
        raise argparse.ArgumentTypeError(f"窗口大小超出范围：{text}")
    return w, h


def _folder(path: Path, what: str = "材料文件夹") -> Path:
    """`path` if it is a folder that can be listed; otherwise a UsageError/InputError saying why, in Chinese."""
    try:
        if not path.is_dir():
            if path.exists() or path.is_symlink():
                raise UsageError(f"“{path}”不是文件夹，请给出{what}")
            raise UsageError(f"找不到{what}：{path}")
        with os.scandir(path) as it:
            next(it, None)
    except OSError as e:
        raise InputError(f"无法读取{what}“{path}”：{os_reason(e)}") from e
    return path


def _report(result, rules) -> str:
    from xinyong_desktop.checks.obligations import verdict

    lines = [f"检查日期：{result.as_of.isoformat()}    结论：{verdict(result.ready, result.findings)}"]
    if result.eligible_from:
        lines.append(f"可申请修复日期：{result.eligible_from.isoformat()}")
    lines.append("\n材料：")
    for m in result.materials:
        pages = ",".join(map(str, m.pages)) or "-"
        lines.append(f"  {rules.materials[m.kind].name:<16} {m.path}（第 {pages} 页）")
    lines.append("\n问题：" if result.findings else "\n未发现问题。")
    for f in result.findings:
        tag = {"error": "错误", "review": "待人工核对"}.get(str(f.severity), "提示")
        lines.append(f"  [{tag}] {f.message}")
    return "\n".join(lines)


def _writable(folder: Path, what: str, shown: Path) -> None:
    """Fail before the slow part (the check) when the output cannot be written: make the folder, probe it."""
    import tempfile

    with writing(what, shown):
        folder.mkdir(parents=True, exist_ok=True)
        try:
            with tempfile.TemporaryFile(dir=folder, prefix=".xinyong-probe-"):
                pass
        except OSError as e:  # name the folder, not the probe file
            raise OSError(e.errno, e.strerror, str(folder)) from e


@contextmanager
def _naming(packet_dir: Path) -> Iterator[None]:
    """A case.json problem names the packet it is in (export takes several)."""
    from xinyong_desktop.services.check_packet import CaseFileError

    try:
        yield
    except CaseFileError as e:
        raise CaseFileError(f"材料文件夹“{packet_dir}”：{e.message}") from e


def _checked(args):
    """(rules, result) for a packet command; the error hierarchy when it cannot run."""
    import threading

    from xinyong_desktop.intake.sandbox import ParserPool

    _folder(args.packet_dir)
    # the parser processes start (their own interpreter, their libraries) while this one loads the engine
    pool = ParserPool()
    starting = threading.Thread(target=pool.warm, name="parsers", daemon=True)
    starting.start()
    try:
        from xinyong_desktop.rules.loader import default_rules
        from xinyong_desktop.services.check_packet import check_packet

        rules = default_rules()
        starting.join()
        with reading("材料文件夹", args.packet_dir), _naming(args.packet_dir):
            return rules, check_packet(args.packet_dir, as_of=args.as_of, ocr=not args.no_ocr, rules=rules, pool=pool)
    finally:
        starting.join()
        pool.close()


def cmd_check(args) -> int:
    from xinyong_desktop.rules.loader import default_rules

    _, result = _checked(args)
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        print(_report(result, default_rules()))
    return EXIT_READY if result.ready else EXIT_NOT_READY


def cmd_forms(args) -> int:
    from xinyong_desktop.documents.forms import write_forms

    _writable(args.out, "输出文件夹", args.out)
    rules, result = _checked(args)
    with writing("输出文件夹", args.out):
        paths = write_forms(result, rules, args.out, args.instructor)
    for path in paths:
        print(path)
    return EXIT_READY


def cmd_notice(args) -> int:
    from xinyong_desktop.documents.notice import render_notice

    _writable(args.out.parent, "告知单", args.out)
    rules, result = _checked(args)
    with writing("告知单", args.out):
        print(render_notice(result, rules, args.out, args.instructor))
    return EXIT_READY


def _inside(path: str | os.PathLike | None, folder: Path) -> bool:
    try:
        return path is not None and Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder))
    except (TypeError, ValueError):
        return False


def cmd_export(args) -> int:
    from xinyong_desktop.rules.loader import default_rules
    from xinyong_desktop.services.check_packet import read_case_file
    from xinyong_desktop.services.export_packets import export_packets

    for d in args.packet_dirs:
        _folder(d)
    _writable(args.dest, "导出目标", args.dest)
    for d in args.packet_dirs:  # every case.json is usable before anything is written
        with reading("材料文件夹", d), _naming(d):
            read_case_file(d)
    rules = default_rules()
    try:
        out = export_packets(args.packet_dirs, args.dest, rules, args.instructor, args.as_of, args.force)
    except OSError as e:  # the destination, or a packet file it was copying from
        if _inside(e.filename, args.dest) or not any(_inside(e.filename, d) for d in args.packet_dirs):
            raise OutputError(f"无法导出到“{args.dest}”：{write_reason(e)}。"
                              "请换一个可以写入的文件夹或 U 盘。") from e
        raise InputError(f"导出时无法读取“{e.filename}”：{os_reason(e)}") from e
    for p in out.exported:
        print(f"已导出并校验：{p}")
    for p, why in out.skipped:
        print(f"未导出 {p}：{why}")
    return EXIT_READY if not out.skipped else EXIT_NOT_READY


def cmd_verify(args) -> int:
    from xinyong_desktop.export.usb import verify

    _folder(args.dest, "导出文件夹")
    with reading("导出文件夹", args.dest):
        reports = verify(args.dest)
    ok = bool(reports) and all(r.ok for r in reports)
    for r in reports:
        print(f"{'完好' if r.ok else '有问题'}：{r.folder}")
        if r.incomplete:
            print("  导出未完成（缺少或损坏 manifest.json，或文件夹名带“（未完成）”）")
        for label, names in (("缺少", r.missing), ("已被改动", r.changed), ("多出", r.extra)):
            for n in names:
                print(f"  {label}：{n}")
    if not reports:
        print("该文件夹中没有导出的材料包")
    return EXIT_READY if ok else EXIT_NOT_READY


def _roster_report(roster, soon_days: int) -> str:
    from xinyong_desktop.roster.board import list_titles

    lines = [f"名单日期：{roster.as_of.isoformat()}    有效记录 {len(roster.records)} 条，"
             f"有问题的行 {len(roster.errors)} 条，重复行 {len(roster.duplicates)} 条"]
    for key, items in roster.lists(soon_days).items():
        lines.append(f"\n{list_titles(soon_days)[key]}（{len(items)}）")
        for r in items:
            flag = f"  【高频失信：{'、'.join(r.high_frequency_rules)}】" if r.high_frequency else ""
            firm = r.assessment is None or r.assessment.firm  # a date still to confirm is shown as candidates
            dates = (f"可申请：{r.eligible_from or '-'}  终止公示：{r.withdrawn_on or '-'}" if firm
                     else r.assessment.candidates_text() if r.assessment else "")
            lines.append(f"  {r.enterprise_name}  {r.decision_number}  {r.severity_label}  {dates}{flag}")
            lines += [f"      待核对：{x}" for x in r.problems] + ([f"      {r.route()}"] if r.listing else [])
            lines += [f"      说明：{r.note}"] if r.note else []
    if roster.errors:
        lines.append("\n有问题的行：")
        for e in roster.errors:
            where = f"第 {e.row} 行" if e.row else "整个文件"
            lines.append(f"  {e.file}{'（' + e.sheet + '）' if e.sheet else ''} {where}：{e.message}")
    return "\n".join(lines)


def _read_rosters(args):
    from xinyong_desktop.roster.board import read_rosters
    from xinyong_desktop.rules.loader import default_rules

    rules = default_rules()
    as_of = args.as_of or dt.date.today()
    return rules, as_of, read_rosters(args.roster_files, as_of, rules)  # unreadable files are listed, not raised


def cmd_roster(args) -> int:
    rules, _, roster = _read_rosters(args)
    if args.xlsx:
        from xinyong_desktop.roster.export import write_board_xlsx

        with writing("表格文件", args.xlsx):
            write_board_xlsx(roster, rules.soon_days, args.xlsx)
    if args.json:
        sys.stdout.write(json.dumps(roster.as_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        print(_roster_report(roster, rules.soon_days))
    whole_file = {e.file: e.message for e in roster.errors if e.row is None}
    for path in roster.unreadable:
        print(f"无法读取名单“{path}”：{whole_file.get(Path(path).name, '不是可以读取的名单表格')}", file=sys.stderr)
    return EXIT_USAGE if roster.unreadable else EXIT_READY


def _roster_documents(args, writer) -> int:
    _writable(args.out, "输出文件夹", args.out)
    rules, as_of, roster = _read_rosters(args)
    only = getattr(args, "only", None)  # letters choose a list; material lists go to every record
    records = roster.records if only is None else [
        r for key, items in roster.lists(rules.soon_days).items()
        if key != "withdrawn" and only in ("all", key) for r in items]
    from xinyong_desktop.documents.letters import LetterSettings

    settings = LetterSettings(args.class_time, args.class_place, args.contact,
                              signer=getattr(args, "signer", ""), issue_date=getattr(args, "issue_date", None),
                              by_authority=getattr(args, "by_authority", False))
    with writing("输出文件夹", args.out):
        paths, merged = writer(records, rules, args.out, as_of, settings=settings)
    for path in paths:
        print(path)
    if merged:
        print(f"合并打印：{merged}")
    for e in roster.errors:
        print(f"未生成（{e.file}{' 第 ' + str(e.row) + ' 行' if e.row else ''}）：{e.message}", file=sys.stderr)
    return EXIT_USAGE if roster.unreadable else EXIT_READY


def _qt_missing() -> str | None:
    """A Chinese explanation when the window cannot start because Qt (PySide6) is absent or does not load."""
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as e:
        if isinstance(e, ModuleNotFoundError) and (e.name or "").split(".")[0] in ("PySide6", "shiboken6"):
            return ("审核台窗口需要 PySide6，当前环境没有安装。请运行：\n"
                    '  python -m pip install "xinyong-desktop[gui]"\n'
                    "（从源代码目录安装时：python -m pip install \".[gui]\"）。"
                    "不需要窗口时，check、forms、roster 等命令不需要 PySide6。")
        return (f"PySide6 已安装但无法加载（{e}）。Linux 上通常缺少系统图形库，"
                "请安装 libgl1、libegl1、libxkbcommon0、libfontconfig1 后重试。")
    return None


def _run(args) -> int:
    if args.cmd == "check":
        return cmd_check(args)
    if args.cmd == "forms":
        return cmd_forms(args)
    if args.cmd == "notice":
        return cmd_notice(args)
    if args.cmd == "export":
        return cmd_export(args)
    if args.cmd == "verify":
        return cmd_verify(args)
    if args.cmd == "roster":
        return cmd_roster(args)
    if args.cmd in ("guide", "letters"):
        from xinyong_desktop.documents.letters import write_guides, write_reminders

        return _roster_documents(args, write_guides if args.cmd == "guide" else write_reminders)
    if args.cmd == "gui" and args.open_dir is not None:
        for folder in args.open_dir:
            _folder(folder)
    qt_missing = _qt_missing()
    if qt_missing:
        raise SetupError(qt_missing)
    from xinyong_desktop.app.main import run_gui  # the only path that imports Qt

    if args.cmd == "gui":
        return run_gui(args.open_dir, args.screenshot, args.as_of, args.size, args.while_checking)
    return run_gui()


def _log_unexpected(e: BaseException) -> str:
    """The traceback of an unexpected error goes to the (redacted) log, never to the terminal."""
    import logging

    from xinyong_desktop.logs import setup_logging

    try:
        path = setup_logging()
    except OSError:
        return ""
    logging.getLogger("xinyong.cli").error("命令出错：%s", " ".join(sys.argv), exc_info=(type(e), e, e.__traceback__))
    return f"（详细信息已写入日志：{path}）"


def main(argv: list[str] | None = None) -> int:
    """The one place where errors become exit statuses and Chinese messages on stderr."""
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # `… | head` closed the pipe: nothing left to tell anyone
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_CANNOT_RUN
    except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001 - every error ends as a message, never a traceback
        message = user_message(e)
        if not isinstance(e, XinyongError | OSError | KeyboardInterrupt):
            message = message.replace("详细信息已写入日志。", _log_unexpected(e) or "")
        print(message, file=sys.stderr)
        return exit_code(e)


if __name__ == "__main__":
    sys.exit(main())
