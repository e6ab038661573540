<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title + " · " if title else ""}}Morgue</title>
<link rel="stylesheet" href="{{url('/static/style.css')}}">
<link rel="icon" type="image/svg+xml" href="{{url('/static/favicon.svg')}}">
<link rel="search" type="application/opensearchdescription+xml" title="Morgue archive" href="{{url('/opensearch.xml')}}">
<script src="{{url('/static/app.js')}}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="masthead">
  <div class="masthead-inner">
    <a class="brand" href="{{url('/')}}">Morgue<span class="brand-sub">news archive</span></a>
% if not get('hide_header_search', False):
    <form class="header-search" role="search" action="{{url('/search')}}" method="get">
      <label for="header-q" class="visually-hidden">Search the archive</label>
      <input id="header-q" name="q" type="search" value="{{q}}" placeholder="Search the archive" data-shortcut="/">
      <button type="submit">Search</button>
    </form>
% end
  </div>
</header>
<main id="main" tabindex="-1">
{{!base}}
</main>
<footer class="colophon">
  <p>Morgue · <a href="{{url('/docs/api')}}">JSON API</a> · <a href="{{url('/opensearch.xml')}}">Add to your browser</a></p>
</footer>
</body>
</html>
