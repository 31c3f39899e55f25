"""Executors give results in input order, and a build's site is byte-identical whatever runs the per-article stages."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_TEXT
from timeline import progress
from timeline.cache import Cache
from timeline.errors import InputError
from timeline.executors import BATCH, ProcessExecutor, SerialExecutor, make_executor
from timeline.perarticle import Runner
from timeline.pipeline import make_timeline, read_inputs
from timeline.settings import Settings

BUILD = str(ROOT / "build.py")


def square(value: int) -> int:
    return value * value


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("executor", [SerialExecutor(), ProcessExecutor(2)], ids=["serial", "processes"])
def test_results_come_back_in_input_order(executor: SerialExecutor | ProcessExecutor) -> None:
    items = list(range(BATCH * 5 + 3))
    try:
        assert list(executor.map(square, items)) == [i * i for i in items]
    finally:
        executor.close()


def process_id(_: int) -> int:
    return os.getpid()


def test_a_few_items_run_here_unless_this_process_has_other_work_meanwhile() -> None:
    executor = ProcessExecutor(2)
    try:
        assert set(executor.map(process_id, [1, 2])) == {os.getpid()}
        handed_out = executor.map(process_id, [1, 2], overlap=True)  # the pool has them before this returns
        assert os.getpid() not in set(handed_out)
        assert list(executor.map(square, [3, 4, 5], overlap=True)) == [9, 16, 25]
        assert list(executor.map(square, [], overlap=True)) == []
    finally:
        executor.close()


def test_an_edit_tagged_in_a_worker_while_the_rest_is_decoded_gives_the_same_timeline(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for day in range(1, 5):
        (content / f"a{day}.txt").write_text(f"date 2025-03-1{day}\nThe council met on Monday {day}.\n",
                                            encoding="utf-8")
    settings = Settings()
    runner = Runner(ProcessExecutor(2), Cache(tmp_path / "cache"))
    try:
        make_timeline(read_inputs(content, settings, runner), settings)
        (content / "a2.txt").write_text("date 2025-03-12\nThe bridge closed on Tuesday.\n", encoding="utf-8")
        again = make_timeline(read_inputs(content, settings, runner), settings)
    finally:
        runner.executor.close()
    assert runner.hits == 3
    assert again == make_timeline(read_inputs(content, settings), settings)


def test_dask_without_a_scheduler_is_a_usage_error() -> None:
    with pytest.raises(InputError, match="needs --scheduler ADDRESS"):
        make_executor("dask", 2, None)


def many_articles(content: Path, count: int) -> None:
    """``count`` articles that differ in their words and dates, so that order matters."""
    content.mkdir()
    for index in range(count):
        text = SEED_TEXT.replace("2025-03-15", f"2025-03-{1 + index % 28:02d}").replace("Kiev", f"Kiev {index}")
        (content / f"article-{index:03d}.txt").write_text(text, encoding="utf-8")


def test_jobs_give_a_byte_identical_site(tmp_path: Path) -> None:
    many_articles(tmp_path / "content", BATCH * 3)  # enough for the pool to start and split the work
    sites = {}
    for jobs in ("1", "2", "3"):
        done = subprocess.run([sys.executable, BUILD, "build", "--no-cache", "--jobs", jobs, "--out", f"site-{jobs}"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        sites[jobs] = tree(tmp_path / f"site-{jobs}")
    assert sites["1"] == sites["2"] == sites["3"]


def test_bad_articles_are_reported_the_same_with_any_jobs(tmp_path: Path) -> None:
    many_articles(tmp_path / "content", BATCH * 2)
    (tmp_path / "content" / "broken.txt").write_text("no dateline here", encoding="utf-8")
    (tmp_path / "content" / "binary.txt").write_bytes(b"date 2025-01-01 \0\0")
    outputs = []
    for jobs in ("1", "2"):
        done = subprocess.run([sys.executable, BUILD, "build", "--jobs", jobs], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 1
        outputs.append(done.stderr)
    assert outputs[0] == outputs[1]
    assert "broken.txt:1: no dateline" in outputs[0] and "binary.txt: this is a binary file" in outputs[0]


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(tmp_path: Path, jobs: str) -> None:
    done = subprocess.run([sys.executable, BUILD, "build", "--jobs", jobs], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "is not a whole number of processes, 1 or more" in done.stderr


def test_the_progress_bar_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert progress.progress_bar(io.StringIO()) is None  # a pipe or a file
    screen = Terminal()
    draw = progress.progress_bar(screen)
    assert draw is not None
    draw(0, 1000)
    draw(1000, 1000)
    assert "1000/1000 articles" in screen.getvalue() and screen.getvalue().endswith("\r")
    monkeypatch.setenv("CI", "true")
    assert progress.progress_bar(Terminal()) is None


def test_a_build_in_a_pipe_prints_no_bar(tmp_path: Path) -> None:
    many_articles(tmp_path / "content", 5)
    done = subprocess.run([sys.executable, BUILD, "build"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "" and "\r" not in done.stdout


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc to find the workers")
def test_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    import signal
    import time

    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "600", str(tmp_path / "content")],
                   check=True, capture_output=True, timeout=120)
    build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--jobs", "2", "--no-cache", "-q"],
                             cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
            workers = _children(build.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the build never started its workers"
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        alive = [w for w in workers if Path(f"/proc/{w}/stat").exists()
                 and Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
        assert alive == [], f"workers still running after the build was killed: {alive}"
    finally:
        if build.poll() is None:
            build.kill()


def test_closing_the_pool_ends_its_processes() -> None:
    executor = ProcessExecutor(2)
    assert list(executor.map(abs, [-1, -2, -3], overlap=True)) == [1, 2, 3]
    assert executor._pool is not None
    processes = list(executor._pool._processes.values())
    assert processes
    executor.close()
    for process in processes:
        process.join(timeout=30)
        assert not process.is_alive()


def _write_pid(path: Path) -> None:
    path.write_text(str(os.getpid()), encoding="utf-8")


def _pid(_: object) -> int:
    return os.getpid()


def test_a_prepared_worker_loads_before_any_work_and_takes_a_rebuilds_few_articles(tmp_path: Path) -> None:
    import functools

    executor = ProcessExecutor(2)
    loaded = tmp_path / "loaded"
    executor.prepare(functools.partial(_write_pid, loaded))
    try:
        pids = list(executor.map(_pid, [1, 2, 3], overlap=True))
        assert loaded.is_file()  # its load ran at its start, before the work came
        assert set(pids) == {int(loaded.read_text(encoding="utf-8"))} and os.getpid() not in pids
        assert executor._pool is None  # no pool was started for three articles
        many = list(executor.map(_pid, list(range(BATCH * 3))))  # many articles still go to the full pool
        assert executor._pool is not None and os.getpid() not in many
    finally:
        executor.close()


def test_the_serial_executor_has_nothing_to_prepare() -> None:
    calls: list[int] = []
    executor = SerialExecutor()
    executor.prepare(lambda: calls.append(1))
    assert calls == [] and list(executor.map(abs, [-1])) == [1]


def _fail(value: int) -> int:
    if value == 2:
        raise ValueError(f"cannot take {value}")
    return value


def test_a_prepared_worker_answers_each_batch_in_turn_and_raises_its_errors_here() -> None:
    executor = ProcessExecutor(2)
    executor.prepare(lambda: None)
    try:
        first = executor.map(square, [1, 2], overlap=True)
        second = executor.map(square, list(range(BATCH)), overlap=True)  # handed over before the first is read
        failing = executor.map(_fail, [1, 2, 3], overlap=True)
        third = executor.map(_pid, [0], overlap=True)
        assert list(second) == [square(value) for value in range(BATCH)]
        assert list(first) == [1, 4]
        with pytest.raises(ValueError, match="cannot take 2"):
            list(failing)
        assert list(third) != [os.getpid()]  # the worker goes on after an error
        assert executor._ready is not None
        worker = executor._ready.pid
    finally:
        executor.close()
    with pytest.raises(ProcessLookupError):  # ended, and waited for
        os.kill(worker, 0)


def test_a_rebuild_after_one_edit_loads_no_pool_of_concurrent_futures(seed_content: Path) -> None:
    """Its few articles go to the prepared worker, and the site's files to one thread: no module of a pool is loaded."""
    project = seed_content.parent
    assert subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--jobs", "2", "-q"], cwd=project,
                          capture_output=True, timeout=120).returncode == 0
    seed = seed_content / "seed.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nThe bridge opened on 3 March 2025.\n", encoding="utf-8")
    code = ("import sys; from timeline.cli import main; status = main(['build', '--jobs', '2', '-q']); "
            "print(status, 'timeline.pipeline' in sys.modules, 'concurrent.futures' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "0 True False", done.stdout + done.stderr


def test_a_prepared_worker_ends_when_closed_though_a_process_forked_since_holds_its_pipe() -> None:
    import time

    executor = ProcessExecutor(2)
    executor.prepare(lambda: None)
    assert list(executor.map(square, [3], overlap=True)) == [9]
    holder = os.fork()  # as a merge's helper forked during the stages would: with a copy of every pipe's end
    if holder == 0:
        time.sleep(60)
        os._exit(0)
    try:
        started = time.monotonic()
        executor.close()
        assert time.monotonic() - started < 30
    finally:
        os.kill(holder, 9)
        os.waitpid(holder, 0)
