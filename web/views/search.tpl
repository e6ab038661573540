% rebase('base.tpl', title=title, q=q, hide_header_search=True)
% dates_from = sp.date_from if sp else get('raw_from', '')
% dates_to = sp.date_to if sp else get('raw_to', '')
<form class="search" role="search" action="{{url('/search')}}" method="get">
  <div class="search-row">
    <label for="q" class="visually-hidden">Search the archive</label>
    <input id="q" name="q" type="search" value="{{q}}" placeholder="Search the archive" data-shortcut="/"{{!' aria-invalid="true" aria-describedby="search-error"' if error_parameter == 'q' else ''}}>
    <button type="submit">Search</button>
  </div>
  <details class="dates"{{!' open' if (dates_from or dates_to or error_parameter in ('from', 'to')) else ''}}>
    <summary>Dates</summary>
    <div class="date-row">
      <label for="from">From</label>
      <input id="from" name="from" type="text" value="{{dates_from or ''}}" inputmode="numeric" size="10" maxlength="10" placeholder="YYYY-MM-DD" pattern="[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?" aria-describedby="date-hint"{{!' aria-invalid="true"' if error_parameter == 'from' else ''}}>
      <label for="to">To</label>
      <input id="to" name="to" type="text" value="{{dates_to or ''}}" inputmode="numeric" size="10" maxlength="10" placeholder="YYYY-MM-DD" pattern="[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?" aria-describedby="date-hint"{{!' aria-invalid="true"' if error_parameter == 'to' else ''}}>
      <button type="submit" class="secondary">Apply</button>
    </div>
    <p id="date-hint" class="hint">A year (2021), a month (2021-06) or a day (2021-06-30).</p>
  </details>
% if sp:
%   if sp.explicit_sort:
  <input type="hidden" name="sort" value="{{sp.sort}}">
%   end
%   for name in facet_params:
%     for value in sp.facet_values(name):
  <input type="hidden" name="{{name}}" value="{{value}}">
%     end
%   end
%   if sp.page_size != 10:
  <input type="hidden" name="page_size" value="{{sp.page_size}}">
%   end
% end
</form>

% if error:
<div class="alert" role="alert" id="search-error">
  <p><strong>That search could not be run.</strong> {{error}}</p>
</div>
% end

% if results is not None:
<div class="layout">
  <section class="results" aria-labelledby="results-heading">
    <div class="summary">
      <h1 id="results-heading">
% if q:
        {{fmt_number(results.total)}} {{'result' if results.total == 1 else 'results'}} for <q>{{q}}</q>
% elif is_home:
        The archive: {{fmt_number(results.total)}} {{'story' if results.total == 1 else 'stories'}}
% else:
        {{fmt_number(results.total)}} {{'article' if results.total == 1 else 'articles'}}
% end
      </h1>
% if is_home and stored is not None and stored != results.total:
      <p class="stored">{{fmt_number(stored)}} stored articles: copies of one wire story count once among the stories.</p>
% end
      <p class="took">in {{'%.0f' % results.took_ms if results.took_ms >= 1 else '<1'}} ms</p>
% if results.total and get('export_url'):
      <p class="download"><a href="{{export_url}}" download>Download all {{fmt_number(results.total)}} {{'result' if results.total == 1 else 'results'}} (CSV)</a></p>
% end
    </div>
% if results.total:
    <a class="jump-refine" href="#refine">Filter by date, section, source ↓</a>
    <nav class="sort" aria-label="Sort order">
      <span class="sort-label">Sort:</span>
% for key, label in sort_labels.items():
%   if key == results.sort:
      <a href="{{search_url(sp.with_(sort=key))}}" aria-current="true" class="current">{{label}}</a>
%   else:
      <a href="{{search_url(sp.with_(sort=key))}}">{{label}}</a>
%   end
% end
    </nav>
% end
% if sp.has_filters:
    <div class="active-filters" aria-label="Active filters" role="group">
      <span class="filters-label">Filtered by:</span>
% if sp.date_from or sp.date_to:
      <a class="chip" href="{{search_url(sp.with_(date_from=None, date_to=None))}}"><span>Dates: {{sp.date_from or '…'}} – {{sp.date_to or '…'}}</span> <span aria-hidden="true">×</span><span class="visually-hidden">(remove)</span></a>
% end
% for name in facet_params:
%   for value in sp.facet_values(name):
      <a class="chip" href="{{search_url(sp.toggled(name, value))}}"><span>{{facet_labels[name]}}: {{value}}</span> <span aria-hidden="true">×</span><span class="visually-hidden">(remove)</span></a>
%   end
% end
      <a class="clear" href="{{search_url(sp.cleared())}}">Clear all</a>
    </div>
% end
% if results.suggestion:
    <p class="suggestion">Did you mean <a href="{{search_url(sp.with_(q=results.suggestion))}}">{{results.suggestion}}</a>?</p>
% end
% if shortened:
    <p class="notice" role="status">{{shortened}}</p>
% end
% if results.notice:
    <p class="notice" role="status">{{results.notice[:1].upper() + results.notice[1:]}}</p>
% end
% if results.partial:
    <p class="notice" role="status">This search took too long and was stopped early, so some matches may be missing. Try a more specific query.</p>
% end
% if not results.hits:
    <div class="empty">
% if results.total and results.page > 1:
      <h2>No more results</h2>
      <p>There are only {{results.pages}} {{'page' if results.pages == 1 else 'pages'}} of results. <a href="{{search_url(sp.with_())}}">Back to the first page</a>.</p>
% else:
      <h2>Nothing found</h2>
      <p>No article in the archive matches {{!'<q>' if q else ''}}{{q or 'this search'}}{{!'</q>' if q else ''}}{{' with these filters' if sp.has_filters else ''}}.</p>
      <ul>
%   if sp.has_filters:
        <li><a href="{{search_url(sp.cleared())}}">Search again without the filters</a></li>
%   end
        <li>Check the spelling, or try fewer or more general words.</li>
        <li>Use quotes for an exact phrase: <code>"climate summit"</code>.</li>
      </ul>
% end
    </div>
% else:
    <ol class="hits" start="{{(results.page - 1) * results.page_size + 1}}">
% for h in results.hits:
      <li class="hit">
        <h2 class="headline"><a href="{{article_url(h.id, sp)}}">{{!h.headline_html or 'Untitled article'}}</a></h2>
        <p class="meta">
% meta = [m for m in (h.source, ', '.join(h.byline or [])) if m]
% for part in meta:
          <span>{{part}}</span> ·
% end
% if h.published:
          <time datetime="{{h.published}}">{{fmt_date(h.published)}}</time>
% end
% if h.section:
          · <span class="section">{{h.section}}</span>
% end
% if h.url:
          <a class="original" href="{{h.url}}" rel="noopener noreferrer nofollow">original<span aria-hidden="true"> ↗</span><span class="visually-hidden"> (opens the page where it was first published)</span></a>
% end
        </p>
% if h.snippet_html and not h.caption_html:
        <p class="snippet">{{!h.snippet_html}}</p>
% end
% if h.caption_html:
        <p class="caption-match"><span class="label">Photo caption:</span> {{!h.caption_html}}</p>
% end
% if h.copies:
        <details class="copies">
          <summary>+{{h.copies}} {{'copy' if h.copies == 1 else 'copies'}}</summary>
          <p>The same wire story was also published as:</p>
          <ul>
% for n, copy_id in enumerate(h.copy_ids or [], 1):
            <li><a href="{{article_url(copy_id, sp)}}">{{copies.get(copy_id) or 'Copy %d' % n}}</a></li>
% end
          </ul>
        </details>
% end
      </li>
% end
    </ol>
% if results.pages > 1:
    <nav class="pager" aria-label="Result pages">
% if results.page > 1:
      <a rel="prev" href="{{search_url(sp.with_(page=results.page - 1))}}">← Previous</a>
% end
% for n in pages:
%   if n is None:
      <span class="gap">…</span>
%   elif n == results.page:
      <a aria-current="page" class="current" href="{{search_url(sp.with_(page=n))}}">{{n}}</a>
%   else:
      <a href="{{search_url(sp.with_(page=n))}}">{{n}}</a>
%   end
% end
% if results.page < min(results.pages, 1000):
      <a rel="next" href="{{search_url(sp.with_(page=results.page + 1))}}">Next →</a>
% end
    </nav>
% end
% end
  </section>

  <aside class="refine" id="refine" aria-label="Refine the results">
% if histogram:
    <section class="panel">
      <h2>{{'By month' if results.interval == 'month' else 'By year'}}</h2>
      {{!histogram}}
      <p class="hint">Choose a bar to narrow the dates.</p>
    </section>
% end
% for name in facet_params:
%   values = (results.facets or {}).get(name) or []
%   if values:
    <section class="panel facet" aria-labelledby="facet-{{name}}">
      <h2 id="facet-{{name}}">{{facet_labels[name]}}</h2>
      <ul>
%     for fv in values:
%       active = fv.value in sp.facet_values(name)
        <li{{!' class="active"' if active else ''}}><a href="{{search_url(sp.toggled(name, fv.value))}}"{{!' aria-current="true"' if active else ''}}><span class="value">{{fv.value}}</span> <span class="count">{{fmt_number(fv.count)}}</span>{{!'<span class="visually-hidden"> (selected; choose to remove)</span>' if active else ''}}</a></li>
%     end
      </ul>
%     if len(values) >= 20:
      <p class="more"><a href="{{facet_url(name, sp)}}">All {{facet_labels[name].lower()}}s…</a></p>
%     end
    </section>
%   end
% end
  </aside>
</div>
% end
