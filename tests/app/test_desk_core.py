"""The Qt-free parts of the desk: the one database writer and the check queue's order, lines and estimate."""
from __future__ import annotations

import threading

import pytest


def test_the_writer_runs_every_write_on_one_thread_in_order(tmp_path):
    from xinyong_desktop.services.writer import DbWriter
    from xinyong_desktop.store import repo
    from xinyong_desktop.store.db import open_db
    from xinyong_desktop.store.models import AuditEvent

    db = open_db(tmp_path / "w.sqlite3")
    writer = DbWriter(db)
    threads: set[int] = set()

    def write(i: int):
        def fn(s):
            threads.add(threading.get_ident())
            repo.audit(s, "张老师", "test", str(i))
            return i
        return fn

    futures = []
    callers = [threading.Thread(target=lambda k=k: futures.append(writer.submit(write(k)))) for k in range(20)]
    for t in callers:
        t.start()
    for t in callers:
        t.join()
    assert sorted(f.result() for f in futures) == list(range(20))
    assert writer.call(write(99)) == 99  # the caller sees its write when call returns
    assert len(threads) == 1 and threading.get_ident() not in threads
    with db() as s:
        assert s.query(AuditEvent).filter_by(action="test").count() == 21
    with pytest.raises(RuntimeError):  # a write inside a write would wait for itself: refused
        writer.call(lambda s: writer.call(write(0)))
    writer.close()


def test_the_check_queue_keeps_order_and_estimates_from_this_machines_pace():
    from xinyong_desktop.services.desk_view import CheckQueue

    now = [100.0]
    q = CheckQueue(clock=lambda: now[0])
    for cid, files in ((1, 10), (2, 5), (3, 5)):
        assert q.add(cid, f"企业{cid}", files) is not None
    assert q.add(2, "企业2", 5) is None  # a case waiting is not queued twice
    job = q.start_next()
    assert job.case_id == 1 and q.start_next() is None  # one at a time
    assert [q.active(c) for c in (1, 2, 3)] == ["检查中", "排队中", "排队中"] and q.position(3) == 2
    q.progress(job, 5, 10, "决定书.pdf")
    now[0] += 10.0  # 5 files in 10 s
    lines = q.lines()
    assert lines[0][2].startswith("▶ 正在检查 企业1：5/10 个文件（决定书.pdf）")
    assert [state for _c, state, _t in lines] == ["检查中", "等待", "等待"]
    q.progress(job, 10, 10, "")
    now[0] += 10.0
    q.finish(job, "完成")
    assert q.rate() == pytest.approx(2.0)  # 20 s for 10 files, measured
    assert q.remaining() == pytest.approx(2.0 * 10)  # two packets of five files wait
    assert "约 20 秒" in q.summary()
    nxt = q.start_next()
    assert nxt.case_id == 2 and q.lines()[-1][2].startswith("✓ 企业1")
