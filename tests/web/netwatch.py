"""Which TCP connections a process tree has, from /proc (no psutil): for tests that a server
makes no outbound connection.

A socket belongs to a process when one of its /proc/<pid>/fd links is ``socket:[inode]``; the
inode's line in /proc/<pid>/net/tcp{,6} gives the local and remote address and the state.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
import time
from dataclasses import dataclass

LISTEN = "0A"


@dataclass(frozen=True)
class Conn:
    pid: int
    local: tuple[str, int]
    remote: tuple[str, int]
    state: str

    @property
    def outbound_ok(self) -> bool:
        """Listening, or connected to a loopback address."""
        ip = ipaddress.ip_address(self.remote[0])
        if self.state == LISTEN or ip.is_unspecified:
            return True
        if ip.is_loopback:
            return True
        mapped = getattr(ip, "ipv4_mapped", None)
        return bool(mapped and mapped.is_loopback)


def children(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    parent: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            continue
        # pid (comm) state ppid …: comm may hold spaces and parentheses
        rest = stat[stat.rfind(")") + 2:].split()
        if len(rest) > 1:
            parent[int(name)] = int(rest[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(c for c, pp in parent.items() if pp == p)
    return out


def _inodes(pid: int) -> set[int]:
    found = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                found.add(int(link[8:-1]))
    except OSError:
        pass
    return found


def _addr(hexaddr: str) -> tuple[str, int]:
    host, port = hexaddr.split(":")
    raw = bytes.fromhex(host)
    # the kernel prints each 32-bit word in host (little-endian) order
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    ip = socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, words)
    return ip, int(port, 16)


def _table(pid: int) -> dict[int, tuple]:
    rows = {}
    for name in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{name}") as f:
                next(f)
                for line in f:
                    parts = line.split()
                    rows[int(parts[9])] = (_addr(parts[1]), _addr(parts[2]), parts[3])
        except (OSError, StopIteration):
            continue
    return rows


def connections(root_pids: list[int], pids: list[int] | None = None) -> list[Conn]:
    out = []
    for pid in pids if pids is not None else [p for root in root_pids for p in children(root)]:
        if True:
            inodes = _inodes(pid)
            if not inodes:
                continue
            table = _table(pid)
            for ino in inodes:
                if ino in table:
                    local, remote, state = table[ino]
                    out.append(Conn(pid, local, remote, state))
    return out


class Watcher:
    """Samples the connections of some process trees every ``interval`` seconds until stopped."""

    def __init__(self, root_pids: list[int], interval: float = 0.01):
        self.root_pids, self.interval = root_pids, interval
        self.seen: set[Conn] = set()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        pids, listed = [], 0.0
        while not self._stop.is_set():
            if time.monotonic() - listed > 0.5:        # new workers appear now and then: list the tree again
                pids = [p for root in self.root_pids for p in children(root)]
                listed = time.monotonic()
            self.seen.update(connections(self.root_pids, pids))
            self.samples += 1
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)

    def outbound(self) -> list[Conn]:
        return sorted((c for c in self.seen if not c.outbound_ok), key=str)

    def to_port(self, port: int) -> list[Conn]:
        return sorted((c for c in self.seen if c.remote[1] == port and c.state != LISTEN), key=str)


class Bait:
    """A listening socket on 127.0.0.1 that counts the connections it receives."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            conn.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        self.sock.close()
