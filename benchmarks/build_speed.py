"""Full builds, no-change rebuilds and one-edit rebuilds of generated archives: seconds, articles/s, peak memory.

    python benchmarks/build_speed.py                       # 1,000 and 10,000 articles, --jobs = the cores here
    python benchmarks/build_speed.py --sizes 1000 --jobs 1 2
    python benchmarks/build_speed.py --keep /tmp/bench     # keep the content, sites and cache there
    python benchmarks/build_speed.py --stages --sizes 1000 10000 [--no-render]   # where the time goes, in-process

Each size gets its own project folder (content written by ``benchmarks/generate.py`` with a fixed seed, so every run
builds the same articles), and ``build.py`` runs as a user runs it, in a child process:

* full: a cold build (no cache);
* unchanged: the same build again, ``--repeat`` times (5), their median shown;
* one edit: one article gains a dated sentence (or loses it again), then the build again, ``--repeat`` times, their
  median shown; "files new" counts the output files it wrote rather than linked from the previous site (their inode
  changed).

The package's bytecode is compiled first, as any machine that has run the tool once has it cached.

``--stages`` times the stages in this process instead: the per-article stages cold (empty cache) and warm (every
article a cache hit) with ``--jobs``, then merge + overrides + order, then render (skipped with ``--no-render``).

Peak memory is the largest sum over the build and its worker processes, sampled from /proc, so the workers count
too: the resident sizes every 20 ms (RSS, which counts pages a forked worker still shares with the build once per
process) and the proportional set sizes every 200 ms (PSS, each shared page counted once: the memory actually used).
Builds share the machine's cores with whatever else runs: compare the rows
of one run with each other, not with another day's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from timeline.executors import default_jobs  # noqa: E402


def tree_pids(root: int) -> tuple[set[int], int]:
    """Process ``root`` and all its descendants, and their summed resident sizes (RSS) in bytes.

    The descendants are found through each process's ``children`` files, which Linux keeps per thread: reading every
    process of the machine took 1.7 ms a time here, these 0.2 ms. Without those files (an old kernel), every
    process is read.
    """
    page = os.sysconf("SC_PAGE_SIZE")
    family: set[int] = set()
    rss = 0
    pending = [root]
    while pending:
        pid = pending.pop()
        if pid in family:
            continue
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
                rss += int(fh.read().rsplit(")", 1)[1].split()[21]) * page
            family.add(pid)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                    pending += map(int, fh.read().split())
        except FileNotFoundError as error:
            if "children" in str(error.filename):
                return _tree_pids_by_scan(root)
        except OSError:  # the process ended meanwhile
            continue
    return family, rss


def _tree_pids_by_scan(root: int) -> tuple[set[int], int]:
    """``tree_pids`` by reading every process's parent."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    family = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    return family, sum(rss.get(pid, 0) for pid in family)


def tree_pss(family: set[int]) -> int:
    """The summed proportional set sizes (PSS: each shared page divided among the processes sharing it) in bytes.

    Forked render workers share the build's pages until they write to them, so an RSS sum counts those pages once
    per process; PSS counts each page once, and is what the machine actually spends. Reading it makes the kernel
    walk every page table, so it is sampled ten times less often than RSS.
    """
    pss = 0
    for pid in family:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                pss += next((int(line.split()[1]) * 1024 for line in fh if line.startswith("Pss:")), 0)
        except OSError:
            continue
    return pss


def run_build(project: Path, jobs: int, *extra: str) -> tuple[float, int, str, int]:
    """Run one build in ``project``: wall seconds, peak RSS sum of the process tree, its summary line, peak PSS.

    Memory is sampled by a thread while this one waits for the build, so the time stops when the build does (a
    loop polling every 20 ms added up to 20 ms to a 0.1 s build).
    """
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", "content", "--out", "public",
               "--jobs", str(jobs), *extra]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "CI": "1"})
    peaks = [0, 0]  # RSS sum, PSS sum
    done = threading.Event()

    def sample() -> None:
        samples = 0
        while not done.is_set():
            family, rss = tree_pids(child.pid)
            peaks[0] = max(peaks[0], rss)
            if samples % 10 == 0:
                peaks[1] = max(peaks[1], tree_pss(family))
            samples += 1
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"the build failed ({child.returncode}):\n{err}")
    peak, peak_pss = peaks
    return seconds, peak, out.strip(), peak_pss


def inodes(folder: Path) -> dict[str, int]:
    """Each file's inode, by relative path: a file written anew gets a new one, a linked one keeps it."""
    return {str(path.relative_to(folder)): path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


EDIT = "\nA follow-up meeting was held on 3 March 2021, a spokesperson said.\n"


def edit_one(content: Path) -> Path:
    """Edit one article in the middle of the archive: add a dated sentence, or take it out if it is there."""
    articles = sorted(content.rglob("*.md"))
    target = articles[len(articles) // 2]
    text = target.read_text(encoding="utf-8")
    target.write_text(text[: -len(EDIT)] if text.endswith(EDIT) else text + EDIT, encoding="utf-8")
    return target


def median_run(runs: list[tuple[float, int, str, int]]) -> tuple[float, int, str, int]:
    """The run of median time (the lower middle one of an even number)."""
    return sorted(runs)[(len(runs) - 1) // 2]


def stage_times(content: Path, jobs: int, with_render: bool) -> None:
    """Time each stage of one build of ``content`` in this process and print the figures."""
    import resource

    from timeline.cache import Cache
    from timeline.executors import make_executor
    from timeline.perarticle import Runner
    from timeline.pipeline import make_timeline, read_inputs, render
    from timeline.settings import Settings
    from timeline.themes import find_theme

    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="timeline-cache-") as folder:
        for label in ("cold", "warm"):
            runner = Runner(make_executor("local", jobs, None), Cache(Path(folder)))
            started = time.perf_counter()
            inputs = read_inputs(content, settings, runner)
            seconds = time.perf_counter() - started
            runner.executor.close()
            assert runner.cache is not None
            runner.cache.close()
            print(f"  per-article stages, {label} cache, --jobs {jobs}: {seconds:.2f} s "
                  f"({len(inputs.articles) / seconds:.0f} articles/s, {runner.hits} cache hits)", flush=True)
    started = time.perf_counter()
    result = make_timeline(inputs, settings)
    print(f"  merge + overrides + order: {time.perf_counter() - started:.2f} s "
          f"({sum(len(r.events) for r in inputs.analysed or ())} events in, {len(result.timeline.events)} out)",
          flush=True)
    if with_render:
        started = time.perf_counter()
        files = render(result, settings, find_theme("default", ROOT), jobs)
        print(f"  render, --jobs {jobs}: {time.perf_counter() - started:.2f} s ({len(files)} files, "
              f"{sum(map(len, files.values())) / 2**20:.0f} MB)", flush=True)
    print(f"  peak memory: this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB, "
          f"largest worker {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB")


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, build and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[default_jobs()])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, metavar="N",
                        help="rebuilds with nothing changed, and one-edit rebuilds, N of each: their median is shown")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--stages", action="store_true", help="time each stage in this process instead")
    parser.add_argument("--no-render", dest="render", action="store_false", help="with --stages: skip rendering")
    options = parser.parse_args(argv)
    work = options.keep or Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    if options.stages:
        try:
            for size in options.sizes:
                content = work / f"{size}-stages" / "content"
                if not content.is_dir():
                    generate(size, content, options.seed)
                for jobs in options.jobs:
                    print(f"{size} articles:", flush=True)
                    stage_times(content, jobs, options.render)
        finally:
            if options.keep is None:
                shutil.rmtree(work, ignore_errors=True)
        return 0
    # Builds run as on any machine that has run the tool once, with its bytecode cached: where Python is told not to
    # write it (PYTHONDONTWRITEBYTECODE, as in some containers), every build would compile the package again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "timeline")], check=True)
    rows = []
    try:
        for size in options.sizes:
            for jobs in options.jobs:
                project = work / f"{size}-j{jobs}"
                shutil.rmtree(project, ignore_errors=True)
                generate(size, project / "content", options.seed)
                full = run_build(project, jobs)
                unchanged = [run_build(project, jobs) for _ in range(options.repeat)]
                edits, written = [], []
                for _ in range(options.repeat):
                    edit_one(project / "content")
                    before = inodes(project / "public")
                    edits.append(run_build(project, jobs))
                    after = inodes(project / "public")
                    written.append(sum(1 for path, inode in after.items() if before.get(path) != inode))
                new_files = f"{sorted(written)[(len(written) - 1) // 2]}/{len(after)}"
                rows.append((size, jobs, full, median_run(unchanged), median_run(edits), new_files))
                print(f"{size} articles, --jobs {jobs}: {full[2]}", flush=True)
                for label, runs in (("nothing changed", unchanged), ("one edit", edits)):
                    print(f"  {label}, {len(runs)} runs: " + " ".join(f"{run[0]:.2f}" for run in sorted(runs)),
                          flush=True)
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\npeak memory of the build's process tree: RSS summed over processes / PSS (shared pages counted once)")
    print(f"{'articles':>8} {'jobs':>4} | {'full s':>7} {'art/s':>6} {'peak MiB':>11} | "
          f"{'unchanged s':>11} {'% full':>6} | {'one edit s':>10} {'peak MiB':>11} {'files new':>11}")
    for size, jobs, full, unchanged, edited, files_new in rows:
        print(f"{size:>8} {jobs:>4} | {full[0]:>7.2f} {size / full[0]:>6.0f} "
              f"{full[1] / 2**20:>5.0f}/{full[3] / 2**20:<5.0f} | "
              f"{unchanged[0]:>11.2f} {100 * unchanged[0] / full[0]:>6.1f} | "
              f"{edited[0]:>10.2f} {edited[1] / 2**20:>5.0f}/{edited[3] / 2**20:<5.0f} {files_new:>11}")
    sizes = sorted({row[0] for row in rows})
    if len(sizes) > 1:
        small = next(row for row in rows if row[0] == sizes[0])
        large = next(row for row in rows if row[0] == sizes[-1] and row[1] == small[1])
        print(f"growth: {large[0] // small[0]}x the articles took {large[2][0] / small[2][0]:.1f}x the time "
              f"(linear: {large[0] / small[0]:.0f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
