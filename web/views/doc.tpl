% rebase('base.tpl', title=title, q=q)
<article class="doc" aria-label="{{title}}">
  <p class="doc-links">The machine-readable description of every endpoint: <a href="{{url('/api/openapi.json')}}">OpenAPI document (JSON)</a>.</p>
  {{!body}}
</article>
