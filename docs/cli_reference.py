"""Write docs/cli.md, the reference of the `morgue` command, from the click commands themselves.

    python docs/cli_reference.py          # or: make docs

Every command, argument and option comes from `morgue.cli.main`, with the help text,
default and allowed range click shows in `--help`; tests/test_docs_cli.py fails when
docs/cli.md differs from what this renders, so the reference cannot drift from the code.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import click

OUT = Path(__file__).resolve().parent / "cli.md"


def _help_markdown(text: str) -> str:
    """A click docstring as Markdown: `\\b` paragraphs (kept as written) become code blocks."""
    out = []
    for para in inspect.cleandoc(text or "").split("\n\n"):
        if para.startswith("\b"):
            lines = para.split("\n")[1:]
            title = [l for l in lines if l and not l.startswith(" ")]
            body = [l for l in lines if l.startswith(" ") or not l]
            out += [t for t in title] + ["", "```", *[l[4:] if l.startswith("    ") else l for l in body],
                                         "```"]
        else:
            out.append(" ".join(para.split()))
        out.append("")
    return "\n".join(out).strip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _command(name: str, cmd: click.Command, parent: click.Context) -> list[str]:
    ctx = click.Context(cmd, info_name=name, parent=parent, **cmd.context_settings)
    usage = " ".join(["morgue", name, *cmd.collect_usage_pieces(ctx)])
    lines = [f"## `morgue {name}`", "", "```", usage, "```", "", _help_markdown(cmd.help or "")]
    rows = []
    for param in cmd.get_params(ctx):
        if isinstance(param, click.Argument):
            rows.append((f"`{param.make_metavar(ctx) if _takes_ctx(param) else param.make_metavar()}`",
                         "argument" + (", required" if param.required else "")))
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        opts, help_text = record
        rows.append((f"`{opts}`", help_text))
    lines += ["| Argument or option | Meaning |", "|---|---|"]
    lines += [f"| {_cell(a)} | {_cell(b)} |" for a, b in rows]
    lines.append("")
    return lines


def _takes_ctx(param: click.Parameter) -> bool:
    return "ctx" in inspect.signature(param.make_metavar).parameters


def render() -> str:
    """docs/cli.md as the click commands describe themselves."""
    from morgue.cli import main

    root = click.Context(main, info_name="morgue", **main.context_settings)
    lines = [
        "# The `morgue` command",
        "",
        "<!-- Generated from the click commands in morgue/cli.py by `make docs` "
        "(docs/cli_reference.py); do not edit. tests/test_docs_cli.py fails when it is out of date. -->",
        "",
        _help_markdown(main.help or ""),
        "Every command takes `-h`/`--help`; `morgue --version` prints the version. The index",
        "is `--index DIR`, else `$MORGUE_INDEX`, else `$XDG_DATA_HOME/morgue/index`",
        "(`~/.local/share/morgue/index` when `XDG_DATA_HOME` is unset). Errors are one line on",
        "stderr (`Error: ...`) with exit status 1; a malformed option is exit status 2.",
        "",
        "| Command | What it does |",
        "|---|---|",
    ]
    commands = main.commands
    for name, cmd in commands.items():
        lines.append(f"| [`morgue {name}`](#morgue-{name}) | {_cell(cmd.get_short_help_str(200))} |")
    lines.append("")
    for name, cmd in commands.items():
        lines += _command(name, cmd, root)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
