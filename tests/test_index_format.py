"""An index records its format version; one of another version is refused with a way out."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import paragraphs


@pytest.fixture
def small_index(write_page, index_dir):
    from morgue.indexer.writer import index_paths

    pages = [write_page(f"p{i}", f"Harbour ferry report {i}", paragraphs(f"ferry {i}"),
                        url=f"https://t.test/{i}") for i in range(3)]
    index_paths([str(p) for p in pages], index_dir, jobs=1)
    return index_dir, pages


def test_a_new_index_records_the_current_format(small_index):
    from morgue.indexer.schema import FORMAT_VERSION
    from morgue.indexer.store import FORMAT_FILE, index_format

    index_dir, _ = small_index
    assert index_format(index_dir) == FORMAT_VERSION
    assert json.loads((index_dir / FORMAT_FILE).read_text()) == {"format": FORMAT_VERSION}


def test_an_index_of_another_format_is_refused_with_the_command_to_rebuild(small_index):
    from morgue import Archive
    from morgue.errors import IndexFormatError
    from morgue.indexer.check import check_index
    from morgue.indexer.store import FORMAT_FILE

    index_dir, pages = small_index
    (index_dir / FORMAT_FILE).write_text(json.dumps({"format": 99}))
    with pytest.raises(IndexFormatError) as err:
        Archive(index_dir)
    assert "format 99" in str(err.value)
    assert f"morgue index --force --index {index_dir}" in str(err.value)
    assert err.value.status == 503
    report = check_index(index_dir)
    assert not report.ok and "format 99" in report.problems[0]

    # A plain re-run refuses too (nothing is written into an index it cannot read) ...
    from morgue.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["index", "--index", str(index_dir), *map(str, pages)])
    assert result.exit_code != 0 and "--force" in result.output
    # ... and --force rebuilds it, after which it searches again.
    result = runner.invoke(main, ["index", "--force", "--index", str(index_dir), *map(str, pages)])
    assert result.exit_code == 0, result.output
    assert Archive(index_dir).search("harbour").total == 3


def test_an_unreadable_format_record_is_refused_by_name(small_index):
    from morgue import Archive
    from morgue.errors import IndexFormatError
    from morgue.indexer.store import FORMAT_FILE

    index_dir, _ = small_index
    (index_dir / FORMAT_FILE).write_text("not json")
    with pytest.raises(IndexFormatError, match=FORMAT_FILE):
        Archive(index_dir)


def test_an_index_from_before_format_records_reads_as_format_1_and_gets_its_record(small_index):
    # Format 1 is the layout Morgue wrote before it recorded versions.
    from morgue import Archive
    from morgue.indexer.schema import FORMAT_VERSION
    from morgue.indexer.store import FORMAT_FILE, index_format
    from morgue.indexer.writer import index_paths

    index_dir, pages = small_index
    (index_dir / FORMAT_FILE).unlink()
    if FORMAT_VERSION == 1:
        assert Archive(index_dir).search("harbour").total == 3
        assert index_format(index_dir) is None  # reading writes nothing
        index_paths([str(p) for p in pages], index_dir, jobs=1)
        assert index_format(index_dir) == 1
    else:
        with pytest.raises(Exception, match="format 1"):
            Archive(index_dir)
