"""The `morgue` command: a thin click layer over `indexer` and `search`.

Every named error (`MorgueError`) becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from morgue.errors import MorgueError
from morgue import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def index_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`--index DIR`, shared by every command that opens an index."""
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index directory. Default: $MORGUE_INDEX, else ~/.local/share/morgue/index.",
    )(fn)


def _index_dir(value: Path | None) -> Path:
    from morgue.indexer.store import default_index_dir

    return value if value is not None else default_index_dir()


def reports_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn Morgue's named exceptions into `Error: ...` on stderr and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MorgueError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def _open_archive(index_dir: Path | None, **options: Any):
    from morgue.search import Archive

    if not options.get("scheduler"):
        options.pop("scheduler", None)
    return Archive(_index_dir(index_dir), **options)


def scheduler_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`--scheduler ADDRESS` (or $MORGUE_SCHEDULER): run on a Dask cluster (`morgue[cluster]`)."""
    return click.option(
        "--scheduler",
        metavar="ADDRESS",
        envvar="MORGUE_SCHEDULER",
        default=None,
        help="Dask scheduler to run on, e.g. tcp://10.0.0.5:8786 (default: $MORGUE_SCHEDULER; "
             "none: run in this process). Needs `pip install 'morgue[cluster]'`; see docs/scaling.md.",
    )(fn)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="morgue")
def main() -> None:
    """Morgue: full-text search for archives of news articles.

    \b
    Index a folder of saved article pages, then search it:
        morgue index ~/clippings
        morgue search "bridge repairs" --from 2012
        morgue serve            # http://127.0.0.1:8080
    """


# -- extract ------------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per page, one per line.")
def extract(paths: tuple[str, ...], as_json: bool) -> None:
    """Show what the cleaner extracts from article pages.

    PATH may be an .html or .html.gz file, or - for one page on standard input.
    A page that cannot be cleaned prints its error, the others go on; the exit
    status is 1 if any failed.

    \b
    Example:
        morgue extract --json corpus/meridian/2019/04/02/*.html
    """
    from morgue.errors import ExtractionError
    from morgue.indexer.extract import extract as extract_bytes, extract_file

    failed = False
    for path in paths:
        try:
            if path == "-":
                article = extract_bytes(sys.stdin.buffer.read(), path="-")
                article.path = "-"
            else:
                article = extract_file(path)
        except (ExtractionError, OSError) as exc:
            failed = True
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            if as_json:
                click.echo(json.dumps({"path": path, "error": reason}, ensure_ascii=False))
            else:
                click.echo(f"{path}: error: {reason}", err=True)
            continue
        if as_json:
            click.echo(json.dumps(article.to_dict(), ensure_ascii=False))
        else:
            click.echo(_readable_article(article))
    if failed:
        sys.exit(1)


def _readable_article(article: Any) -> str:
    lines = [f"== {article.path}", click.style(article.headline or "(no headline)", bold=True)]
    if article.standfirst:
        lines.append(article.standfirst)
    meta = [
        ", ".join(article.byline),
        article.source or "",
        article.section or "",
        f"published {article.published}" if article.published else "",
        f"modified {article.modified}" if article.modified else "",
        article.lang or "",
    ]
    lines.append(" | ".join(m for m in meta if m))
    if article.url:
        lines.append(article.url)
    for c in article.captions:
        lines.append(f"[caption] {c.text}" + (f" ({c.credit})" if c.credit else ""))
    lines += ["", article.body, ""]
    return "\n".join(lines)


# -- index --------------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@index_option
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
              help="Worker processes that clean pages. Default: the number of cores.")
@click.option("--force", is_flag=True, help="Re-index every file, even unchanged ones.")
@click.option("--lock-timeout", type=click.FloatRange(0), default=10.0, show_default=True,
              help="Seconds to wait for another indexing process to finish.")
@click.option("--errors", "errors_file", type=click.Path(dir_okay=False),
              help="Also write each failed file as a JSON line {path, error} to this file.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--shards", type=click.IntRange(1, 1024), default=None,
              help="Create a sharded archive of N Whoosh indexes (new directories only; an existing "
                   "sharded archive keeps its count). Default: one index.")
@scheduler_option
@reports_errors
def index(paths: tuple[str, ...], index_dir: Path | None, jobs: int | None, force: bool,
          lock_timeout: float, errors_file: str | None, as_json: bool, shards: int | None,
          scheduler: str | None) -> None:
    """Add article pages to the index.

    PATH may be a file, a directory (searched recursively), a glob, a WARC file
    (.warc, .warc.gz: every HTML response in it), or - to read paths from standard
    input. Unchanged files are skipped; changed pages replace their old version; the
    same story saved under two URLs is stored once. Exit status 1 if any file failed.

    \b
    Examples:
        morgue index corpus/
        morgue index --jobs 4 "archive/**/*.html.gz"
        find old-site -name '*.htm' | morgue index -
        morgue index --shards 8 --index /shared/archive /shared/pages
        morgue index --scheduler tcp://10.0.0.5:8786 --index /shared/archive /shared/pages
    """
    from morgue.indexer.writer import index_paths, write_errors

    targets: list[str] = []
    for p in paths:
        if p == "-":
            targets += [line.strip() for line in sys.stdin if line.strip()]
        else:
            targets.append(p)
    directory = _index_dir(index_dir)
    progress, close = _progress_bar(targets)
    try:
        if scheduler:
            from morgue.indexer.cluster import index_on_cluster

            report = index_on_cluster(targets, directory, scheduler, shards=shards, force=force,
                                      lock_timeout=lock_timeout, progress=progress)
        else:
            report = index_paths(targets, directory, jobs=jobs, force=force,
                                 lock_timeout=lock_timeout, progress=progress, shards=shards)
    finally:
        close()
    if errors_file:
        write_errors(report, errors_file)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        rate = report.files / report.seconds if report.seconds else 0
        click.echo(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.duplicates} duplicates, {len(report.failed)} failed "
            f"({report.files} files in {report.seconds:.1f}s, {rate:.0f} files/s) -> {directory}"
        )
        for failure in report.failed:
            click.echo(f"failed: {failure.path}: {failure.reason}", err=True)
    if report.failed:
        sys.exit(1)


def _progress_bar(targets: list[str]) -> tuple[Callable[[str, str], None] | None, Callable[[], None]]:
    """A tqdm bar on a terminal (files/s, ETA); nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    from morgue.indexer.files import expand_paths

    try:
        total = sum(1 for _ in expand_paths(targets))
    except MorgueError:
        total = None
    bar = tqdm(total=total, unit="file", desc="indexing", file=sys.stderr, smoothing=0.1)

    def step(path: str, status: str) -> None:
        if "#" not in path:  # WARC records count with their file
            bar.update(1)

    return step, bar.close


# -- search -------------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.argument("query", nargs=-1)
@index_option
@click.option("--json", "fmt", flag_value="json", help="The JSON of the HTTP API.")
@click.option("--ndjson", "fmt", flag_value="ndjson", help="One JSON hit per line.")
@click.option("--csv", "fmt", flag_value="csv", help="Hits as CSV.")
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Hits per page.")
@click.option("--page", type=click.IntRange(1, 1000), default=1, show_default=True)
@click.option("--from", "date_from", metavar="DATE", help="Only articles from DATE (YYYY[-MM[-DD]]).")
@click.option("--to", "date_to", metavar="DATE", help="Only articles up to DATE (YYYY[-MM[-DD]]).")
@click.option("--section", multiple=True, help="Only this section (repeat for several).")
@click.option("--source", multiple=True, help="Only this source (repeat for several).")
@click.option("--byline", multiple=True, help="Only this author (repeat for several).")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance",
              show_default=True)
@click.option("--no-facets", is_flag=True, help="Leave out facet counts.")
@scheduler_option
@reports_errors
def search(query: tuple[str, ...], index_dir: Path | None, fmt: str | None, limit: int, page: int,
           date_from: str | None, date_to: str | None, section: tuple[str, ...],
           source: tuple[str, ...], byline: tuple[str, ...], sort: str, no_facets: bool,
           scheduler: str | None) -> None:
    """Search the archive.

    The query language (see docs/query-language.md): words, "exact phrases",
    AND/OR/NOT, -word, prefix*, word~ (fuzzy), headline:, body:, caption:,
    author:, section:, source:, date:2022, date:[2021-12 TO 2022-01].

    \b
    Examples:
        morgue search drought irrigation
        morgue search '"old mill bridge" date:>2012' --sort newest
        morgue search flood --source "Riverbend Dispatch" --json
    """
    from morgue.errors import InvalidParameter

    archive = _open_archive(index_dir, scheduler=scheduler)
    try:
        results = archive.search(
            " ".join(query), page=page, page_size=limit, sort=sort, date_from=date_from,
            date_to=date_to, sections=section, sources=source, bylines=byline,
            facets=not no_facets and fmt in (None, "json"),
        )
    except InvalidParameter as exc:
        raise click.BadParameter(exc.message, param_hint=f"--{exc.parameter.replace('_', '-')}")
    if fmt == "json":
        click.echo(json.dumps(results.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "ndjson":
        for hit in results.hits:
            click.echo(json.dumps(hit.to_dict(), ensure_ascii=False))
    elif fmt == "csv":
        click.echo(hits_csv(results.hits), nl=False)
    else:
        click.echo(_readable_results(results))


CSV_COLUMNS = ("id", "published", "headline", "source", "section", "byline", "url", "score",
               "snippet_text", "copies")


def hits_csv(hits: list[Any]) -> str:
    """Hits as CSV text with a header row (shared by the CLI and the web export)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for h in hits:
        writer.writerow([
            h.id, h.published or "", h.headline, h.source or "", h.section or "",
            "; ".join(h.byline), h.url or "", h.score, h.snippet_text, h.copies,
        ])
    return out.getvalue()


def _terminal(snippet_html: str) -> str:
    """Snippet HTML as terminal text: matches in bold, entities decoded."""
    text = re.sub(r"<mark>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True), snippet_html)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _readable_results(results: Any) -> str:
    lines = []
    if results.notice:
        lines.append(f"Note: {results.notice}")
    if results.suggestion:
        lines.append(f"Did you mean: {results.suggestion}")
    shown_from = (results.page - 1) * results.page_size + 1 if results.hits else 0
    lines.append(
        f"{results.total} articles"
        + (f", showing {shown_from}-{shown_from + len(results.hits) - 1}" if results.hits else "")
        + f" ({results.took_ms:.0f} ms{', partial: time limit reached' if results.partial else ''})"
    )
    for hit in results.hits:
        lines.append("")
        lines.append(_terminal(hit.headline_html))
        meta = [hit.published[:10] if hit.published else "undated", hit.source or "",
                ", ".join(hit.byline), hit.section or ""]
        copies = f"  (+{hit.copies} copies)" if hit.copies else ""
        lines.append("  " + " | ".join(m for m in meta if m) + copies)
        if hit.url:
            lines.append(f"  {hit.url}")
        lines.append(f"  id {hit.id}")
        snippet = hit.caption_html or hit.snippet_html
        if snippet:
            lines.append("  " + _terminal(snippet))
    for name, values in results.facets.items():
        if values:
            lines.append("")
            lines.append(f"{name}: " + ", ".join(f"{v.value} ({v.count})" for v in values[:8]))
    if results.histogram:
        lines.append(f"{results.interval}: " + ", ".join(
            f"{b.key} ({b.count})" for b in results.histogram if b.count))
    return "\n".join(lines)


# -- show, delete, stats, optimize --------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.argument("article_id", metavar="ID")
@index_option
@click.option("--json", "as_json", is_flag=True, help="The article as JSON.")
@reports_errors
def show(article_id: str, index_dir: Path | None, as_json: bool) -> None:
    """Print one indexed article by its id.

    \b
    Example:
        morgue show 3f2a9c0d1e4b5a67 --json
    """
    article = _open_archive(index_dir).get(article_id)
    if as_json:
        data = article.to_dict()
        for key in ("headline_html", "standfirst_html", "paragraphs_html", "captions_html"):
            data.pop(key)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(click.style(article.headline, bold=True))
    if article.standfirst:
        click.echo(article.standfirst)
    meta = [article.published or "undated", article.source or "", ", ".join(article.byline),
            article.section or ""]
    click.echo(" | ".join(m for m in meta if m))
    if article.url:
        click.echo(article.url)
    for c in article.captions:
        click.echo(f"[caption] {c['text']}" + (f" ({c['credit']})" if c.get("credit") else ""))
    click.echo("")
    click.echo(article.body)


@main.command(context_settings=CONTEXT)
@click.argument("ids", nargs=-1, metavar="[ID]...")
@index_option
@click.option("--query", "query", help="Delete every article this query matches.")
@click.option("--yes", is_flag=True, help="With --query: do not ask for confirmation.")
@click.option("--lock-timeout", type=click.FloatRange(0), default=10.0, show_default=True)
@reports_errors
def delete(ids: tuple[str, ...], index_dir: Path | None, query: str | None, yes: bool,
           lock_timeout: float) -> None:
    """Remove articles from the index by id, or all those a query matches.

    \b
    Examples:
        morgue delete 3f2a9c0d1e4b5a67
        morgue delete --query 'source:"Valley Courier" date:<2006' --yes
    """
    from morgue.indexer.maintenance import delete_articles

    if not ids and not query:
        raise click.UsageError("give article ids or --query")
    directory = _index_dir(index_dir)
    targets = list(ids)
    if query:
        archive = _open_archive(directory)
        found = archive.search(query, page_size=100, facets=False, collapse_duplicates=False)
        matched = archive.matching_ids(query)
        if not matched:
            click.echo("no article matches the query")
            return
        if not yes:
            click.confirm(f"Delete {len(matched)} articles (e.g. {found.hits[0].headline!r})?",
                          abort=True)
        targets += matched
    removed, missing = delete_articles(directory, targets, lock_timeout=lock_timeout)
    click.echo(f"{removed} deleted")
    if missing:
        raise click.ClickException(f"no article with id {', '.join(missing)}")


@main.command(context_settings=CONTEXT)
@index_option
@click.option("--json", "as_json", is_flag=True, help="The statistics as JSON.")
@reports_errors
def stats(index_dir: Path | None, as_json: bool) -> None:
    """Describe the index: articles, date range, sources, years, size.

    \b
    Example:
        morgue stats --json
    """
    s = _open_archive(index_dir).stats()
    if as_json:
        click.echo(json.dumps(s.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"index:        {s.path}")
    click.echo(f"articles:     {s.articles} ({s.undated} undated)")
    click.echo(f"dates:        {s.earliest or '-'} to {s.latest or '-'}")
    click.echo(f"size:         {s.size_bytes / 1e6:.1f} MB in {s.segments} segments"
               + (f" in {s.shards} shards" if s.shards > 1 else ""))
    click.echo(f"last indexed: {s.last_indexed or '-'}")
    click.echo("sources:      " + ", ".join(f"{v.value} ({v.count})" for v in s.sources))
    click.echo("years:        " + ", ".join(f"{v.value} ({v.count})" for v in s.years))


@main.command(context_settings=CONTEXT)
@index_option
@click.option("--lock-timeout", type=click.FloatRange(0), default=10.0, show_default=True)
@reports_errors
def optimize(index_dir: Path | None, lock_timeout: float) -> None:
    """Merge the index's segments into one, for faster searches.

    \b
    Example:
        morgue optimize --index var/index
    """
    from morgue.indexer.maintenance import optimize_index

    before, after = optimize_index(_index_dir(index_dir), lock_timeout=lock_timeout)
    click.echo(f"{before} segments merged into {after}")


@main.command(context_settings=CONTEXT)
@index_option
@click.option("--json", "as_json", is_flag=True, help="The findings as JSON.")
def check(index_dir: Path | None, as_json: bool) -> None:
    """Verify an index: segments, stored articles, manifest, lock.

    Exit status 1 and one line per problem when something is wrong.

    \b
    Example:
        morgue check --index var/index
    """
    from morgue.indexer.check import check_index

    report = check_index(_index_dir(index_dir))
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.summary())
        for problem in report.problems:
            click.echo(f"problem: {problem}", err=True)
        for note in report.notes:
            click.echo(f"note: {note}")
    if not report.ok:
        sys.exit(1)


# -- serve --------------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@index_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Loopback only by default; use 0.0.0.0 to let other "
                   "machines connect (put a TLS proxy in front).")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Worker threads of the WSGI server.")
@click.option("--cors", is_flag=True, help="Allow browsers on other origins to call /api/*.")
@click.option("--cache-size", type=click.IntRange(0, 100_000), default=256, show_default=True,
              help="Searches whose results are kept until the index changes (0: none).")
@scheduler_option
@reports_errors
def serve(index_dir: Path | None, host: str, port: int, threads: int, cors: bool,
          cache_size: int, scheduler: str | None) -> None:
    """Serve the search page and the JSON API (read-only) with waitress.

    \b
    Examples:
        morgue serve                      # http://127.0.0.1:8080
        morgue serve --port 9000 --cors
        morgue serve --host 0.0.0.0       # reachable from other machines
    """
    from morgue.web.server import serve as run_server

    archive = _open_archive(index_dir, cache_size=cache_size, scheduler=scheduler)
    run_server(archive, host=host, port=port, threads=threads, cors=cors)


if __name__ == "__main__":
    main()
