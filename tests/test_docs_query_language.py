"""Every example of docs/query-language.md, run against the bundled corpus (tests/docs_examples.py)."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from conftest import ROOT
from morgue.cli import main
from tests.docs_examples import backticked, console_examples, output_matches, table_rows

DOC = ROOT / "docs" / "query-language.md"
ROWS = table_rows(DOC, "you type")
EXAMPLES = [(q, int(n)) for row in ROWS
            for q, n in zip(backticked(row[0]), re.findall(r"\d+", row[2]), strict=True)]


def test_the_table_was_read():
    assert len(ROWS) > 15 and len(EXAMPLES) > 35
    for row in ROWS:  # one count per example
        assert len(backticked(row[0])) == len(re.findall(r"\d+", row[2])), row


@pytest.mark.parametrize("query, total", EXAMPLES, ids=[q for q, _ in EXAMPLES])
def test_each_table_example_finds_what_the_doc_says(corpus_archive, query, total):
    results = corpus_archive.search(query, page_size=100)
    assert results.notice is None, results.notice  # read as written
    assert results.total == total
    assert len(results.hits) == total  # and the hits are there, not just the count


def test_every_field_name_in_the_doc_is_one_the_parser_knows():
    from morgue.search.querylang import FIELD_ALIASES

    rows = table_rows(DOC, "field")
    named = {f.rstrip(":") for row in rows for f in backticked(row[0])}
    assert named - {"date"} == set(FIELD_ALIASES)  # all of them, and no other


CONSOLE = console_examples(DOC)


@pytest.mark.parametrize("example", CONSOLE, ids=[e.command for e in CONSOLE])
def test_console_examples_print_what_the_doc_shows(corpus_archive, example):
    args = shlex.split(example.command)
    assert args[0] == "morgue"
    res = CliRunner().invoke(main, args[1:], env={"MORGUE_INDEX": str(corpus_archive.path)})
    refused = any(line.startswith("Error:") for line in example.output)
    assert (res.exit_code == 2) if refused else (res.exit_code == 0), (res.exit_code, res.output)
    assert output_matches(example.output, res.output), res.output
