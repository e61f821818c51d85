"""Run every benchmark: each ``bench/bench_*.py``'s ``main(argv)``, in name order.

This is what ``make bench`` runs (``.venv/bin/python bench/run.py``). Arguments that are not
run.py's own are passed to every benchmark unchanged (``--quick``, ``--large``, ``--jobs 2`` …),
so a benchmark should ignore flags it does not know (``argparse.parse_known_args``).

Each benchmark runs in a fresh Python process by default, so that its memory figures and
one-time costs are its own; ``--in-process`` calls the ``main`` functions in this process.
The exit status is non-zero only when a benchmark crashes (raises, or returns / exits with a
non-zero status); a benchmark missing a goal it prints is not a crash.

    python bench/run.py [--quick] [--only ingest,web] [--list] [--in-process] [benchmark flags…]
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import subprocess
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent

# run in a child process: import the benchmark by path and call its main(argv)
BOOTSTRAP = (
    "import sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "import run\n"
    "sys.exit(run.call_main(run.load(sys.argv[2]), sys.argv[3:]))\n"
)


def load(path):
    """Import a benchmark file as a module (its folder on sys.path, as when run as a script)."""
    path = Path(path)
    name = f"_kg_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec.loader.exec_module(mod)
    return mod


def call_main(mod, argv: list[str]) -> int:
    """``mod.main(argv)``; a ``main()`` without parameters reads ``sys.argv``, set to match."""
    sys.argv = [getattr(mod, "__file__", mod.__name__), *argv]
    try:
        params = inspect.signature(mod.main).parameters
    except (TypeError, ValueError):
        params = {"argv": None}
    rc = mod.main(list(argv)) if params else mod.main()
    return rc if isinstance(rc, int) else (0 if rc is None or rc is True else 1)


def benchmarks(only: list[str] | None = None) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if only:
        wanted = {w if w.startswith("bench_") else f"bench_{w}" for w in only}
        found = [p for p in found if p.stem in wanted]
    return found


def run_in_process(path: Path, argv: list[str]) -> int:
    saved = list(sys.argv)
    try:
        return call_main(load(path), argv)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except Exception:       # a crash: report it and go on with the next benchmark
        traceback.print_exc()
        return 1
    finally:
        sys.argv = saved


def verdict(rc: int) -> str:
    if rc == 0:
        return "ok"
    if rc == 2:
        return "CRASHED (status 2: a usage error? benchmarks must ignore flags they do not know)"
    return f"CRASHED (status {rc})"


def run_in_child(path: Path, argv: list[str]) -> int:
    return subprocess.call([sys.executable, "-c", BOOTSTRAP, str(HERE), str(path), *argv])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run every bench/bench_*.py; other flags are passed to each.",
                                 add_help=True)
    ap.add_argument("--only", help="comma-separated benchmarks to run (ingest,web or bench_ingest,…)")
    ap.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    ap.add_argument("--in-process", action="store_true", help="call each main() in this process")
    args, passthrough = ap.parse_known_args(argv)
    found = benchmarks(args.only.split(",") if args.only else None)
    if args.list:
        for p in found:
            print(p.stem)
        return 0
    if not found:
        print("no benchmarks found" + (f" matching {args.only}" if args.only else ""), file=sys.stderr)
        return 1 if args.only else 0
    status: list[tuple[str, int, float]] = []
    for path in found:
        flags = " ".join(passthrough)
        print(f"\n{'=' * 78}\n== {path.stem}{'  ' + flags if flags else ''}\n{'=' * 78}", flush=True)
        t = time.perf_counter()
        rc = run_in_process(path, passthrough) if args.in_process else run_in_child(path, passthrough)
        dt = time.perf_counter() - t
        sys.stdout.flush()
        print(f"-- {path.stem}: {verdict(rc)} in {dt:.1f} s", flush=True)
        status.append((path.stem, rc, dt))
    print(f"\n{'=' * 78}\nsummary")
    for name, rc, dt in status:
        print(f"  {name:24s} {dt:7.1f} s  {verdict(rc)}")
    return 1 if any(rc != 0 for _, rc, _ in status) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
