"""The `morgue` command: a thin click layer over `indexer` and `search`.

Every named error (`MorgueError`) becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from morgue import __version__
from morgue.errors import MorgueError
from morgue.search.request import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, SORTS
from morgue.web.server import DEFAULT_THREADS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def index_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`--index DIR`, shared by every command that opens an index."""
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index directory. Default: $MORGUE_INDEX, else $XDG_DATA_HOME/morgue/index "
             "(~/.local/share/morgue/index).",
    )(fn)


def _index_dir(value: Path | None) -> Path:
    from morgue.indexer.store import default_index_dir

    return value if value is not None else default_index_dir()


#: The CLI's own names for the search contract's parameters, where they differ from `--NAME`.
CLI_NAMES = {"q": "QUERY", "page_size": "--limit", "facets": "--no-facets"}


def cli_name(parameter: str | None) -> str | None:
    """How the command line names a contract parameter (`page_size` is `--limit`)."""
    if parameter is None:
        return None
    return CLI_NAMES.get(parameter, "--" + parameter.replace("_", "-"))


class MorgueGroup(click.Group):
    """The `morgue` group: Morgue's named errors become click errors here, for every command.

    An `InvalidParameter` is a usage error naming the command line's own option (exit
    status 2); any other `MorgueError` is `Error: ...` on stderr and exit status 1.
    """

    def invoke(self, ctx: click.Context) -> Any:
        from morgue.errors import InvalidParameter

        try:
            return super().invoke(ctx)
        except InvalidParameter as exc:
            name = cli_name(exc.parameter)
            raise click.BadParameter(exc.detail, param_hint=f"'{name}'" if name else None) from None
        except MorgueError as exc:
            raise click.ClickException(str(exc)) from None


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


@click.group(cls=MorgueGroup, context_settings=CONTEXT)
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

CAPTURED_HELP = ("When the pages were saved (YYYY-MM-DD or an ISO 8601 time): resolves relative "
                 "dates such as '3 hours ago'; no article is dated later. Without it (and without a "
                 "WARC date) such pages are undated; a file's modification time is not used.")


def _capture_time(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """--captured DATE → an aware datetime (click's error names the option)."""
    if value is None:
        return None
    from morgue.indexer.dates import parse_captured

    try:
        return parse_captured(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per page, one per line.")
@click.option("--captured", metavar="DATE", callback=_capture_time, help=CAPTURED_HELP)
def extract(paths: tuple[str, ...], as_json: bool, captured: Any) -> None:
    """Show what the cleaner extracts from article pages.

    PATH may be an .html or .html.gz file, a WARC file (.warc, .warc.gz: every HTML
    response record in it, read with its URL and capture time exactly as `morgue index`
    reads it), or - for one page on standard input. A page that cannot be cleaned prints
    its error, the others go on; the exit status is 1 if any failed.

    \b
    Example:
        morgue extract --json corpus/meridian/2019/02/19/*.html
    """
    from morgue.errors import ExtractionError
    from morgue.indexer.extract import extract as extract_bytes, extract_file
    from morgue.indexer.files import is_warc
    from morgue.indexer.warc import iter_warc_pages

    def pages(path: str) -> Any:
        """(label, article maker, WARC record facts) for each page `path` holds."""
        if path == "-":
            yield "-", lambda: extract_bytes(sys.stdin.buffer.read(), path="-", captured=captured), None
        elif is_warc(path):
            for page in iter_warc_pages(path):
                label = page.label(path)
                record = {"uri": page.uri or None,
                          "date": page.date.isoformat() if page.date else None}
                yield label, (lambda p=page, l=label: extract_bytes(
                    p.data, path=l, **p.extract_arguments(captured))), record
        else:
            yield path, lambda: extract_file(path, captured=captured), None

    failed = False

    def report(label: str, reason: str) -> None:
        if as_json:
            click.echo(json.dumps({"path": label, "error": reason}, ensure_ascii=False))
        else:
            click.echo(f"{label}: error: {reason}", err=True)

    for path in paths:
        try:
            for label, make, record in pages(path):
                try:
                    article = make()
                except ExtractionError as exc:
                    failed = True
                    report(label, str(exc))
                    continue
                article.path = label
                if as_json:
                    data = article.to_dict()
                    if record is not None:
                        data["warc_record"] = record
                    click.echo(json.dumps(data, ensure_ascii=False))
                else:
                    click.echo(_readable_article(article))
        except (MorgueError, OSError) as exc:
            failed = True
            report(path, exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc))
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
        f"published {article.published} ({article.published_from})" if article.published else "undated",
        f"modified {article.modified} ({article.modified_from})" if article.modified else "",
        article.lang or "",
    ]
    lines.append(" | ".join(m for m in meta if m))
    if article.url:
        lines.append(article.url)
    if getattr(article, "kind", "article") != "article":
        lines.append(f"[not an article: {article.kind}] {article.kind_reason}")
    for c in article.captions:
        if not c.text:  # a photo credited with no caption text
            lines.append(f"[caption] (credit only) ({c.credit})")
            continue
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
@click.option("--captured", metavar="DATE", callback=_capture_time, help=CAPTURED_HELP)
@click.option("--all-pages", is_flag=True,
              help="Index every page, also those that are not articles (home pages, section "
                   "fronts, tag/author/archive/search pages, not-found pages).")
@click.option("--shards", type=click.IntRange(1, 1024), default=None,
              help="Create a sharded archive of N Whoosh indexes (new directories only; an existing "
                   "sharded archive keeps its count). Default: one index.")
@scheduler_option
def index(paths: tuple[str, ...], index_dir: Path | None, jobs: int | None, force: bool,
          lock_timeout: float, errors_file: str | None, as_json: bool, captured: Any,
          all_pages: bool, shards: int | None, scheduler: str | None) -> None:
    """Add article pages to the index.

    PATH may be a file, a directory (searched recursively), a glob, a WARC file
    (.warc, .warc.gz: every HTML response in it), or - to read paths from standard
    input. Unchanged files are skipped; changed pages replace their old version; the
    same story saved under two URLs is stored once. Pages that are not articles (listings,
    not-found pages) are skipped and counted, unless --all-pages. Exit status 1 if any
    file failed.

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
                                      lock_timeout=lock_timeout, progress=progress,
                                      captured=captured, all_pages=all_pages)
        else:
            report = index_paths(targets, directory, jobs=jobs, force=force,
                                 lock_timeout=lock_timeout, progress=progress, captured=captured,
                                 all_pages=all_pages, shards=shards)
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
            f"{report.duplicates} duplicates, {len(report.failed)} failed, {report.undated} undated"
            + (f", {len(report.skipped)} skipped: not articles" if report.skipped else "")
            + f" ({report.files} files in {report.seconds:.1f}s, {rate:.0f} files/s) -> {directory}"
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
@click.option("--limit", "-n", metavar="N", default=str(DEFAULT_PAGE_SIZE), show_default=True,
              help=f"Hits per page (1 to {MAX_PAGE_SIZE}).")
@click.option("--page", metavar="N", default="1", show_default=True,
              help=f"Which page of hits to show, 1 to {MAX_PAGE} (--limit hits a page).")
@click.option("--from", "date_from", metavar="DATE", help="Only articles from DATE (YYYY[-MM[-DD]]).")
@click.option("--to", "date_to", metavar="DATE", help="Only articles up to DATE (YYYY[-MM[-DD]]).")
@click.option("--section", multiple=True, help="Only this section (repeat for several).")
@click.option("--source", multiple=True, help="Only this source (repeat for several).")
@click.option("--byline", multiple=True, help="Only this author (repeat for several).")
@click.option("--sort", metavar="ORDER", default=None,
              help=f"Order of the hits: {', '.join(SORTS)} (best match first, or by publication "
                   "date, undated last). Default: relevance, newest without a query.")
@click.option("--no-facets", is_flag=True, help="Leave out facet counts.")
@click.option("--all", "every", is_flag=True,
              help="Every matching article, streamed in the requested order (with --csv, "
                   "--ndjson, or --json: an array of hits).")
@scheduler_option
def search(query: tuple[str, ...], index_dir: Path | None, fmt: str | None, limit: str, page: str,
           date_from: str | None, date_to: str | None, section: tuple[str, ...],
           source: tuple[str, ...], byline: tuple[str, ...], sort: str | None, no_facets: bool,
           every: bool, scheduler: str | None) -> None:
    """Search the archive.

    The query language (see docs/query-language.md): words, "exact phrases",
    AND/OR/NOT, -word, prefix*, word~ (fuzzy), headline:, body:, caption:,
    author:, section:, source:, date:2022, date:[2021-12 TO 2022-01].

    \b
    Examples:
        morgue search drought irrigation
        morgue search '"old mill bridge" date:>2012' --sort newest
        morgue search flood --source "Riverbend Dispatch" --json
        morgue search harbour --from 2019 --to 2019 --all --csv > harbour-2019.csv
    """
    from morgue.search.export import lines
    from morgue.search.request import SearchRequest

    if every and fmt is None:
        raise click.UsageError("--all needs --csv, --ndjson or --json.")
    if every and page != "1":
        raise click.UsageError("--all sends every page; leave out --page.")

    # The command line's syntax translated into the search contract's (text) parameters.
    request = SearchRequest.from_text({
        "q": [" ".join(query)], "page": [page], "page_size": [limit], "sort": [sort or ""],
        "from": [date_from or ""], "to": [date_to or ""], "section": list(section),
        "source": list(source), "byline": list(byline),
        "facets": ["false" if no_facets or fmt not in (None, "json") else "true"],
    })
    archive = _open_archive(index_dir, scheduler=scheduler)
    if every:
        with archive.iter_hits(request.query, sort=request.sort, date_from=request.date_from,
                               date_to=request.date_to, sections=request.sections,
                               sources=request.sources, bylines=request.bylines) as stream:
            for line in lines(stream, fmt):
                click.echo(line, nl=False)
        return
    results = archive.search(request.query, **request.archive_kwargs())
    if fmt == "json":
        click.echo(json.dumps(results.to_dict(), ensure_ascii=False, indent=2))
    elif fmt in ("csv", "ndjson"):
        for line in lines(results.hits, fmt):
            click.echo(line, nl=False)
    else:
        click.echo(_readable_results(results))


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
@click.option("--lock-timeout", type=click.FloatRange(0), default=10.0, show_default=True,
              help="Seconds to wait for another indexing process to finish.")
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
@click.option("--lock-timeout", type=click.FloatRange(0), default=10.0, show_default=True,
              help="Seconds to wait for another indexing process to finish.")
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
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="TCP port to listen on.")
@click.option("--threads", type=click.IntRange(1, 64), default=DEFAULT_THREADS, show_default=True,
              help="Worker threads of the WSGI server.")
@click.option("--cors", is_flag=True, help="Allow browsers on other origins to call /api/*.")
@click.option("--cache-size", type=click.IntRange(0, 100_000), default=256, show_default=True,
              help="Searches whose results are kept until the index changes (0: none).")
@scheduler_option
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
