"""The `xinyong-desktop` command: headless shells over the core.  Never imports Qt unless `gui` is asked for."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from xinyong_desktop import __version__

EXIT_READY, EXIT_NOT_READY, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a Chinese hint, as the contract says
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{s}") from None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="xinyong-desktop", description="信用修复小班审核台")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="cmd", parser_class=_Parser)
    c = sub.add_parser("check", help="检查一家企业的材料包")
    c.add_argument("packet_dir", type=Path)
    c.add_argument("--as-of", type=_date, default=None, help="以该日期为“今天”计算公示期（YYYY-MM-DD）")
    c.add_argument("--json", action="store_true", help="输出 JSON（schema 2）")
    c.add_argument("--no-ocr", action="store_true", help="不识别扫描件文字")
    fm = sub.add_parser("forms", help="生成预填的申请书、承诺书（委托时含授权委托书）和审核意见表")
    fm.add_argument("packet_dir", type=Path)
    fm.add_argument("--out", type=Path, required=True)
    fm.add_argument("--as-of", type=_date, default=None)
    fm.add_argument("--instructor", default="")
    fm.add_argument("--no-ocr", action="store_true")
    nt = sub.add_parser("notice", help="生成一次性补正告知单")
    nt.add_argument("packet_dir", type=Path)
    nt.add_argument("--out", type=Path, required=True)
    nt.add_argument("--as-of", type=_date, default=None)
    nt.add_argument("--instructor", default="")
    nt.add_argument("--no-ocr", action="store_true")
    ex = sub.add_parser("export", help="检查并导出已就绪的材料包（含预填表格、审核意见表和校验清单）")
    ex.add_argument("packet_dirs", type=Path, nargs="+")
    ex.add_argument("--to", type=Path, required=True, dest="dest")
    ex.add_argument("--as-of", type=_date, default=None)
    ex.add_argument("--instructor", default="")
    ex.add_argument("--force", default="", metavar="理由", help="未就绪也导出，理由写入清单")
    vf = sub.add_parser("verify", help="按 manifest.json 校验导出的文件夹")
    vf.add_argument("dest", type=Path)
    ro = sub.add_parser("roster", help="读取处罚名单，计算可申请日期、公示状态和高频失信标记")
    ro.add_argument("roster_files", type=Path, nargs="+")
    ro.add_argument("--as-of", type=_date, default=None, help="以该日期为“今天”（YYYY-MM-DD）")
    ro.add_argument("--json", action="store_true", help="输出 JSON")
    ro.add_argument("--xlsx", type=Path, default=None, help="把看板各清单另存为 Excel 文件")
    gd = sub.add_parser("guide", help="按名单为每家企业生成信用修复材料清单（逐家一份，另有合并打印版）")
    gd.add_argument("roster_files", type=Path, nargs="+")
    gd.add_argument("--out", type=Path, required=True)
    gd.add_argument("--as-of", type=_date, default=None)
    lt = sub.add_parser("letters", help="按名单生成信用修复提醒函（逐家一份，另有合并打印版）")
    lt.add_argument("roster_files", type=Path, nargs="+")
    lt.add_argument("--out", type=Path, required=True)
    lt.add_argument("--as-of", type=_date, default=None)
    lt.add_argument("--only", choices=["all", "eligible", "soon", "not_yet"], default="all",
                    help="只给某一清单中的企业生成（默认全部，已停止公示的除外）")
    g = sub.add_parser("gui", help="打开审核台窗口（默认）")
    g.add_argument("--open", type=Path, default=None, dest="open_dir", help="打开并检查该材料文件夹")
    g.add_argument("--screenshot", type=Path, default=None, help="检查完成后保存窗口截图并退出")
    g.add_argument("--as-of", type=_date, default=None)
    return p


def _report(result) -> str:
    from xinyong_desktop.rules.loader import default_rules

    rules = default_rules()
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


def cmd_check(args) -> int:
    from xinyong_desktop.rules.loader import RuleError, default_rules
    from xinyong_desktop.services.check_packet import CaseFileError, check_packet

    if not args.packet_dir.is_dir():
        print(f"找不到材料文件夹：{args.packet_dir}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = check_packet(args.packet_dir, as_of=args.as_of, ocr=not args.no_ocr, rules=default_rules())
    except (CaseFileError, RuleError) as e:
        print(str(e), file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        print(_report(result))
    return EXIT_READY if result.ready else EXIT_NOT_READY


def _checked(args):
    """(rules, result) for a packet command, or an exit status when the command cannot run."""
    from xinyong_desktop.rules.loader import RuleError, default_rules
    from xinyong_desktop.services.check_packet import CaseFileError, check_packet

    if not args.packet_dir.is_dir():
        print(f"找不到材料文件夹：{args.packet_dir}", file=sys.stderr)
        return EXIT_USAGE
    try:
        rules = default_rules()
        return rules, check_packet(args.packet_dir, as_of=args.as_of, ocr=not args.no_ocr, rules=rules)
    except (CaseFileError, RuleError) as e:
        print(str(e), file=sys.stderr)
        return EXIT_USAGE


def cmd_forms(args) -> int:
    from xinyong_desktop.documents.forms import write_forms

    got = _checked(args)
    if isinstance(got, int):
        return got
    for path in write_forms(got[1], got[0], args.out, args.instructor):
        print(path)
    return EXIT_READY


def cmd_notice(args) -> int:
    from xinyong_desktop.documents.notice import render_notice

    got = _checked(args)
    if isinstance(got, int):
        return got
    print(render_notice(got[1], got[0], args.out, args.instructor))
    return EXIT_READY


def cmd_export(args) -> int:
    from xinyong_desktop.export.usb import ExportError
    from xinyong_desktop.rules.loader import default_rules
    from xinyong_desktop.services.check_packet import CaseFileError
    from xinyong_desktop.services.export_packets import export_packets

    missing = [p for p in args.packet_dirs if not p.is_dir()]
    if missing:
        print(f"找不到材料文件夹：{missing[0]}", file=sys.stderr)
        return EXIT_USAGE
    try:
        out = export_packets(args.packet_dirs, args.dest, default_rules(), args.instructor, args.as_of, args.force)
    except (ExportError, CaseFileError, OSError) as e:
        print(f"导出失败：{e}", file=sys.stderr)
        return EXIT_USAGE
    for p in out.exported:
        print(f"已导出并校验：{p}")
    for p, why in out.skipped:
        print(f"未导出 {p}：{why}")
    return EXIT_READY if not out.skipped else EXIT_NOT_READY


def cmd_verify(args) -> int:
    from xinyong_desktop.export.usb import verify

    if not args.dest.is_dir():
        print(f"找不到文件夹：{args.dest}", file=sys.stderr)
        return EXIT_USAGE
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
    return 0 if ok else 1


def _roster_report(roster, soon_days: int) -> str:
    from xinyong_desktop.roster.board import list_titles

    lines = [f"名单日期：{roster.as_of.isoformat()}    有效记录 {len(roster.records)} 条，"
             f"有问题的行 {len(roster.errors)} 条，重复行 {len(roster.duplicates)} 条"]
    for key, items in roster.lists(soon_days).items():
        lines.append(f"\n{list_titles(soon_days)[key]}（{len(items)}）")
        for r in items:
            flag = f"  【高频失信：{'、'.join(r.high_frequency_rules)}】" if r.high_frequency else ""
            lines.append(f"  {r.enterprise_name}  {r.decision_number}  {r.severity_label}  "
                         f"可申请：{r.eligible_from or '-'}  终止公示：{r.withdrawn_on or '-'}{flag}")
            lines += [f"      待核对：{x}" for x in r.problems] + ([f"      {r.route()}"] if r.listing else [])
    if roster.errors:
        lines.append("\n有问题的行：")
        for e in roster.errors:
            where = f"第 {e.row} 行" if e.row else "整个文件"
            lines.append(f"  {e.file}{'（' + e.sheet + '）' if e.sheet else ''} {where}：{e.message}")
    return "\n".join(lines)


def cmd_roster(args) -> int:
    from xinyong_desktop.roster.board import read_rosters
    from xinyong_desktop.rules.loader import RuleError, default_rules

    try:
        rules = default_rules()
        roster = read_rosters(args.roster_files, args.as_of or dt.date.today(), rules)
    except RuleError as e:
        print(str(e), file=sys.stderr)
        return EXIT_USAGE
    if args.xlsx:
        from xinyong_desktop.roster.export import write_board_xlsx

        write_board_xlsx(roster, rules.soon_days, args.xlsx)
    if args.json:
        sys.stdout.write(json.dumps(roster.as_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        print(_roster_report(roster, rules.soon_days))
    for path in roster.unreadable:
        print(f"无法读取名单：{path}", file=sys.stderr)
    return EXIT_USAGE if roster.unreadable else 0


def _roster_documents(args, writer) -> int:
    from xinyong_desktop.roster.board import read_rosters
    from xinyong_desktop.rules.loader import RuleError, default_rules

    try:
        rules = default_rules()
        as_of = args.as_of or dt.date.today()
        roster = read_rosters(args.roster_files, as_of, rules)
    except RuleError as e:
        print(str(e), file=sys.stderr)
        return EXIT_USAGE
    only = getattr(args, "only", None)  # letters choose a list; material lists go to every record
    records = roster.records if only is None else [
        r for key, items in roster.lists(rules.soon_days).items()
        if key != "withdrawn" and only in ("all", key) for r in items]
    paths, merged = writer(records, rules, args.out, as_of)
    for path in paths:
        print(path)
    if merged:
        print(f"合并打印：{merged}")
    for e in roster.errors:
        print(f"未生成（{e.file} {'第 ' + str(e.row) + ' 行' if e.row else ''}）：{e.message}", file=sys.stderr)
    return EXIT_USAGE if roster.unreadable else 0


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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    if args.cmd == "gui" and args.open_dir is not None and not args.open_dir.is_dir():
        print(f"找不到材料文件夹：{args.open_dir}", file=sys.stderr)
        return EXIT_USAGE
    qt_missing = _qt_missing()
    if qt_missing:
        print(qt_missing, file=sys.stderr)
        return EXIT_USAGE
    from xinyong_desktop.app.main import run_gui  # the only path that imports Qt

    if args.cmd == "gui":
        return run_gui(args.open_dir, args.screenshot, args.as_of)
    return run_gui()


if __name__ == "__main__":
    sys.exit(main())
