% rebase('base.tpl', title=title, q=q)
<section class="facet-page" aria-labelledby="facet-title">
  <p class="back"><a href="{{search_url(sp)}}">← Back to results</a></p>
  <h1 id="facet-title">{{label}}: all {{fmt_number(len(values))}} {{'value' if len(values) == 1 else 'values'}}</h1>
  <p>For {{!('<q>%s</q>' % escape(q)) if q else 'the whole archive'}}{{' with the filters chosen' if sp.has_filters else ''}}: {{fmt_number(total)}} {{'story' if total == 1 else 'stories'}}. Choose a value to narrow the results.</p>
  <ul class="facet-all">
% for fv in values:
%   active = fv.value in sp.facet_values(facet)
    <li{{!' class="active"' if active else ''}}><a href="{{search_url(sp.toggled(facet, fv.value))}}"{{!' aria-current="true"' if active else ''}}><span class="value">{{fv.value}}</span> <span class="count">{{fmt_number(fv.count)}}</span></a></li>
% end
  </ul>
</section>
