"""The `check` job's output: the problems of a scenario file as text or as JSON objects
``{file, where, message, fix}``.

Problem messages are written as "what is wrong: what to do"; the fix is the part after the
last colon when it reads as an instruction, else a pointer to the format reference.
"""

from __future__ import annotations

import re
from typing import Any

from dealcraft.errors import Problem

DEFAULT_FIX = "see the scenario format reference (docs/reference/format.md)"
_IMPERATIVE = re.compile(
    r"(?:add|use|give|put|write|check|remove|rename|swap|save|scale|split|merge|narrow|flatten|"
    r"simplify|name|choose|quote|drop|set|raise|lower|fix|make|move|keep|declare|list|spell|"
    r"either|one of)\b",
    re.IGNORECASE,
)


def split_fix(message: str) -> tuple[str, str]:
    """(what is wrong, how to fix it) from a problem message: the fix starts at the first
    ': ', '; ' or '. ' followed by an instruction."""
    head, _, rest = message.partition("\n")  # constraint errors add the expression and a caret
    detail = "\n" + rest if rest else ""
    for sep in _SEPARATOR.finditer(head):
        fix = head[sep.end() :].strip()
        if _IMPERATIVE.match(fix):
            return head[: sep.start()].strip() + detail, _lower_first(fix)
    return message, DEFAULT_FIX


_SEPARATOR = re.compile(r"[:;.] ")


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def problem_json(source: str, problem: Problem) -> dict[str, Any]:
    """One problem as JSON: file, location, message and the fix split from it."""
    message, fix = split_fix(problem.message)
    return {"file": source, "where": problem.location, "message": message, "fix": fix}


def report_json(source: str, problems: list[Problem]) -> dict[str, Any]:
    """What `check --json` prints: ok, and every problem."""
    return {"ok": not problems, "problems": [problem_json(source, p) for p in problems]}


def report_text(source: str, problems: list[Problem]) -> str:
    """What `check` prints when the file has problems: one line each."""
    lines = [f"{len(problems)} problem(s) in {source}:"]
    lines += [f"  {p.location or '(file)'}: {p.message}" for p in problems]
    return "\n".join(lines)
