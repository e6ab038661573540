"""Render a suite results file (from ``bench.run_all``) as Markdown tables and PNG plots.

    python -m bench.report [RESULTS.json] [--docs docs] [--readme README.md] [--no-readme]

Writes ``docs/benchmarks.md`` (every table, with ratios against the peers and, where the
benchmark repeated a measurement, the median with its min-max), the plots under
``docs/benchmarks/`` (latency vs corpus size per engine, indexing throughput vs jobs,
extraction F1 per engine, web throughput per route) and ``bench/README_TABLE.md`` (the
headline table and one plot, as the README shows them). When README.md holds the markers
``<!-- bench:start -->`` and ``<!-- bench:end -->``, the text between them is replaced by
that snippet; nothing else in README.md is touched. RESULTS defaults to the newest
``bench/results/<date>[-quick].json``. Plots need matplotlib (the ``bench`` extra); without
it the Markdown is still written, without pictures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from bench._common import BENCH, RESULTS, md_table

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SUITE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}(-quick)?\.json$")
PLOTS = "benchmarks"  # folder under docs/


# -- formatting ---------------------------------------------------------------------------


def num(v: Any, digits: int = 3) -> str:
    if v is None:
        return "—"
    if isinstance(v, (int, float)):
        if v != v:  # NaN
            return "—"
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        return f"{v:.{digits}g}" if abs(v) >= 1 else f"{v:.{digits}f}"
    return str(v)


def spread(values: list[float] | None, digits: int = 3) -> str:
    """' (min–max)' when there are several values, else ''."""
    vals = [v for v in values or [] if v == v]
    if len(vals) < 2:
        return ""
    return f" ({num(min(vals), digits)}–{num(max(vals), digits)})"


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "—"
    return f"{a / b:.2f}×"


def pct(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:.1%}" if v < 0.1 else f"{v:.0%}"


def diff(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "—"
    return f"{a - b:+.3f}"


# -- sections -----------------------------------------------------------------------------

EXTRACTION_ROWS = [
    ("L3S-GN1 body F1", "l3s_body_f1"),
    ("L3S-GN1 body precision", "l3s_body_precision"),
    ("L3S-GN1 body recall", "l3s_body_recall"),
    ("L3S-GN1 headline exact", "l3s_headline_exact"),
    ("L3S-GN1 caption recall", "l3s_caption_supplemental_recall"),
    ("trafilatura-eval `with` found", "te_with_found"),
    ("trafilatura-eval `without` absent", "te_without_absent"),
    ("trafilatura-eval title exact", "te_title_exact"),
    ("trafilatura-eval date exact", "te_date_exact"),
    ("bylines holding a date/time (share)", "byline_with_date_share"),
    ("sources that are not site names (share)", "source_not_site_share"),
    ("pages/s (one core)", "pages_per_second"),
]


def extraction_md(res: dict[str, Any]) -> str:
    m = res["metrics"]
    peers = [n for n in m if n != "morgue"]
    headers = ["metric", *m] + [f"Morgue vs {p}" for p in peers if "morgue" in m]
    rows = []
    for label, key in EXTRACTION_ROWS:
        row: list[Any] = [label]
        for n in m:
            v = m[n].get(key)
            if key == "pages_per_second":
                row.append(num(v) + spread(m[n].get("pages_per_second_runs")))
            else:
                row.append(num(v))
        if "morgue" in m:
            for p in peers:
                a, b = m["morgue"].get(key), m[p].get(key)
                row.append(ratio(a, b) if key == "pages_per_second" else diff(a, b))
        rows.append(row)
    pages = next(iter(m.values())).get("pages", "?")
    out = (f"{pages} pages per engine (L3S-GN1 + trafilatura-eval). Scores are shares (0–1); "
           "\"Morgue vs\" is the difference for scores, the ratio for pages/s. Pages/s is the "
           "median of the timed passes (min–max).\n\n" + md_table(headers, rows))
    halves = {n: m[n]["halves"] for n in m if m[n].get("halves")}
    if halves:
        # Rules are changed looking at half A only (bench/halves.py): B is the check.
        half_rows = [[label] + [num(halves[n][h].get(key)) for n in halves for h in ("A", "B")]
                     for label, key in EXTRACTION_ROWS if key != "pages_per_second"]
        out += ("\n\nThe same scores on the two halves of the pages (`bench/halves.py`, by a hash "
                "of the file name): extraction rules are changed looking at half A only.\n\n"
                + md_table(["metric"] + [f"{n} {h}" for n in halves for h in ("A", "B")], half_rows))
    return out


def indexing_md(res: dict[str, Any]) -> str:
    rows = []
    for r in res["rows"]:
        note = ""
        if r.get("kind") == "rerun":
            note = f"{r.get('speedup', 0):.0f}× faster than the fresh build"
        elif "vs_peer" in r:
            note = f"Morgue ÷ peer: {r['vs_peer']:.2f}×"
        rows.append([r["pipeline"], r.get("jobs", "—"),
                     num(r["pages_per_s"]) + spread(r.get("runs_pages_per_s")),
                     num(r["seconds"]), num(r.get("peak_pss_mb")), num(r["peak_rss_mb"]),
                     num(r.get("index_mb")), note])
    return (f"{res['pages']} pages ({', '.join(res.get('layouts', []))} layouts, "
            f"{num(res.get('input_mb'))} MB); {res.get('repeat', 1)} run(s) per row, median "
            "(min–max). Memory is summed over the process tree, sampled every 50 ms: PSS splits "
            "pages that forked workers share with their parent, RSS counts them once per "
            "process.\n\n" +
            md_table(["pipeline", "jobs", "pages/s", "s", "peak PSS MB", "peak RSS MB",
                      "index MB", "notes"], rows))


def large_indexing_md() -> list[str]:
    """The newest 100k-page indexing run, which `make bench` leaves out (it takes 15 min)."""
    found = sorted(RESULTS.glob("indexing-100k-*.json"), key=lambda p: p.stat().st_mtime)
    if not found:
        return []
    res = json.loads(found[-1].read_text(encoding="utf-8"))
    return ["", f"### {res['pages']:,} pages", "",
            f"A separate run, {res.get('when', '?')}: `python -m bench.indexing --pages 100000 "
            f"--jobs 2` (results in `bench/results/{found[-1].name}`).", "", indexing_md(res)]


def latency_md(res: dict[str, Any]) -> str:
    rows = []
    by_size: dict[int, dict[str, dict]] = {}
    for r in res["rows"]:
        by_size.setdefault(r["size"], {})[r["engine"]] = r
    for size, engines in sorted(by_size.items()):
        mo = engines.get("Morgue")
        for name, r in engines.items():
            kinds = [("all", r)] + sorted((r.get("kinds") or {}).items())
            for kind, k in kinds:
                ours = mo if kind == "all" else (mo or {}).get("kinds", {}).get(kind) if mo else None
                rows.append([f"{size:,}", name, kind, num(k["p50_ms"]), num(k["p95_ms"]),
                             num(k["max_ms"]),
                             "" if name == "Morgue" or not ours else ratio(ours["p95_ms"], k["p95_ms"])])
    synth = max((r.get("synthetic", 0) for r in res["rows"]), default=0)
    return (f"{len(res.get('queries', []))} distinct queries (single words, two words, 2-3-word "
            "phrases, a word with a date filter, drawn from the corpus), each asked once after a "
            "warm-up set; result cache off; the last column is Morgue's p95 divided by the "
            "engine's (above 1: Morgue is slower)."
            + (f" Sizes past the real data are filled with synthetic remixes (up to {synth:,})."
               if synth else "") + "\n\n" +
            md_table(["articles", "engine", "kind", "p50 ms", "p95 ms", "max ms",
                      "Morgue p95 ÷ this"], rows))


def relevance_md(res: dict[str, Any]) -> str:
    eng = res["engines"]
    base = eng[0]["MAP"] if eng else None
    rows = [[e["engine"], num(e["MAP"]), num(e["nDCG@10"]), num(e["P@10"]),
             num(e.get("query_ms")), "" if i == 0 else ratio(base, e["MAP"])]
            for i, e in enumerate(eng)]
    out = (f"TIME collection: {res['docs']} documents, {res['queries']} judged queries.\n\n" +
           md_table(["engine", "MAP", "nDCG@10", "P@10", "ms/query", "Morgue MAP ÷ this"], rows))
    if res.get("variants"):
        out += "\n\nMorgue variants (monkeypatched in the benchmark):\n\n" + md_table(
            ["variant", "MAP", "ΔMAP", "nDCG@10", "P@10"],
            [[v["variant"], num(v["MAP"]), f"{v.get('dMAP', 0):+.4f}", num(v["nDCG@10"]),
              num(v["P@10"])] for v in res["variants"]])
    return out


def web_md(res: dict[str, Any]) -> str:
    rows = []
    for r in res["rows"]:
        rows.append([f"`{r['route']}`", num(r["rps"]) + spread([x["rps"] for x in r["runs"]]),
                     pct(r.get("vs_healthz")),
                     num(r["p50_ms"]), num(r["p95_ms"]), num(r["p99_ms"]), r["errors"]])
    size = f"{res['size']:,} articles" if res.get("size") else res.get("index")
    goal = res.get("goal_ratio", 0.5)
    return (f"Index: {size} ({res.get('index_source')}). Server `python -m morgue.web.server --threads "
            f"{res['threads']}` (waitress, access log on); load `wrk`, {res['connections']} "
            f"connections, {res['repeat']} × {num(res['duration_s'])} s per route on 127.0.0.1; "
            "search routes cycle the latency benchmark's 30 queries; the \"cache off\" routes go "
            "to a second server started with `--cache-size 0`, so every request runs the search. "
            "req/s is the median run "
            "(min–max); latency percentiles from the median run; errors summed.\n\n" +
            md_table(["route", "req/s", "of /healthz", "p50 ms", "p95 ms", "p99 ms", "errors"],
                     rows) +
            f"\n\nGoal (search routes of the default server, result cache on, ≥ {goal:.0%} of "
            f"`/healthz` req/s, 0 errors): "
            f"**{'met' if res.get('goal_met') else 'not met'}**.")


def export_md(res: dict[str, Any]) -> str:
    rows = []
    for c in res["cases"]:
        m, q = c["morgue"], c["sqlite3_fts5"]
        rows.append([c["case"], f"{m['hits']:,}", num(m["first_byte_s"]), num(q["first_byte_s"]),
                     num(m["hits_per_s"]), num(q["hits_per_s"]),
                     num(m["hits_per_s"] / q["hits_per_s"]) if q["hits_per_s"] else "—",
                     num(m["peak_rss_growth_mb"]), num(m.get("peak_anon_growth_mb")),
                     num(q["peak_rss_mb"])])
    every = res["cases"][0]["morgue"]
    met = (every["peak_rss_growth_mb"] <= 50 and every["first_byte_s"] <= 1
           and every["hits_per_s"] >= 2000)
    return (f"Index: {res['size']:,} articles (the news corpus, `bench/.work/export/`). Morgue: "
            "`GET /api/search?...&format=csv&all=true` from `python -m morgue.web.server "
            "--cache-size 0`, read 64 KiB at a time; peak RSS growth of the server during the "
            "export (VmHWM after a reset), and the part of it that is heap (sampled RssAnon; the "
            "rest is pages of the memory-mapped index the export reads, released when its reader "
            "closes). Peer: the `sqlite3` shell writing the same columns as CSV (`-csv`) from "
            "an FTS5 table of the same articles, in the same order (snippet() for the query), "
            "its whole peak RSS. Morgue's count is of stories (copies of one wire story are one "
            "hit, as in every Morgue result); sqlite3's of rows.\n\n" +
            md_table(["export", "hits", "Morgue first byte (s)", "sqlite3 first byte (s)",
                      "Morgue hits/s", "sqlite3 rows/s", "ratio", "Morgue peak RSS growth (MB)",
                      "of which heap (MB)", "sqlite3 peak RSS (MB)"], rows) +
            "\n\nTarget (every article as CSV: peak RSS growth ≤ 50 MB, first byte ≤ 1 s, "
            f"≥ 2,000 hits/s) at this size: **{'met' if met else 'not met'}**.")


SECTIONS = [
    ("extraction", "Extraction: quality and speed vs trafilatura and readability-lxml",
     extraction_md),
    ("indexing", "Indexing: throughput and memory vs trafilatura + SQLite FTS5", indexing_md),
    ("latency", "Query latency vs SQLite FTS5 and Tantivy", latency_md),
    ("relevance", "Relevance on TIME vs SQLite FTS5 bm25", relevance_md),
    ("web_load", "Web throughput vs `/healthz`", web_md),
    ("export", "Exporting every hit as CSV vs sqlite3 over FTS5", export_md),
]


# -- headline -----------------------------------------------------------------------------


def headline_rows(suite: dict[str, Any]) -> list[list[str]]:
    R = suite.get("results", {})
    rows: list[list[str]] = []
    if "extraction" in R:
        m = R["extraction"]["metrics"]
        if "morgue" in m:
            peers = " · ".join(f"{n} {num(v.get('l3s_body_f1'))}" for n, v in m.items()
                               if n != "morgue")
            rows.append(["Extraction: body F1 (L3S-GN1)", num(m["morgue"].get("l3s_body_f1")),
                         peers])
            peers = " · ".join(f"{n} {num(v.get('pages_per_second'))}" for n, v in m.items()
                               if n != "morgue")
            rows.append(["Extraction: pages/s, one core", num(m["morgue"].get("pages_per_second")),
                         peers])
    if "indexing" in R:
        rs = [r for r in R["indexing"]["rows"] if r.get("kind", "fresh") == "fresh"]
        jobs = max((r.get("jobs", 2) for r in rs), default=2)
        mo = next((r for r in rs if r.get("engine", "Morgue") == "Morgue"
                   and r.get("jobs", 2) == jobs and r["pipeline"].startswith("morgue")), None)
        peer = next((r for r in rs if not r["pipeline"].startswith("morgue")
                     and r.get("jobs", 2) == jobs), None)
        if mo:
            rows.append([f"Indexing: pages/s, {jobs} jobs ({R['indexing']['pages']:,} pages)",
                         num(mo["pages_per_s"]),
                         f"trafilatura + FTS5 {num(peer['pages_per_s'])}" if peer else "—"])
    if "latency" in R:
        size = max(r["size"] for r in R["latency"]["rows"])
        at = {r["engine"]: r for r in R["latency"]["rows"] if r["size"] == size}
        if "Morgue" in at:
            rows.append([f"Search: p50 ms, {size:,} articles", num(at["Morgue"]["p50_ms"]),
                         " · ".join(f"{n} {num(r['p50_ms'])}" for n, r in at.items()
                                    if n != "Morgue")])
    if "relevance" in R:
        eng = R["relevance"]["engines"]
        fts = next((e for e in eng if "FTS5" in e["engine"]), None)
        rows.append(["Relevance: MAP (TIME)", num(eng[0]["MAP"]),
                     f"SQLite FTS5 bm25 {num(fts['MAP'])}" if fts else "—"])
    if "web_load" in R:
        w = R["web_load"]
        by = {r["route"]: r for r in w["rows"]}
        for route in ("/api/search", "/search", "/api/search (cache off)"):
            if route in by:
                size = f", {w['size']:,} articles" if w.get("size") else ""
                rows.append([f"Web: `{route}` req/s{size}", num(by[route]["rps"]),
                             f"`/healthz` {num(by['/healthz']['rps'])} "
                             f"({pct(by[route].get('vs_healthz'))} of it)"])
    for s in suite.get("steps", []):
        if s["status"] != "ok":
            rows.append([f"{s['name']}", "not run", (s.get("error") or "").strip()
                         .splitlines()[-1][:80] if s.get("error") else "failed"])
    return rows


def headline_md(suite: dict[str, Any], image_prefix: str) -> str:
    kind = "a quick run (`make bench-quick`)" if suite.get("quick") else "`make bench`"
    m = suite.get("machine", {})
    text = (f"Measured {suite.get('when', '?')[:10]} by {kind} on {m.get('cpus', '?')} CPUs, "
            f"Python {m.get('python', '?')}; every peer in the same run on the same data. "
            "Details: [docs/benchmarks.md](docs/benchmarks.md).\n\n")
    text += md_table(["", "Morgue", "peers"], headline_rows(suite))
    if (suite.get("results") or {}).get("latency"):
        text += (f"\n\n![Search latency vs corpus size]({image_prefix}latency_vs_size.png)")
    return text


# -- plots --------------------------------------------------------------------------------


def plots(suite: dict[str, Any], out: Path) -> list[Path]:
    try:
        import matplotlib
    except ImportError:
        print("matplotlib not installed: no plots (pip install '.[bench]')", file=sys.stderr)
        return []
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    R = suite.get("results", {})
    written: list[Path] = []

    def save(fig: Any, name: str) -> None:
        fig.tight_layout()
        path = out / name
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)

    if "latency" in R:
        fig, ax = plt.subplots(figsize=(6.4, 4))
        engines: dict[str, list[dict]] = {}
        for r in R["latency"]["rows"]:
            engines.setdefault(r["engine"], []).append(r)
        for name, rs in engines.items():
            rs.sort(key=lambda r: r["size"])
            xs = [r["size"] for r in rs]
            ys = [r["p50_ms"] for r in rs]
            lo = [max(0.0, y - min(r.get("round_p50_ms") or [y])) for y, r in zip(ys, rs)]
            hi = [max(0.0, max(r.get("round_p50_ms") or [y]) - y) for y, r in zip(ys, rs)]
            ax.errorbar(xs, ys, yerr=[lo, hi], marker="o", capsize=3, label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("articles in the index")
        ax.set_ylabel("p50 query latency, ms (log)")
        ax.set_title("Search latency vs corpus size")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        save(fig, "latency_vs_size.png")

    if "indexing" in R:
        fig, ax = plt.subplots(figsize=(6.4, 4))
        lines: dict[str, list[dict]] = {}
        for r in R["indexing"]["rows"]:
            if r.get("kind", "fresh") != "fresh":
                continue
            label = "Morgue" if r["pipeline"].startswith("morgue") else "trafilatura + SQLite FTS5"
            lines.setdefault(label, []).append(r)
        for label, rs in lines.items():
            rs.sort(key=lambda r: r.get("jobs", 2))
            xs = [r.get("jobs", 2) for r in rs]
            ys = [r["pages_per_s"] for r in rs]
            runs = [r.get("runs_pages_per_s") or [r["pages_per_s"]] for r in rs]
            ax.errorbar(xs, ys, yerr=[[y - min(v) for y, v in zip(ys, runs)],
                                      [max(v) - y for y, v in zip(ys, runs)]],
                        marker="o", capsize=3, label=label)
        ax.set_xticks(sorted({r.get("jobs", 2) for rs in lines.values() for r in rs}))
        ax.set_xlabel("worker processes (jobs)")
        ax.set_ylabel("pages/s")
        ax.set_ylim(bottom=0)
        ax.set_title(f"Indexing throughput vs jobs ({R['indexing']['pages']:,} pages)")
        ax.grid(True, alpha=0.3)
        ax.legend()
        save(fig, "indexing_vs_jobs.png")

    if "extraction" in R:
        m = R["extraction"]["metrics"]
        keys = [("l3s_body_f1", "L3S-GN1 body F1"), ("l3s_headline_exact", "L3S headline"),
                ("te_with_found", "t-eval with"), ("te_without_absent", "t-eval without")]
        fig, ax = plt.subplots(figsize=(6.4, 4))
        names = list(m)
        width = 0.8 / max(1, len(names))
        for i, n in enumerate(names):
            xs = [k + i * width for k in range(len(keys))]
            ax.bar(xs, [m[n].get(k) or 0 for k, _ in keys], width, label=n)
        ax.set_xticks([k + width * (len(names) - 1) / 2 for k in range(len(keys))])
        ax.set_xticklabels([lbl for _, lbl in keys])
        ax.set_ylim(0, 1)
        ax.set_ylabel("score")
        ax.set_title("Extraction quality per engine")
        ax.legend(loc="lower right")
        ax.grid(True, axis="y", alpha=0.3)
        save(fig, "extraction_f1.png")

    if "web_load" in R:
        rows = R["web_load"]["rows"]
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
        ys = [r["rps"] for r in rows]
        err = [[r["rps"] - r.get("rps_min", r["rps"]) for r in rows],
               [r.get("rps_max", r["rps"]) - r["rps"] for r in rows]]
        ax.bar([r["route"] for r in rows], ys, yerr=err, capsize=3,
               color=["#999999"] + ["#1f77b4"] * (len(rows) - 1))
        ax.set_yscale("log")
        ax.set_ylabel("requests/s (log)")
        ax.set_title("Web throughput per route")
        ax.grid(True, axis="y", which="both", alpha=0.3)
        save(fig, "web_throughput.png")
    return written


# -- documents ----------------------------------------------------------------------------


#: Markers of a hand-kept part of docs/benchmarks.md (the extraction variants tried, with the
#: command that measured them): kept as it is when the file is rendered again.
KEPT_START, KEPT_END = "<!-- kept:start -->", "<!-- kept:end -->"


def kept_text(md: Path) -> str:
    """The hand-kept block of an existing docs/benchmarks.md, markers included ("" if none)."""
    if not md.exists():
        return ""
    text = md.read_text(encoding="utf-8")
    i, j = text.find(KEPT_START), text.find(KEPT_END)
    return text[i: j + len(KEPT_END)] if 0 <= i < j else ""


def report_md(suite: dict[str, Any], pictures: list[Path], kept: str = "") -> str:
    m = suite.get("machine", {})
    kind = ("a quick run (`make bench-quick` / `python -m bench.run_all --quick`): small "
            "inputs, for checking the scripts, not for quoting" if suite.get("quick")
            else "`make bench` (`python -m bench.run_all`)")
    out = [
        "# Benchmarks",
        "",
        "<!-- generated by bench/report.py from bench/results/; do not edit by hand -->",
        "",
        f"Measured {suite.get('when', '?')} by {kind}, on {m.get('platform', '?')} "
        f"({m.get('cpus', '?')} CPUs, Python {m.get('python', '?')}). Each benchmark runs "
        "Morgue and its peers in the same process tree, in the same run, on the same data, so "
        "the ratios hold on a noisy machine; figures measured several times are medians with "
        "their (min–max). The data (`../shared/data`) is third-party: see its README.",
        "",
        "## Headline",
        "",
        md_table(["", "Morgue", "peers"], headline_rows(suite)),
        "",
    ]
    names = {p.name for p in pictures}
    pics = {"latency": "latency_vs_size.png", "indexing": "indexing_vs_jobs.png",
            "extraction": "extraction_f1.png", "web_load": "web_throughput.png"}
    R = suite.get("results", {})
    steps = {s["name"]: s for s in suite.get("steps", [])}
    for key, title, fn in SECTIONS:
        if key not in R and key not in steps:
            continue
        out += [f"## {title}", ""]
        if key in R:
            try:
                out.append(fn(R[key]))
            except (KeyError, TypeError, ValueError) as exc:
                out.append(f"(could not render: {type(exc).__name__}: {exc})")
            if pics.get(key) in names:
                out += ["", f"![{title}]({PLOTS}/{pics[key]})"]
            if key == "indexing":
                out += large_indexing_md()
            if key == "extraction" and kept:
                out += ["", kept]
        else:
            err = (steps[key].get("error") or "").strip()
            out.append("Not run: the benchmark failed.\n\n```\n" + err[-1500:] + "\n```")
        out.append("")
    if steps:
        out += ["## Runs", "", md_table(
            ["benchmark", "command", "status", "seconds"],
            [[s["name"], "`python " + " ".join(a for a in s["cmd"] if "/tmp" not in a
                                               and not a.startswith("--json")) + "`",
              s["status"], num(s["seconds"])] for s in suite["steps"]]), ""]
    return "\n".join(out)


def update_readme(readme: Path, snippet: str) -> bool:
    """Replace the text between the bench markers; False when the markers are absent."""
    if not readme.exists():
        return False
    text = readme.read_text(encoding="utf-8")
    i, j = text.find(START), text.find(END)
    if i < 0 or j < i:
        return False
    new = text[: i + len(START)] + "\n" + snippet.strip() + "\n" + text[j:]
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return True


#: Hand-kept sections appended to docs/benchmarks.md (figures measured outside `make bench`).
MEASURED = BENCH / "measured.md"


def render_all(suite: dict[str, Any], docs: Path, readme: Path | None,
               table_file: Path | None = None) -> list[Path]:
    docs.mkdir(parents=True, exist_ok=True)
    pictures = plots(suite, docs / PLOTS)
    md = docs / "benchmarks.md"
    text = report_md(suite, pictures, kept_text(md)) + "\n"
    if MEASURED.exists():  # hand-written sections: one-off runs and figures behind design choices
        text += "\n" + MEASURED.read_text(encoding="utf-8")
    md.write_text(text, encoding="utf-8")
    written = [md, *pictures]
    # The README lives one level above docs/: its picture paths start with docs/.
    snippet = headline_md(suite, f"{docs.name}/{PLOTS}/")
    table_file = table_file or BENCH / "README_TABLE.md"
    table_file.write_text(snippet + "\n", encoding="utf-8")
    written.append(table_file)
    if readme is not None:
        if update_readme(readme, snippet):
            written.append(readme)
        else:
            print(f"{readme}: no {START} ... {END} block; paste {table_file} by hand",
                  file=sys.stderr)
    return written


def latest_suite() -> Path | None:
    found = sorted((p for p in RESULTS.glob("*.json") if SUITE_NAME.match(p.name)),
                   key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results", nargs="?", default=None, help="suite JSON (default: the newest)")
    ap.add_argument("--docs", default=str(BENCH.parent / "docs"))
    ap.add_argument("--readme", default=str(BENCH.parent / "README.md"))
    ap.add_argument("--no-readme", action="store_true")
    ap.add_argument("--table", default=None, help="headline snippet (default bench/README_TABLE.md)")
    args = ap.parse_args(argv)
    path = Path(args.results) if args.results else latest_suite()
    if path is None or not path.exists():
        print("no suite results: run `python -m bench.run_all` first", file=sys.stderr)
        return 2
    suite = json.loads(path.read_text(encoding="utf-8"))
    written = render_all(suite, Path(args.docs), None if args.no_readme else Path(args.readme),
                         Path(args.table) if args.table else None)
    for p in written:
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
