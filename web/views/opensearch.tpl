<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/" xmlns:moz="http://www.mozilla.org/2006/browser/search/">
  <ShortName>Morgue</ShortName>
  <Description>Search the Morgue news archive</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <OutputEncoding>UTF-8</OutputEncoding>
  <Image width="16" height="16" type="image/svg+xml">{{origin}}{{base}}/static/favicon.svg</Image>
  <Url type="text/html" method="get" template="{{origin}}{{base}}/search?q={searchTerms}"/>
  <Url type="application/json" method="get" template="{{origin}}{{base}}/api/search?q={searchTerms}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="{{origin}}{{base}}/opensearch.xml"/>
  <moz:SearchForm>{{origin}}{{base}}/</moz:SearchForm>
</OpenSearchDescription>
