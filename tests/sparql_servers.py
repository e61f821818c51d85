"""Real SPARQL servers for the tests of the external store: Oxigraph server (from the `oxigraph`
package of the test extra) and OpenLink Virtuoso (Debian's virtuoso-opensource-7-bin, installed
by `make test`), each on 127.0.0.1 only, on a free port, with its database in a folder of its
own that pytest removes, and stopped by whoever started it."""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

VIRTUOSO_INI = """\
; written by the tests: every file in this folder, every port on 127.0.0.1
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
AllowOSCalls         = 0
DirsAllowed          = {d}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {d}/www
MaxClientConnections = 10
ServerThreads        = 10
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
Charset              = UTF-8
EnabledGzipContent   = 0

[Replication]
ServerEnable = 0

[SPARQL]
ResultSetMaxRows      = {max_rows}
MaxQueryExecutionTime = 60
"""
# Left out of Debian's virtuoso.ini on purpose: [Zero Config] (announces the server on the
# network), [Plugins] (wiki hosting), [URIQA], [Striping]; and every listener not on 127.0.0.1.


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, log: Path, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}):\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"the server did not answer {url} in {seconds:.0f} s:\n{log.read_text(errors='replace')[-2000:]}")


class Server:
    """A started server: ``url`` is the store location for kg (``--store``)."""

    def __init__(self, kind: str, url: str, proc: subprocess.Popen, folder: Path, sql_port: int | None = None,
                 password: str | None = None):
        self.kind, self.url, self.proc, self.folder = kind, url, proc, folder
        self.sql_port, self.password = sql_port, password

    def isql(self, statement: str) -> str:
        """Run one SQL statement as dba (Virtuoso only); RuntimeError when it fails."""
        r = subprocess.run([shutil.which("isql-vt") or "isql-vt", f"127.0.0.1:{self.sql_port}", "dba", self.password,
                            f"exec={statement}"], capture_output=True, text=True, timeout=60)
        if r.returncode != 0 or "Error" in r.stdout + r.stderr:
            raise RuntimeError(f"isql: {statement}: {r.stdout}{r.stderr}")
        return r.stdout

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def start_oxigraph(folder: Path) -> Server:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "oxigraph.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([exe, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/query?query=ASK%7B%7D", proc, log)
    return Server("oxigraph", url, proc, folder)


def start_virtuoso(folder: Path, max_rows: int = 1_000_000, grant: bool = True) -> Server:
    """Virtuoso with a new database in ``folder``; ``grant`` gives the SPARQL user (whom the
    /sparql endpoint runs as) the SPARQL_UPDATE role, as docs/deploy.md tells."""
    exe = shutil.which("virtuoso-t")
    if exe is None:
        raise RuntimeError("virtuoso-t is not installed: `make test` installs Debian's virtuoso-opensource-7-bin")
    sql_port, http_port = free_port(), free_port()
    (folder / "www").mkdir(parents=True, exist_ok=True)
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port,
                                                             max_rows=max_rows))
    password = "kg" + secrets.token_hex(12)
    log = folder / "virtuoso.out"
    with open(log, "wb") as out:
        proc = subprocess.Popen([exe, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                                cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}/sparql"
    wait_until_up(url + "?query=ASK%7B%7D", proc, log)
    server = Server("virtuoso", url, proc, folder, sql_port, "dba")
    try:                            # a new database's dba password is dba: not for long
        server.isql(('GRANT SPARQL_UPDATE TO "SPARQL"; ' if grant else "") + f"SET PASSWORD \"dba\" \"{password}\";")
    except RuntimeError:
        server.stop()
        raise
    server.password = password
    return server
