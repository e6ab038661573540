"""docs/cli.md is what the click commands say, every option is explained, and the examples
in `morgue ... --help` run."""

from __future__ import annotations

import glob
import importlib.util
import shlex

import click
import pytest
from click.testing import CliRunner

from conftest import ROOT
from morgue.cli import main


def _reference():
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "docs" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_up_to_date():
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == _reference().render(), "docs/cli.md is out of date: run `make docs`"


def test_the_reference_covers_every_command_and_option():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, cmd in main.commands.items():
        assert f"## `morgue {name}`" in text
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert f"{opt}" in text, (name, opt)


def test_every_option_has_help_text():
    missing = [f"{name} {p.opts[0]}" for name, cmd in main.commands.items() for p in cmd.params
               if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert missing == []


def _examples(name: str) -> list[list[str]]:
    """The `morgue NAME ...` lines of a command's help (its Examples block)."""
    out = []
    for line in (main.commands[name].help or "").splitlines():
        line = line.split("  #")[0].strip()
        if line.startswith(f"morgue {name}"):
            out.append(shlex.split(line)[1:])
    return out


def test_example_paths_in_the_help_are_real_files():
    for name in main.commands:
        for args in _examples(name):
            for arg in args:
                if arg.startswith("corpus/"):
                    assert glob.glob(str(ROOT / arg)), f"`morgue {name}` example: {arg} matches no file"


@pytest.mark.parametrize("name", ["search", "extract"])
def test_help_examples_run_on_the_bundled_corpus(corpus_archive, name, monkeypatch):
    monkeypatch.chdir(ROOT)
    examples = _examples(name)
    assert examples
    for args in examples:
        expanded = [m for a in args for m in (sorted(glob.glob(a)) if "*" in a else [a])]
        res = CliRunner().invoke(main, expanded, env={"MORGUE_INDEX": str(corpus_archive.path)})
        assert res.exit_code == 0, (args, res.output)
        assert res.output.strip(), args


def test_a_too_long_query_names_the_query_argument(corpus_archive):
    from morgue.search.request import MAX_QUERY_LENGTH

    res = CliRunner().invoke(main, ["search", "--index", str(corpus_archive.path),
                                    "a" * (MAX_QUERY_LENGTH + 1)])
    assert res.exit_code == 2
    assert f"Invalid value for 'QUERY': must be at most {MAX_QUERY_LENGTH} characters" in res.output
    assert "--q" not in res.output


def test_from_after_to_is_refused_naming_to_in_the_cli_and_the_api(corpus_archive):
    import webtest

    from morgue.web.app import make_app

    res = CliRunner().invoke(main, ["search", "--index", str(corpus_archive.path), "--from", "2022",
                                    "--to", "2021", "flood"])
    assert res.exit_code == 2 and "--to" in res.output and "must not be before" in res.output
    api = webtest.TestApp(make_app(corpus_archive)).get(
        "/api/search", {"q": "flood", "from": "2022", "to": "2021"}, status=400)
    assert api.json["error"]["parameter"] == "to"
