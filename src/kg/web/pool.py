"""User SPARQL queries run in worker processes, so that a query past its time limit is really
stopped: the worker running it is killed (SIGKILL) and replaced, while the server keeps
answering everyone else.

Why processes: a pyoxigraph query cannot be interrupted from Python (it holds its thread until
it finishes), so a thread-based timeout would only stop *waiting*; the query would go on using
a CPU and memory. Each worker (a ``python`` running :func:`kg.web.worker.main` on the store)
opens the store read-only (any number of readers; `kg ingest` is never locked out), runs one
query at a time, applies the row cap, serialises the result, and sends back bytes over a pipe.
Workers are plain subprocesses (not ``multiprocessing``, which would re-import the server's
``__main__`` in every child); one starts in ~30 ms, is started on first use and reused, up to
``size`` at a time. A worker reopens the store when the server tells it the store changed (the
``generation`` sent with each job, see :mod:`kg.web.storehub`).

Clients take turns (:mod:`kg.web.fairness`): each waits in its own queue, and a client with
nothing running gets a spare worker when the regular ones are busy. Workers have no network
where the platform allows (:mod:`kg.web.sandbox`).
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from .fairness import CLIENT, FairGate, GateBusy
from .worker import Job, Outcome, read_frame, write_frame

__all__ = ["Job", "Outcome", "QueryPool", "QueryTimeout", "PoolBusy", "WorkerFailed"]


class QueryTimeout(Exception):
    pass


class PoolBusy(Exception):
    pass


class WorkerFailed(Exception):
    """The worker died while running a query. ``limit`` is True when it was stopped by a resource
    limit (its memory cap: the allocator aborts), i.e. the query, not the server, is at fault."""

    def __init__(self, message: str, limit: bool = False):
        super().__init__(message)
        self.limit = limit


def _env() -> dict:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parent.parent.parent)     # the folder holding kg/
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONUNBUFFERED"] = "1"
    env["RUST_BACKTRACE"] = "0"         # a query stopped at the memory cap: one line in the log, not 30
    return env


# run through -c so that Job / Outcome unpickle as kg.web.worker.* in both processes
_WORKER_CMD = "import sys; from kg.web.worker import main; sys.exit(main(sys.argv[1:]))"


class _Worker:
    def __init__(self, path: str, start_timeout: float = 20.0, memory_mb: int = 0):
        args = [path] + ([str(int(memory_mb))] if memory_mb else [])
        self.proc = subprocess.Popen([sys.executable, "-c", _WORKER_CMD, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=_env(), close_fds=True)
        self.wfd = self.proc.stdin.fileno()
        self.idle_since = time.monotonic()
        self.rfd = self.proc.stdout.fileno()
        hello = read_frame(self.rfd) if self.readable(start_timeout) else None
        if not (isinstance(hello, tuple) and hello and hello[0] == "ready"):
            self.kill()
            raise WorkerFailed("a query worker did not start")
        self.network = hello[1].get("network")         # "none": it has no network (kg.web.sandbox)

    def readable(self, timeout: float) -> bool:
        r, _, _ = select.select([self.rfd], [], [], max(0.0, timeout))
        return bool(r)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass

    def stop(self) -> None:
        try:
            self.proc.stdin.close()         # EOF: the worker exits
            self.proc.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if self.alive():
            self.kill()
        else:
            try:
                self.proc.stdout.close()
            except OSError:
                pass


class QueryPool:
    """Worker processes for ``size`` queries at once (``spare`` more for clients with nothing
    running, see :mod:`kg.web.fairness`); :meth:`run` hands a job to an idle one."""

    SPARE_IDLE = 30.0               # seconds a worker beyond ``size`` is kept idle

    def __init__(self, path: str, size: int = 4, memory_mb: int = 0, spare: int | None = None,
                 client_queue: int | None = None):
        self.path = path
        self.size = max(1, size)
        self.memory_mb = memory_mb
        self.gate = FairGate(self.size, spare, client_queue)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._count = 0                     # worker processes alive (idle or busy)
        self._closed = False
        self.network: str | None = None     # what the last worker said of its network (kg.web.sandbox)
        self.stats = {"started": 0, "killed": 0, "jobs": 0}

    def _start(self) -> _Worker:
        w = _Worker(self.path, memory_mb=self.memory_mb)
        self.network = w.network
        self.stats["started"] += 1
        return w

    def _take(self) -> _Worker:
        """An idle worker, or a new one (the gate has granted a slot, so one may start)."""
        with self._lock:
            if self._closed:
                raise PoolBusy("the query pool is shut down")
            while self._idle:
                w = self._idle.pop()
                if w.alive():
                    return w
                w.kill()
                self._count -= 1
            self._count += 1
        try:
            return self._start()
        except Exception:
            with self._lock:
                self._count -= 1
            raise

    def _release(self, w: _Worker | None) -> None:
        """Keep ``w`` for the next query (or stop it: the pool is closed). Workers beyond
        ``size`` (spare ones, started for a client with nothing running) are stopped once they
        have been idle for ``SPARE_IDLE`` seconds, so a client served by a spare worker does
        not wait for a new process at each query."""
        stop = []
        with self._lock:
            if w is None:
                self._count -= 1
            elif self._closed:
                self._count -= 1
                stop.append(w)
            else:
                w.idle_since = time.monotonic()
                self._idle.append(w)
            now = time.monotonic()
            for old in list(self._idle):
                if self._count > self.size and now - old.idle_since > self.SPARE_IDLE:
                    self._idle.remove(old)
                    self._count -= 1
                    stop.append(old)
        for x in stop:
            x.stop()

    def counts(self) -> dict:
        """Worker processes alive and idle right now, and the gate's queues (for /api/stats)."""
        with self._lock:
            out = {"alive": self._count, "idle": len(self._idle), "size": self.size}
        return {**out, **self.gate.counts(), "network": self.network}

    def _replace(self) -> None:
        """Start a worker in the background in place of one that was killed, so that the next
        query does not wait for a process to start (~50 ms, more on a busy machine)."""
        if not self._closed:
            target = min(2, self.size)
            threading.Thread(target=self.warm, args=(target,), daemon=True, name="kg-replace-worker").start()

    def warm(self, n: int = 1) -> None:
        """Make sure ``n`` workers (at most ``size``) are alive, starting the missing ones now, so
        that the next queries do not wait for a process to start. Idle workers are left alone."""
        target = min(n, self.size)
        while True:
            with self._lock:
                if self._closed or self._count >= target:
                    return
                self._count += 1
            try:
                w = self._start()
            except Exception:
                with self._lock:
                    self._count -= 1
                return
            self._release(w)

    def run(self, job: Job, timeout: float, queue_wait: float | None = None, client: str | None = None) -> Outcome:
        """Run ``job`` in a worker; past ``timeout`` seconds the worker is killed (QueryTimeout).
        The job waits its turn among ``client``'s (default: the request's, kg.web.fairness)."""
        client = CLIENT.get() if client is None else client
        try:
            self.gate.acquire(client, timeout if queue_wait is None else queue_wait)
        except GateBusy as e:
            raise PoolBusy(str(e)) from None
        try:
            return self._run(job, timeout)
        finally:
            self.gate.release(client)

    def _run(self, job: Job, timeout: float) -> Outcome:
        w = self._take()
        self.stats["jobs"] += 1
        try:
            write_frame(w.wfd, job)
            if not w.readable(timeout):
                w.kill()
                self.stats["killed"] += 1
                self._release(None)
                self._replace()
                raise QueryTimeout(timeout)
            out = read_frame(w.rfd)
        except (EOFError, OSError) as e:
            try:
                code = w.proc.wait(2)
            except subprocess.TimeoutExpired:
                code = None
            w.kill()
            self._release(None)
            self._replace()
            self.stats["died"] = self.stats.get("died", 0) + 1
            # SIGABRT: the allocator gave up at the memory cap; SIGSEGV: a stack overflow
            limit = code is not None and code in (-6, -11, 134, 139)
            raise WorkerFailed(f"the query worker died ({e.__class__.__name__}, exit {code}); it was replaced",
                               limit=limit) from None
        self._release(w)
        return out

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for w in idle:
            w.stop()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
