"""Where the per-article stages run: in this process, in a pool of local processes, or on a Dask cluster.

Every executor has one method, ``map(function, items)``, which yields ``function(item)`` for each item in the
order of ``items``: results are put back in input order whatever order they finish in, so a build gives the same
bytes with one job, many jobs or a cluster.  Items go out in batches, because one article is too little work to be
worth a round trip to another process or machine.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .errors import InputError, Problem

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

BATCH = 32  # articles per task: about 0.1 s of work, large enough to hide the cost of sending it


class Executor(Protocol):
    """Runs a function over items, yielding results in the items' order."""

    def map(self, function: Callable[[T], R], items: Sequence[T], *, overlap: bool = False) -> Iterator[R]: ...

    def prepare(self, load: Callable[[], object]) -> None: ...

    def close(self) -> None: ...


def die_with_parent(parent: int) -> None:
    """Ask Linux to end this worker when the build that started it dies (a killed build must leave nothing running).

    Elsewhere (or if the call fails) a worker still ends when it next finds its pool gone; only a build killed
    while a worker is busy can leave that worker running until its batch is done.

    The cyclic collector is switched back on here: the build pauses it in its own process (``cli``), and a
    forked worker inherits that, but a worker tags or renders thousands of articles and should free what it drops.
    """
    gc.enable()
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 is PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(1)


def _start(parent: int, load: Callable[[], object]) -> None:
    """A prepared worker's start: it ends with the build, and loads what its work needs before any comes."""
    die_with_parent(parent)
    load()


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_batch(function: Callable[[T], R], batch: Sequence[T]) -> list[R]:
    """``function`` over one batch; module level so that it can be sent to another process."""
    return [function(item) for item in batch]


def _batches(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


class SerialExecutor:
    """Everything in this process: ``--jobs 1``, and small builds where a pool would cost more than it saves."""

    def map(self, function: Callable[[T], R], items: Sequence[T], *, overlap: bool = False) -> Iterator[R]:
        """``function(item)`` for each item, in order, computed as they are asked for."""
        return (function(item) for item in items)

    def prepare(self, load: Callable[[], object]) -> None:
        """Nothing to start: the stages load here when they are first used."""

    def close(self) -> None:
        """Nothing to release."""


class ProcessExecutor:
    """A pool of ``jobs`` local processes, started on first use."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._ready: _Prepared | None = None  # one process started early by ``prepare``

    def prepare(self, load: Callable[[], object]) -> None:
        """Start one process now, which calls ``load`` (importing the stages) while this process does other work.

        A rebuild after an edit has a few articles to tag: they go to that process, ready by then, where a pool
        started when they are known would first spend a good part of the build importing the tagger.
        """
        if self._ready is None:
            self._ready = _Prepared(load)

    def map(self, function: Callable[[T], R], items: Sequence[T], *, overlap: bool = False) -> Iterator[R]:
        """``function(item)`` for each item, computed in the pool, yielded in the items' order.

        The work is handed out before this returns. A few items are done in this process, as they are asked for,
        since starting processes would take longer than the work, unless ``overlap`` says this process has other
        work to do meanwhile (after one edit: the changed article is tagged while the others come from the cache).
        """
        if not items or (len(items) <= BATCH and not overlap):
            return (function(item) for item in items)
        if self._ready is not None and len(items) <= BATCH:
            return self._ready.run(function, items)
        if self._pool is None:
            # Imported here: a build with nothing to do, or one on Dask, never starts a local pool.
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=die_with_parent,
                                             initargs=(os.getpid(),))
        size = max(1, min(BATCH, -(-len(items) // (self.jobs * 4))))  # at least 4 batches a process, to balance
        futures = [self._pool.submit(run_batch, function, batch) for batch in _batches(items, size)]
        return (result for future in futures for result in future.result())

    def close(self) -> None:
        """Stop the processes. Waited for: a pool's threads still at work when the build forks its render workers
        could leave a worker a lock held forever (not waiting saved a few hundredths of a second, and hung a test)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        if self._ready is not None:
            self._ready.close()
        self._pool = self._ready = None


class _Prepared:
    """One process forked now, which loads the stages, then runs the batches sent to it in turn.

    Forked and spoken to through two pipes rather than a pool of one: a rebuild after one edit then imports nothing
    of concurrent.futures (a hundredth of a second), and runs no thread of a pool's beyond the one that sends.
    """

    def __init__(self, load: Callable[[], object]):
        parent = os.getpid()
        tasks_out, tasks_in = os.pipe()
        results_out, results_in = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: load, then run each batch that comes, until the pipe closes
            code = 1
            try:
                os.close(tasks_in)
                os.close(results_out)
                _start(parent, load)
                with open(tasks_out, "rb") as tasks, open(results_in, "wb") as results:
                    while True:
                        try:
                            task = pickle.load(tasks)
                        except EOFError:
                            break
                        if task is None:  # told to end (a process forked later may hold the pipe open: no EOF)
                            break
                        function, items = task
                        try:
                            outcome: tuple[bool, object] = (True, run_batch(function, items))
                        except Exception as error:  # raised again in the build, as a pool would
                            outcome = (False, error)
                        pickle.dump(outcome, results, protocol=pickle.HIGHEST_PROTOCOL)
                        results.flush()
                code = 0
            finally:
                os._exit(code)
        os.close(tasks_out)
        os.close(results_in)
        self.pid = pid
        self._tasks = open(tasks_in, "wb")  # noqa: SIM115 - open until ``close``
        self._results = open(results_out, "rb")  # noqa: SIM115
        self._sender: threading.Thread | None = None
        self._sent = 0  # batches handed over
        self._answers: dict[int, tuple[bool, Any]] = {}  # by batch: read, not yet asked for
        self._read = 0  # batches whose answer was read

    def run(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Hand over ``function`` over ``items`` now; their results, once asked for. Sent by a thread, so that this
        process goes on while the worker is still loading, whatever the size of the batch."""
        self._send(pickle.dumps((function, items), protocol=pickle.HIGHEST_PROTOCOL))
        self._sent += 1
        return self._answer(self._sent - 1)

    def _send(self, task: bytes) -> None:
        """Write a task to the worker from a thread, after those before it."""
        previous = self._sender

        def send() -> None:
            if previous is not None:  # in the order they were handed over, as they are answered
                previous.join()
            with contextlib.suppress(OSError):  # a worker gone: told when its results are asked for
                self._tasks.write(task)
                self._tasks.flush()

        self._sender = threading.Thread(target=send, name="prepared-worker", daemon=True)
        self._sender.start()

    def _answer(self, batch: int) -> Iterator[Any]:
        """The results of a batch handed over (the answers come in that order), or the worker's error raised."""
        while batch not in self._answers:
            try:
                self._answers[self._read] = pickle.load(self._results)
            except (OSError, EOFError, pickle.UnpicklingError) as error:
                raise RuntimeError("the worker tagging the changed articles ended before it was done") from error
            self._read += 1
        done, value = self._answers.pop(batch)
        if not done:
            raise value
        yield from value

    def close(self) -> None:
        """Tell the worker to end, and wait for it. Told, not left to find its pipe closed: a process forked since
        (a merge's helper, say) holds a copy of the pipe's end, so the worker would see no end before that one's."""
        self._send(pickle.dumps(None))
        if self._sender is not None:
            self._sender.join()
        with contextlib.suppress(OSError):
            self._tasks.close()
        self._results.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


class DaskExecutor:
    """The per-article stages on a Dask distributed cluster whose scheduler is at ``address``.

    The workers need the same version of timeline installed (or importable) as this machine; the results are
    checked against nothing else, so a worker with other code would give another site.
    """

    def __init__(self, address: str):
        try:
            client_class = importlib.import_module("distributed").Client  # optional: requirements-dask.txt
        except ImportError:
            raise InputError(Problem("--executor dask", "Dask is not installed; install it with "
                                     "`pip install -r requirements-dask.txt`, or use --executor local")) from None
        try:
            self._client: Any = client_class(address, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise InputError(Problem(f"--scheduler {address}", f"cannot reach the Dask scheduler: {error}; "
                                     "check the address (host:port or tcp://host:port) and that it is running"))\
                from None

    def map(self, function: Callable[[T], R], items: Sequence[T], *, overlap: bool = False) -> Iterator[R]:
        """``function(item)`` for each item, computed on the cluster, yielded in the items' order."""
        batches = _batches(items, BATCH)
        futures = self._client.map(run_batch, [function] * len(batches), batches, pure=False)
        return (result for future in futures for result in future.result())

    def prepare(self, load: Callable[[], object]) -> None:
        """Nothing to start: the cluster's workers load the stages with their first task."""

    def close(self) -> None:
        """Disconnect from the cluster (the cluster itself keeps running)."""
        self._client.close()


def make_executor(kind: str, jobs: int, scheduler: str | None) -> Executor:
    """The executor the command line asked for."""
    if kind == "dask":
        if not scheduler:
            raise InputError(Problem("--executor dask", "needs --scheduler ADDRESS, the Dask scheduler to use "
                                     "(for example tcp://127.0.0.1:8786)"))
        return DaskExecutor(scheduler)
    return SerialExecutor() if jobs <= 1 else ProcessExecutor(jobs)
