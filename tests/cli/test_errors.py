"""Every command, every way it can be handed something it cannot use: exit 2, a Chinese message naming what
and why, never a traceback or the system's English error text.

Read-only and unreadable paths are made with chmod; when the tests run as root (CI does), the command runs
without the capabilities that let root ignore permissions (setpriv), so the permissions really apply."""
from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packetgen import Facts, write_packet
from tests.rostergen import make_rows, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_ERRORS = re.compile(r"Traceback|Errno|Error:|Permission denied|No such file|Is a directory|Not a directory"
                            r"|File exists|usage:|error:")


def _unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("作为 root 运行且没有 setpriv：无法让文件权限生效")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(cwd / "state"),
           "XDG_CACHE_HOME": str(cwd / "cache")}
    return subprocess.run([*_unprivileged(), sys.executable, "-m", "xinyong_desktop", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def assert_refused(p: subprocess.CompletedProcess, *names: str) -> None:
    assert p.returncode == 2, (p.returncode, p.stdout[-500:], p.stderr)
    assert CHINESE.search(p.stderr), p.stderr
    assert not ENGLISH_ERRORS.search(p.stderr), p.stderr
    for n in names:
        assert n in p.stderr, (n, p.stderr)


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """A work folder with a good packet, a good roster and every kind of bad input and output next to them."""
    w = tmp_path_factory.mktemp("errors")
    f = Facts.random(41)
    write_packet(w / "packet", f)
    write_xlsx(w / "名单.xlsx", make_rows(6, seed=4))
    (w / "a-file").write_text("not a folder", encoding="utf-8")
    ro = w / "readonly"
    ro.mkdir()
    shutil.copytree(w / "packet", w / "unreadable")
    shutil.copytree(w / "packet", w / "case-folder")
    (w / "case-folder" / "case.json").unlink(missing_ok=True)
    (w / "case-folder" / "case.json").mkdir()
    shutil.copy(w / "名单.xlsx", w / "unreadable.xlsx")
    with open(w / "huge-field.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["企业名称", "统一社会信用代码", "处罚决定书文号", "处罚日期", "失信程度"],
                                  ["常州甲有限公司", "91320400MA1X2Y3Z4A", "常市监罚〔2024〕1号", "2024-03-05",
                                   "一般" + "x" * 140_000]])
    os.chmod(ro, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    os.chmod(w / "unreadable", 0)
    os.chmod(w / "unreadable.xlsx", 0)
    as_of = dt.date.fromordinal(f.decision_date.replace(day=1).toordinal() + 200).isoformat()
    yield w, as_of
    os.chmod(ro, 0o755)
    os.chmod(w / "unreadable", 0o755)


OUTPUTS = {  # command → how it names its output
    "forms": lambda o: ["forms", "packet", "--no-ocr", "--out", o],
    "notice": lambda o: ["notice", "packet", "--no-ocr", "--out", f"{o}/告知单.pdf"],
    "export": lambda o: ["export", "packet", "--force", "测试", "--to", o],
    "letters": lambda o: ["letters", "名单.xlsx", "--out", o],
    "guide": lambda o: ["guide", "名单.xlsx", "--out", o],
    "roster --xlsx": lambda o: ["roster", "名单.xlsx", "--xlsx", f"{o}/看板.xlsx"],
}


@pytest.mark.parametrize("command", OUTPUTS)
def test_read_only_output_folder(place, command):
    w, as_of = place
    p = cli(*OUTPUTS[command]("readonly/新文件夹"), "--as-of", as_of, cwd=w)
    assert_refused(p, "readonly/新文件夹", "没有权限")
    assert not (w / "readonly" / "新文件夹").exists()


@pytest.mark.parametrize("command", OUTPUTS)
def test_file_where_the_output_folder_should_be(place, command):
    w, as_of = place
    p = cli(*OUTPUTS[command]("a-file"), "--as-of", as_of, cwd=w)
    assert_refused(p, "a-file", "不是文件夹")
    assert (w / "a-file").read_text(encoding="utf-8") == "not a folder"  # nothing overwritten


PACKET_COMMANDS = {
    "check": lambda d: ["check", d, "--no-ocr", "--json"],
    "forms": lambda d: ["forms", d, "--no-ocr", "--out", "out-forms"],
    "notice": lambda d: ["notice", d, "--no-ocr", "--out", "out-notice.pdf"],
    "export": lambda d: ["export", d, "--to", "out-export"],
}


@pytest.mark.parametrize("command", PACKET_COMMANDS)
@pytest.mark.parametrize(("packet", "why"), [("unreadable", "没有权限"), ("a-file", "不是文件夹"),
                                             ("case-folder", "case.json"), ("没有这个文件夹", "找不到")])
def test_packet_that_cannot_be_used(place, command, packet, why):
    w, as_of = place
    p = cli(*PACKET_COMMANDS[command](packet), "--as-of", as_of, cwd=w)
    assert_refused(p, packet, why)
    assert p.stdout == ""  # no half report, no JSON that a script could take for a verdict


@pytest.mark.parametrize("command", ["verify", "gui --open"])
@pytest.mark.parametrize(("folder", "why"), [("unreadable", "没有权限"), ("a-file", "不是文件夹")])
def test_folder_arguments_of_verify_and_gui(place, command, folder, why):
    w, _ = place
    p = cli(*command.split(), folder, cwd=w)
    assert_refused(p, folder, why)


ROSTER_COMMANDS = {
    "roster": lambda r: ["roster", r],
    "letters": lambda r: ["letters", r, "--out", "out-letters"],
    "guide": lambda r: ["guide", r, "--out", "out-guide"],
}


@pytest.mark.parametrize("command", ROSTER_COMMANDS)
@pytest.mark.parametrize(("roster", "why"), [("huge-field.csv", "131,072"), ("unreadable.xlsx", "没有读取权限"),
                                             ("readonly", "文件夹")])
def test_roster_that_cannot_be_read(place, command, roster, why):
    w, _ = place
    p = cli(*ROSTER_COMMANDS[command](roster), cwd=w)
    assert_refused(p, roster, why)


def test_export_speaks_chinese_about_the_destination(place):
    """The issue's case: `export` exited 2 but printed "[Errno 13] Permission denied"."""
    w, as_of = place
    p = cli("export", "packet", "--force", "测试", "--to", "readonly", "--as-of", as_of, cwd=w)
    assert_refused(p, "readonly", "没有权限")
    assert not list((w / "readonly").iterdir())


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["roster", "--help"]])
def test_help_is_chinese(args, tmp_path):
    p = subprocess.run([sys.executable, "-m", "xinyong_desktop", *args], capture_output=True, text=True,
                       timeout=60, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 0
    assert p.stdout.startswith("用法：") and "显示本帮助并退出" in p.stdout
    assert not re.search(r"usage:|show this help|options:|positional arguments", p.stdout)


@pytest.mark.parametrize(("args", "says"), [
    (["check"], "缺少参数：材料文件夹"), (["frob"], "取值 'frob' 无效"), (["check", ".", "--bogus"], "无法识别的参数"),
    (["check", ".", "--as-of", "2024-13-01"], "日期应为 YYYY-MM-DD"), (["letters", "x", "--out"], "需要一个值"),
])
def test_usage_errors_are_chinese(args, says, tmp_path):
    p = subprocess.run([sys.executable, "-m", "xinyong_desktop", *args], capture_output=True, text=True,
                       timeout=60, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert_refused(p, says)
    assert p.stderr.startswith("用法：")
