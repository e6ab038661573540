% rebase('base.tpl', title=title, q=q)
% paragraphs = article.paragraphs_html
% kicker = [k for k in (article.section, article.source) if k]
<div class="article-layout">
<article class="story" aria-labelledby="story-headline"{{!(' lang="%s"' % escape(article.lang)) if article.lang else ''}}>
% if back:
  <p class="back"><a href="{{back}}">← Back to results for <q>{{q}}</q></a></p>
% end
% if kicker:
  <p class="kicker">{{' · '.join(kicker)}}</p>
% end
% if article.headline_html:
  <h1 id="story-headline">{{!article.headline_html}}</h1>
% else:
  <h1 id="story-headline">{{article.headline or 'Untitled article'}}</h1>
% end
% if article.standfirst_html:
  <p class="standfirst">{{!article.standfirst_html}}</p>
% elif article.standfirst:
  <p class="standfirst">{{article.standfirst}}</p>
% end
  <p class="meta">
% if article.byline:
    <span class="byline">By {{', '.join(article.byline)}}</span>
% end
% if article.published:
    <time datetime="{{article.published}}">{{fmt_date(article.published)}}</time>
% end
% if article.modified and article.modified[:10] != (article.published or '')[:10]:
    <span class="updated">Updated <time datetime="{{article.modified}}">{{fmt_date(article.modified)}}</time></span>
% end
% if article.url:
    <a class="original" href="{{article.url}}" rel="noopener noreferrer nofollow">Read the original<span aria-hidden="true"> ↗</span></a>
% end
  </p>
% captions = article.captions_html or []
% for i, cap in enumerate(article.captions or []):
%   if not cap.get('text') and cap.get('credit'):
  <figure class="caption credit-only"><figcaption><span class="credit">Photo credit: {{cap['credit']}}</span> <span class="no-caption">(no caption)</span></figcaption></figure>
%   elif i < len(captions):
  <figure class="caption"><figcaption>{{!captions[i]}}</figcaption></figure>
%   else:
  <figure class="caption"><figcaption>{{cap.get('text') or ''}}{{(' (' + cap['credit'] + ')') if cap.get('credit') else ''}}</figcaption></figure>
%   end
% end
  <div class="body">
% if paragraphs:
%   for p in paragraphs:
    <p>{{!p}}</p>
%   end
% else:
%   for p in (article.body or '').split('\n\n'):
%     if p.strip():
    <p>{{p.strip()}}</p>
%     end
%   end
% end
  </div>
% if article.tags:
  <ul class="tags" aria-label="Tags">
%   for tag in article.tags:
    <li>{{tag}}</li>
%   end
  </ul>
% end
</article>
% if similar:
<aside class="similar" aria-labelledby="similar-heading">
  <h2 id="similar-heading">More like this</h2>
  <ul>
% for h in similar:
    <li>
      <a href="{{article_url(h.id, q)}}">{{h.headline or 'Untitled article'}}</a>
      <span class="meta">{{' · '.join(x for x in (h.source, fmt_date(h.published)) if x)}}</span>
    </li>
% end
  </ul>
</aside>
% end
</div>
