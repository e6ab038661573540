"""Reading the runnable examples of the docs (docs/*.md), for the tests that run them.

A ```console block holds `$ command` lines, each followed by the output it prints. In the
shown output, a line that is only `…` stands for "more lines follow", and `…` in place of a
number of milliseconds (`(… ms)`) for any number; everything else must be printed exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_BLOCK = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
_MS = re.compile(r"\(\d+ ms")


@dataclass
class Example:
    command: str
    output: list[str] = field(default_factory=list)


def console_examples(path: Path) -> list[Example]:
    """Every `$ command` of the ```console blocks in `path`, with its shown output."""
    examples: list[Example] = []
    for block in _BLOCK.findall(path.read_text(encoding="utf-8")):
        for line in block.rstrip("\n").split("\n"):
            if line.startswith("$ "):
                examples.append(Example(line[2:]))
            elif examples:
                examples[-1].output.append(line)
    return examples


def output_matches(shown: list[str], printed: str) -> bool:
    """Whether `printed` is what `shown` shows (see the module docstring)."""
    lines = [_MS.sub("(… ms", line.rstrip()) for line in printed.rstrip("\n").split("\n")]
    shown = [line.rstrip() for line in shown]
    while shown and shown[-1] == "":
        shown.pop()
    if shown and shown[-1] == "…":
        head = shown[:-1]
        return lines[:len(head)] == head
    return lines == shown


def table_rows(path: Path, first_header: str) -> list[list[str]]:
    """The rows (cells) of the Markdown table whose first header cell is `first_header`."""
    rows: list[list[str]] = []
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            if cells[0] == first_header:
                inside = True
            elif inside and not set(line) <= set("|-: "):
                rows.append(cells)
        else:
            inside = False
    return rows


def backticked(cell: str) -> list[str]:
    """The `code` spans of a table cell."""
    return re.findall(r"`([^`]+)`", cell)


ANY = "…"


def json_matches(shown: object, actual: object, where: str = "$") -> list[str]:
    """Differences between a JSON value shown in a doc and the actual one ([] when it matches).

    `"…"` matches any value; a string ending in `…` any string starting with the rest; a list
    ending in `"…"` any list starting with the shown items; an object with a `"…"` key may
    have more keys. Everything else must be equal.
    """
    if shown == ANY:
        return []
    if isinstance(shown, str) and shown.endswith(ANY) and isinstance(actual, str):
        head = shown[:-1].rstrip()
        return [] if actual.startswith(head) else [f"{where}: {actual[:80]!r} does not start with {head!r}"]
    if isinstance(shown, list):
        if not isinstance(actual, list):
            return [f"{where}: a list was shown, got {actual!r:.80}"]
        open_ended = bool(shown) and shown[-1] == ANY
        items = shown[:-1] if open_ended else shown
        if len(actual) < len(items) or (not open_ended and len(actual) != len(items)):
            return [f"{where}: {len(actual)} items, {len(items)} shown"]
        return [d for i, s in enumerate(items) for d in json_matches(s, actual[i], f"{where}[{i}]")]
    if isinstance(shown, dict):
        if not isinstance(actual, dict):
            return [f"{where}: an object was shown, got {actual!r:.80}"]
        keys = [k for k in shown if k != ANY]
        problems = [f"{where}: no {k!r}" for k in keys if k not in actual]
        if ANY not in shown:
            problems += [f"{where}: {k!r} is not shown" for k in actual if k not in shown]
        return problems + [d for k in keys if k in actual
                           for d in json_matches(shown[k], actual[k], f"{where}.{k}")]
    return [] if shown == actual and type(shown) is type(actual) else [f"{where}: {actual!r:.80} != {shown!r:.80}"]
