"""Defence in depth for the SPARQL query workers: a worker process gives up the network before
it reads a query, so that even a query that got past :func:`kg.web.guard.screen` cannot make
the engine connect anywhere (SERVICE is its only outbound path).

On Linux a process can move itself into a new, empty network namespace with
``unshare(CLONE_NEWNET)``: it then has only a loopback interface that is down, and every
``connect`` fails with "network unreachable". That takes CAP_SYS_ADMIN (root, or a container
that grants it); without it, ``unshare(CLONE_NEWUSER | CLONE_NEWNET)`` does the same where
unprivileged user namespaces are allowed. The worker keeps its pipes to the server and its
open files; it opens the store after this, from the same file system.

Where neither works (another OS, a container whose seccomp profile forbids unshare, user
namespaces switched off), the worker says so (``network: "host"`` in ``/api/stats``) and the
guard alone keeps SERVICE out, as docs/security.md says.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def _unshare(flags: int) -> int:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    if libc.unshare(ctypes.c_int(flags)) == 0:
        return 0
    return ctypes.get_errno()


def drop_network() -> str:
    """Leave the network: "none" when this process has no network any more, else "host (why)"."""
    if not sys.platform.startswith("linux"):
        return f"host ({sys.platform}: no network namespaces)"
    try:
        err = _unshare(CLONE_NEWNET)
        if err == 0:
            return "none"
        err2 = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
        if err2 == 0:
            return "none"
    except (OSError, AttributeError) as e:       # no libc, no unshare symbol
        return f"host ({e.__class__.__name__})"
    return f"host (unshare: {os.strerror(err)}; with a user namespace: {os.strerror(err2)})"
