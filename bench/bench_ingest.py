"""Ingest throughput against a baseline measured in the same run: plain ``jieba.lcut``.

For each workload — the ``corpus/`` folder, 100 synthetic reports (``bench/synth.py``), the
same 100 added to a store that already holds ``corpus/`` (not with ``--quick``), 1,000 with
``--large`` and 10,000 with ``--huge`` (where it fits: the free disk and memory are checked
first, and the extraction-only breakdown is left out) — it measures

- the baseline: ``jieba.lcut`` over the same texts (dictionary loaded beforehand, not counted);
  next to it, for information, kg's own segmenter (kg.text.segmenter: the same words, cut by
  jieba-rs), which is what the pipeline runs;
- the full pipeline: ``kg.ingest.ingest(paths, store, jobs=N)`` (reading, extraction, RDF,
  the ontology graph, the store writes, flush) into a fresh temporary on-disk store, or, for
  the "non-empty store" workload, into one that already has data (``kg.bulk`` then starts from
  a checkpoint of it);

and prints wall time, documents/s, triples/s (triples of the document graphs), peak RSS and
the ratio pipeline / jieba; and, to follow the open world (every unit-bearing quantity an
observation), observations per report and per 1,000 characters, ingest ms per report, and
extraction ms per quantity found (``extract_all`` alone, one process, ÷ the quantities
``kg.text.quantities.find_quantities`` finds: the same count before and after the open world)
and per observation made (÷ the observations extracted). ``tests/dev/docs`` is a workload too
(``--dev``).
The goal printed against is a ratio of at most 3× (single process).
The one-time set-up (building the spaCy pipeline, loading the lexicon) is timed separately and
left out of the ratios, like jieba's dictionary loading.

Each ingest measurement runs in a forked child that is killed after ``--timeout`` seconds (a hung
store is reported, and the exit status is 1).

    python bench/bench_ingest.py [--quick] [--large] [--huge] [--jobs N] [--synthetic N] [--dev DIR] [--timeout S] [--json FILE]
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GOAL_RATIO = 3.0
MIN_BASELINE_SECONDS = 0.5     # repeat jieba over small workloads until this much time has passed


# ----------------------------------------------------------------------------- memory

def _status_kb(field: str) -> int | None:
    try:
        m = re.search(rf"^{field}:\s+(\d+)\s+kB", Path("/proc/self/status").read_text(), re.M)
    except OSError:
        return None
    return int(m.group(1)) if m else None


def reset_peak_rss() -> bool:
    """Reset this process's peak RSS (Linux: writing 5 to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    """Peak RSS of this process since the last reset (else since start), in MB."""
    kb = _status_kb("VmHWM")
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


def children_peak_rss_mb() -> float:
    """Largest peak RSS of any finished child process (worker processes with --jobs)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# ----------------------------------------------------------------------------- workloads

def load_synth():
    sys.path.insert(0, str(HERE))
    try:
        import synth
    finally:
        sys.path.remove(str(HERE))
    return synth


def texts_of(folder: Path) -> list[str]:
    from kg.corpus import read_report, report_files
    return [read_report(p).text for p in report_files([folder])]


def median_pass(run) -> float:
    """Median seconds of ``run()``, repeated until it has run for MIN_BASELINE_SECONDS (at most
    25 passes)."""
    passes: list[float] = []
    while sum(passes) < MIN_BASELINE_SECONDS and len(passes) < 25:
        t = time.perf_counter()
        run()
        passes.append(time.perf_counter() - t)
    return statistics.median(passes)


def time_jieba(texts: list[str]) -> tuple[float, int]:
    """Seconds per pass of jieba.lcut over ``texts`` (median of passes), and the token count."""
    import jieba
    tokens = 0

    def run():
        nonlocal tokens
        tokens = sum(len(jieba.lcut(x)) for x in texts)
    return median_pass(run), tokens


def time_segmenter(texts: list[str]) -> float:
    """Seconds per pass of kg's own segmenter (kg.text.segmenter: jieba's words, cut by jieba-rs)
    over ``texts``: what segmentation costs inside the pipeline, next to the baseline."""
    from kg.text.segmenter import cut
    cut("脱贫攻坚")                      # its dictionary is loaded before, like jieba's
    return median_pass(lambda: [cut(x) for x in texts])


def time_ingest(folder: Path, jobs: int, repeats: int, ontology_triples: int, workdir: Path | None = None,
                prefill: Path | None = None) -> dict:
    """Median wall time of ``ingest`` into a fresh temporary store, or into one already holding
    ``prefill`` (its ingest not timed), and what it stored."""
    from kg.ingest import ingest
    from kg.store import LocalStore

    walls, peaks, before, summary = [], [], [], None
    for _ in range(repeats):
        tmp = Path(tempfile.mkdtemp(prefix="kg-bench-store-", dir=workdir))
        try:
            gc.collect()
            reset_peak_rss()
            before.append((_status_kb("VmRSS") or 0) / 1024)
            store = LocalStore(tmp / "store")
            prior = ingest([prefill], store, progress=False).triples if prefill else ontology_triples
            t = time.perf_counter()
            summary = ingest([folder], store, jobs=jobs, progress=False)
            walls.append(time.perf_counter() - t)
            peaks.append(peak_rss_mb())
            store.close()
            del store
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return {"wall": statistics.median(walls), "walls": walls, "peak_rss_mb": max(peaks), "rss_before_mb": min(before),
            "documents": summary.documents, "observations": summary.observations,
            "triples": summary.triples - prior}


def _ingest_child(conn, folder: Path, jobs: int, repeats: int, ontology_triples: int, workdir: Path,
                  prefill: Path | None) -> None:
    try:
        r = time_ingest(folder, jobs, repeats, ontology_triples, workdir, prefill)
        r["workers_peak_rss_mb"] = children_peak_rss_mb()
        conn.send(r)
    except BaseException:
        conn.send({"error": traceback.format_exc()})
    finally:
        conn.close()


def time_ingest_guarded(folder: Path, jobs: int, repeats: int, ontology_triples: int, timeout: float,
                        workdir: Path, prefill: Path | None = None) -> dict:
    """``time_ingest`` in a forked child (it inherits the warm pipeline), killed after ``timeout``
    seconds: a hung store (seen once: RocksDB waiting forever in ``Store.flush``) is reported, not
    waited for. The child's memory is its own, so peak RSS does not carry over between workloads."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_ingest_child, args=(child, folder, jobs, repeats, ontology_triples, workdir, prefill))
    t = time.perf_counter()
    proc.start()
    child.close()
    try:
        if parent.poll(timeout):
            result = parent.recv()
        else:
            result = {"error": f"no result after {timeout:g} s: killed (a hang? a store's RocksDB LOG may say)",
                      "timeout": True}
    except EOFError:
        result = {"error": f"the measuring process died (exit code {proc.exitcode})"}
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
    result.setdefault("elapsed", time.perf_counter() - t)
    return result


HUGE = 10_000
#: what 10,000 synthetic reports need: about 0.8 GB of store per 1,000 reports, twice while the
#: new version is built beside the old one, and memory for the parent and two workers
HUGE_DISK_BYTES = 20 * 2**30
HUGE_MEMORY_BYTES = 4 * 2**30


def huge_room(folder: Path) -> str:
    """Why 10,000 reports do not fit here, or "" when they do."""
    free = shutil.disk_usage(folder).free
    if free < HUGE_DISK_BYTES:
        return f"{free / 2**30:.1f} GB free on disk, {HUGE_DISK_BYTES / 2**30:.0f} GB needed"
    m = re.search(r"^MemAvailable:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M) if Path("/proc/meminfo").exists() else None
    if m and int(m.group(1)) * 1024 < HUGE_MEMORY_BYTES:
        return f"{int(m.group(1)) / 2**20:.1f} GB of memory available, {HUGE_MEMORY_BYTES / 2**30:.0f} GB needed"
    return ""


#: kg's caches keyed by a report's text (the last few texts seen): a pass over the same few
#: reports again would find them filled, which no ingest does, so they are emptied before each
#: pass (the names of this and older checkouts; a missing one is skipped)
TEXT_CACHES = (("kg.text.timex", "_find_times"), ("kg.text.places", "_places_of"), ("kg.text.place_words", "words"))


def clear_text_caches() -> None:
    for module, name in TEXT_CACHES:
        cached = getattr(sys.modules.get(module), name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


def time_extract_only(folder: Path, jobs: int) -> dict:
    """Reading and extraction alone (no store), each the median of passes repeated for at least
    MIN_BASELINE_SECONDS: ``read_s``, ``extract_s`` and the observations extracted."""
    from kg.corpus import read_report, report_files
    from kg.ingest import extract_all
    files = report_files([folder])
    reports: list = []
    facts = 0

    def read():
        reports[:] = [read_report(p) for p in files]

    cpu: list[float] = []

    def extract():
        nonlocal facts
        clear_text_caches()
        c = time.process_time()
        facts = sum(n for _, _, n, _ in extract_all(reports, jobs, None, progress=False, nquads=True))  # as kg ingest runs it
        cpu.append(time.process_time() - c)
    read_s = median_pass(read)
    extract_s = median_pass(extract)
    # CPU seconds of this process: with one job, the extraction's own, which load from other
    # processes on the machine changes much less than the wall time
    return {"read_s": read_s, "extract_s": extract_s, "extract_cpu_s": statistics.median(cpu), "facts": facts}


def count_quantities(texts: list[str]) -> tuple[int, float]:
    """The quantities kg.text.quantities.find_quantities finds in ``texts`` (every number with
    a unit or a scale word, before any fact rule), and the seconds it took."""
    from kg.text.quantities import find_quantities
    t = time.perf_counter()
    n = sum(len(find_quantities(x)) for x in texts)
    return n, time.perf_counter() - t


def print_open_world(row: dict) -> None:
    """Observations per report and per 1,000 characters, ingest cost per report, and extraction
    cost per quantity found (extraction alone, one process): the figures of the open world."""
    docs, q = row["documents"] or 1, row["quantities"] or 1
    print(f"    observations            {row['observations'] / docs:8.1f} per report   "
          f"{row['obs_per_kchar']:6.2f} per 1,000 characters   ({row['observations']} observations of "
          f"{row['quantities']} quantities found, {row['observations'] / q:.0%})")
    line = f"    ingest per report       {row['ingest_ms_per_report']:8.1f} ms"
    if "extract_ms_per_quantity" in row:
        line += (f"   extraction alone (one process) {row['extract1_s'] * 1000 / docs:.1f} ms per report, "
                 f"{row['extract_ms_per_quantity']:.3f} ms per quantity found "
                 f"({row['extract_cpu_ms_per_quantity']:.3f} ms of CPU), "
                 f"{row['extract_ms_per_observation']:.3f} ms per observation made")
    print(line)


# ----------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="20 synthetic reports, no breakdown (a smoke run)")
    ap.add_argument("--large", action="store_true", help="also ingest 1,000 synthetic reports")
    ap.add_argument("--huge", action="store_true",
                    help="also ingest 10,000 synthetic reports, if the disk and memory have room (tens of minutes)")
    ap.add_argument("--jobs", type=int, default=1, help="processes for extraction (kg.ingest.ingest jobs=N)")
    ap.add_argument("--synthetic", type=int, default=None, help="number of synthetic reports (default 100; 20 with --quick)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the synthetic reports")
    ap.add_argument("--corpus", default=str(REPO / "corpus"), help="the real corpus folder (default corpus/)")
    ap.add_argument("--dev", default=str(REPO / "tests" / "dev" / "docs"),
                    help="the dev reports folder, another workload (default tests/dev/docs; '' to leave out)")
    ap.add_argument("--json", help="also write the results to this JSON file")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before an ingest run is declared hung (default 1800)")
    args, _unknown = ap.parse_known_args(argv)   # bench/run.py passes every benchmark the same flags

    import jieba
    jieba.setLogLevel(60)
    t = time.perf_counter()
    jieba.initialize()
    jieba.lcut("脱贫攻坚取得显著成效")
    jieba_setup = time.perf_counter() - t

    from kg.ingest import ontology_quads
    from kg.lexicon import load_lexicon
    from kg.nlp.pipeline import build_nlp
    t = time.perf_counter()
    load_lexicon()
    nlp = build_nlp()
    nlp("2014年退出贫困村8个。")
    ontology_triples = len(ontology_quads())
    kg_setup = time.perf_counter() - t

    synth = load_synth()
    n_synth = args.synthetic if args.synthetic is not None else (20 if args.quick else 100)
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-corpus-"))
    workloads: list[tuple[str, Path, int, Path | None]] = []     # (name, folder, repeats, prefill)
    corpus = Path(args.corpus)
    has_corpus = corpus.is_dir() and any(corpus.iterdir())
    if has_corpus:
        label = "corpus/" if corpus.resolve() == (REPO / "corpus").resolve() else str(corpus)
        workloads.append((label, corpus, 1 if args.quick else 3, None))
    extra_folders = [corpus]
    dev = Path(args.dev) if args.dev else None
    if dev is not None and dev.is_dir() and any(dev.glob("*.txt")):
        label = "tests/dev/docs" if dev.resolve() == (REPO / "tests/dev/docs").resolve() else str(dev)
        workloads.append((label, dev, 1 if args.quick else 3, None))
        extra_folders.append(dev)
    t = time.perf_counter()
    synth.write_corpus(tmp / "synthetic", n_synth, args.seed)
    gen_seconds = time.perf_counter() - t
    workloads.append((f"synthetic-{n_synth}", tmp / "synthetic", 1, None))
    if has_corpus and not args.quick:
        # the same reports added to a store that already has data
        workloads.append((f"synthetic-{n_synth} into a non-empty store", tmp / "synthetic", 1, corpus))
    if args.large:
        synth.write_corpus(tmp / "large", 1000, args.seed)
        workloads.append(("synthetic-1000", tmp / "large", 1, None))
    if args.huge:
        room = huge_room(tmp)
        if room:
            print(f"  synthetic-10000 skipped: {room}")
        else:
            synth.write_corpus(tmp / "huge", HUGE, args.seed)
            workloads.append((f"synthetic-{HUGE}", tmp / "huge", 1, None))

    print(f"bench_ingest: jobs={args.jobs}, python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} at start (other work on the machine skews the numbers)")
    print(f"  one-time set-up (not in the ratios): jieba dictionary {jieba_setup:.2f} s; "
          f"kg pipeline + lexicon + ontology {kg_setup:.2f} s")
    print(f"  generated {n_synth} synthetic reports in {gen_seconds:.2f} s")
    results = []
    failed = False
    try:
        for name, folder, repeats, prefill in workloads:
            texts = texts_of(folder)
            chars = sum(len(x) for x in texts)
            nbytes = sum(len(x.encode("utf-8")) for x in texts)
            base, tokens = time_jieba(texts)
            segmenter = time_segmenter(texts)
            r = time_ingest_guarded(folder, args.jobs, repeats, ontology_triples, args.timeout, tmp, prefill)
            if "error" in r:
                failed = True
                results.append({"workload": name, "error": r["error"]})
                print(f"\n  {name}: kg ingest FAILED after {r['elapsed']:.0f} s: {r['error'].strip()}")
                continue
            ratio = r["wall"] / base if base else float("inf")
            row = {"workload": name, "documents": r["documents"], "kbytes": round(nbytes / 1024, 1), "chars": chars,
                   "jieba_s": base, "jieba_tokens": tokens, "segmenter_s": segmenter, "pipeline_s": r["wall"], "pipeline_runs": r["walls"],
                   "docs_per_s": r["documents"] / r["wall"], "triples": r["triples"],
                   "triples_per_s": r["triples"] / r["wall"], "observations": r["observations"],
                   "peak_rss_mb": r["peak_rss_mb"], "rss_before_mb": r["rss_before_mb"], "ratio": ratio, "jobs": args.jobs}
            if args.jobs > 1:
                row["children_peak_rss_mb"] = r["workers_peak_rss_mb"]
            row["quantities"], row["find_quantities_s"] = count_quantities(texts)
            row["obs_per_kchar"] = r["observations"] / chars * 1000 if chars else 0.0
            row["ingest_ms_per_report"] = r["wall"] * 1000 / max(1, r["documents"])
            if prefill is None and r["documents"] < HUGE:
                ex1 = time_extract_only(folder, 1)
                row["extract1_s"], row["extract1_cpu_s"] = ex1["extract_s"], ex1["extract_cpu_s"]
                row["extract_ms_per_quantity"] = ex1["extract_s"] * 1000 / max(1, row["quantities"])
                row["extract_cpu_ms_per_quantity"] = ex1["extract_cpu_s"] * 1000 / max(1, row["quantities"])
                # per quantity the extraction made an observation of (more of them with the open world)
                row["extract_ms_per_observation"] = ex1["extract_s"] * 1000 / max(1, ex1["facts"])
                if not args.quick and folder not in extra_folders:
                    exj = ex1 if args.jobs == 1 else time_extract_only(folder, args.jobs)
                    row["extract_only_s"] = exj["read_s"] + exj["extract_s"]
            results.append(row)
            print(f"\n  {name}: {r['documents']} documents, {nbytes / 1024:.0f} KB of text")
            print(f"    jieba.lcut (baseline)   {base:8.3f} s   {nbytes / 1024 / base:8.0f} KB/s   {tokens} tokens")
            print(f"    kg's segmenter          {segmenter:8.3f} s   {nbytes / 1024 / segmenter:8.0f} KB/s   "
                  f"(the same words by jieba-rs, as the pipeline cuts them; not the baseline)")
            runs = "" if repeats == 1 else f"   (median of {repeats} runs)"
            print(f"    kg ingest (pipeline)    {r['wall']:8.3f} s   {nbytes / 1024 / r['wall']:8.0f} KB/s{runs}")
            print(f"    documents/s             {row['docs_per_s']:8.1f}")
            print(f"    triples/s               {row['triples_per_s']:8.0f}   ({r['triples']} document triples, "
                  f"{r['observations']} observations)")
            rss = f"{r['peak_rss_mb']:.0f} MB (the ingesting process; {r['rss_before_mb']:.0f} MB before the run)"
            if args.jobs > 1:
                rss += (f", {row['children_peak_rss_mb']:.0f} MB (largest worker)" if row["children_peak_rss_mb"]
                        else ", no worker processes (a single document is extracted in-process)")
            print(f"    peak RSS                {rss}")
            if "extract_only_s" in row:
                ex = row["extract_only_s"]
                print(f"    breakdown               read+extract alone {ex:.3f} s ({ex / r['wall']:.0%}); the rest, "
                      f"{max(0.0, r['wall'] - ex):.3f} s, is store writing not hidden behind extraction")
            print_open_world(row)
            verdict = "met" if ratio <= GOAL_RATIO else "NOT met"
            print(f"    ratio pipeline/jieba    {ratio:8.1f}×   (goal ≤ {GOAL_RATIO:g}× single process: {verdict})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n  load average {os.getloadavg()[0]:.2f} at the end")
    print(f"\n  {'workload':38s} {'obs/report':>10s} {'obs/1k chars':>12s} {'ingest ms/report':>16s} "
          f"{'extract ms/quantity (CPU)':>25s} {'extract ms/observation':>22s}")
    for row in results:
        if "error" not in row:
            per_q = (f"{row['extract_ms_per_quantity']:15.3f} ({row['extract_cpu_ms_per_quantity']:.3f}) "
                     f"{row['extract_ms_per_observation']:22.3f}"
                     if "extract_ms_per_quantity" in row else f"{'-':>25s} {'-':>22s}")
            print(f"  {row['workload']:38s} {row['observations'] / max(1, row['documents']):10.1f} "
                  f"{row['obs_per_kchar']:12.2f} {row['ingest_ms_per_report']:16.1f} {per_q}")
    if args.json:
        Path(args.json).write_text(json.dumps({"jobs": args.jobs, "cpus": os.cpu_count(), "loadavg_end": os.getloadavg()[0], "jieba_setup_s": jieba_setup, "kg_setup_s": kg_setup,
                                               "results": results}, indent=2, ensure_ascii=False) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
