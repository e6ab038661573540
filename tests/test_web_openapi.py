"""The OpenAPI document checked against a running server (waitress on a free local port).

Every API response is validated with `jsonschema` against the schema the document gives for
its path, status and content type; every documented bound on a query parameter is tried
just past its limit and must give a 400 naming that parameter.
(schemathesis would do this more thoroughly; it is not installed.)
"""

from __future__ import annotations

import json
import re

import pytest

from tests.web_fixtures import live_server, web_archive, web_index  # noqa: F401
from morgue.web.openapi import spec

jsonschema = pytest.importorskip(
    "jsonschema", reason="jsonschema is not installed (test dependency: it validates API responses against the OpenAPI schemas)"
)
referencing = pytest.importorskip("referencing")

BASE = "urn:morgue-openapi"


@pytest.fixture(scope="module")
def document():
    return spec()


@pytest.fixture(scope="module")
def registry(document):
    from referencing.jsonschema import DRAFT202012

    return referencing.Registry().with_resource(
        BASE, referencing.Resource.from_contents(document, default_specification=DRAFT202012)
    )


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _match(document, path: str) -> str:
    """The document's path template for a concrete path."""
    for template in document["paths"]:
        t_parts, p_parts = template.strip("/").split("/"), path.strip("/").split("/")
        if len(t_parts) == len(p_parts) and all(
            t == p or (t.startswith("{") and t.endswith("}")) for t, p in zip(t_parts, p_parts)
        ):
            return template
    raise AssertionError(f"{path} is not documented")


def validate(document, registry, path: str, status: int, content_type: str, body: bytes):
    template = _match(document, path.split("?")[0])
    responses = document["paths"][template]["get"]["responses"]
    key = str(status) if str(status) in responses else "default"
    assert key in responses, f"{template} does not document status {status}"
    media = content_type.split(";")[0].strip()
    assert media in responses[key]["content"], f"{template} {status} does not document {media}"
    if media != "application/json":
        return
    pointer = _pointer("paths", template, "get", "responses", key, "content", media, "schema")
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"{BASE}#/{pointer}"}, registry=registry, format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(json.loads(body)), key=lambda e: list(e.path))
    assert not errors, f"{path} ({status}): " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]
    )


def test_document_is_well_formed(document):
    assert document["openapi"].startswith("3.1")
    for name, schema in document["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)
    for template, item in document["paths"].items():
        op = item["get"]
        assert op["operationId"] and op["responses"]["200"]
        for param in op.get("parameters", []):
            jsonschema.Draft202012Validator.check_schema(param["schema"])
            if param["in"] == "path":
                assert "{" + param["name"] + "}" in template


def test_served_document_is_this_one(live_server, document):
    status, headers, body = live_server.get("/api/openapi.json")
    assert status == 200 and json.loads(body) == document


def test_result_types_match_the_schemas(document):
    """Every field of the result types is documented (and nothing else): catches drift."""
    import dataclasses

    from morgue.search import results

    names = {"Hit": results.Hit, "FacetValue": results.FacetValue, "DateBucket": results.DateBucket,
             "SearchResults": results.SearchResults, "StoredArticle": results.StoredArticle,
             "ArchiveStats": results.ArchiveStats}  # fmt: skip
    for name, cls in names.items():
        fields = {f.name for f in dataclasses.fields(cls)}
        assert set(document["components"]["schemas"][name]["properties"]) == fields, name


def _requests(archive) -> list[str]:
    first = archive.search("bridge").hits[0].id
    storm = archive.search("storm").hits[0].id
    return [
        "/api/search",
        "/api/search?q=bridge",
        "/api/search?q=bridge&page=2&page_size=5&sort=oldest",
        "/api/search?q=storm",
        "/api/search?q=brdge",
        "/api/search?q=%22bridge",
        # sort=newest: relevance ranking with filters is broken in search/ for now (see test_web.py)
        "/api/search?q=council&from=2020&to=2021-06&section=Politics&section=Sport&source=Valley+Courier&sort=newest",
        "/api/search?byline=Mei+Lin&facets=false",
        "/api/search?q=nothingmatcheszz",
        "/api/search?q=bridge&format=csv",
        "/api/search?q=bridge&format=ndjson",
        "/api/search?page=0",
        "/api/search?page_size=500",
        "/api/search?from=2022-13",
        "/api/search?format=pdf",
        f"/api/articles/{first}",
        f"/api/articles/{first}?q=bridge",
        f"/api/articles/{storm}",
        "/api/articles/0123456789abcdef",
        f"/api/articles/{first}/similar",
        f"/api/articles/{first}/similar?limit=1",
        f"/api/articles/{first}/similar?limit=99",
        "/api/articles/0123456789abcdef/similar",
        "/api/stats",
        "/api/openapi.json",
        "/healthz",
    ]


def test_every_response_matches_its_schema(live_server, web_archive, document, registry):
    for path in _requests(web_archive):
        status, headers, body = live_server.get(path)
        assert status in (200, 400, 404), (path, status)
        validate(document, registry, path, status, headers["Content-Type"], body)


def _violations(schema: dict) -> list[str]:
    """Values just outside what `schema` allows."""
    bad = []
    if schema.get("type") == "integer":
        bad.append("one")
        if "minimum" in schema:
            bad.append(str(schema["minimum"] - 1))
        if "maximum" in schema:
            bad.append(str(schema["maximum"] + 1))
    if schema.get("type") == "boolean":
        bad.append("perhaps")
    if "enum" in schema:
        bad.append("not-" + str(schema["enum"][0]))
    if "pattern" in schema:
        assert re.fullmatch(schema["pattern"].strip("^$"), "2018-6")  # the contract accepts YYYY-M
        bad.extend(["2022-13", "20220", "June"])
    if "maxLength" in schema:
        bad.append("x" * (schema["maxLength"] + 1))
    items = schema.get("items")
    if items and "maxLength" in items:
        bad.append("x" * (items["maxLength"] + 1))
    return bad


def test_documented_bounds_are_enforced(live_server, web_archive, document, registry):
    from urllib.parse import urlencode

    aid = web_archive.search("bridge").hits[0].id
    tried = 0
    for template, item in document["paths"].items():
        path = template.replace("{id}", aid)
        for param in item["get"].get("parameters", []):
            if param["in"] != "query":
                continue
            for value in _violations(param["schema"]):
                url = f"{path}?{urlencode({param['name']: value})}"
                status, headers, body = live_server.get(url)
                assert status == 400, (url, status, body[:200])
                assert json.loads(body)["error"]["parameter"] == param["name"], url
                validate(document, registry, url, status, headers["Content-Type"], body)
                tried += 1
    assert tried >= 20


def test_unknown_routes_and_methods_use_the_error_schema(live_server, registry, document):
    import urllib.error
    import urllib.request

    error = {"$ref": f"{BASE}#/components/schemas/Error"}
    validator = jsonschema.Draft202012Validator(error, registry=registry)
    status, _, body = live_server.get("/api/no/such/thing")
    assert status == 404
    validator.validate(json.loads(body))
    req = urllib.request.Request(live_server.url + "/api/search", data=b"x=1", method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(req, timeout=10)
    assert caught.value.code == 405
    validator.validate(json.loads(caught.value.read()))
