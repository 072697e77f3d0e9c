"""A seeded mutation fuzzer for scenario files, shared by tests/test_fuzz.py and bench/fuzz.py.

Each case takes a seed scenario (built-in, docs/examples, tests/data), applies one or two
mutations a careless or hostile user might produce (deleted keys, wrong types, NaN/inf/huge
numbers, unicode, deep nesting, alias bombs, duplicate keys, truncated or binary text, broken
or deep constraints, prerequisite cycles, huge spaces) and runs `check --json` and, when the
file is accepted, one analysis command, in-process through Typer's runner with a time bound.

A case fails when a command exits with a code outside {0, 1, 2}, shows a traceback, runs over
the time bound, raises the process's peak memory by more than MEMORY_LIMIT_MB, prints invalid
(or non-strict) JSON with --json, or when a file with a NaN or infinite number in it is accepted.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import random
import resource
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer
import typer.main
import typer.testing as typer_testing
import yaml
from typer.testing import CliRunner

from dealcraft.cli import app
from dealcraft.model.load import builtin_ids, builtin_text

ROOT = Path(__file__).resolve().parent.parent
NON_FINITE = (math.nan, math.inf, -math.inf)
ODD_NUMBERS = (1e308, -1e308, 10**400, 0, -1, 5e-324, 2**63, 1e-300, 1.5)
ODD_VALUES = ("", "x" * 300, "é—🙂\u202e", "no", True, None, [], {}, [1, 2], {"dist": "normal"}, "\x00")
DEEP = "__DEEP_NEST__"
MEMORY_LIMIT_MB = 1000  # growth of the process's peak memory within one command
CONSTRAINT_JUNK = ("(", ")", "and", "or", "not", "->", "==", "in {", "}", ",", "!!", "zzz", "'")


def corpus(names: tuple[str, ...] | None = None) -> dict[str, str]:
    """Seed scenarios by name: the built-ins, docs/examples and the tests' tiny scenario."""
    texts = {sid: builtin_text(sid) for sid in builtin_ids()}
    for path in sorted((ROOT / "docs" / "examples").glob("*.yaml")) + [ROOT / "tests" / "data" / "tiny.yaml"]:
        texts[path.stem] = path.read_text("utf-8")
    return {k: v for k, v in texts.items() if names is None or k in names}


@dataclass
class Case:
    seed: int
    base: str
    mutations: list[str]
    text: str
    suffix: str  # ".yaml" or ".json"
    non_finite: bool  # a NaN or infinite number was written into the file


@dataclass
class Outcome:
    case: Case
    command: list[str]
    exit_code: int | None
    seconds: float
    failure: str | None = None  # "traceback", "hang", "invalid JSON", "exit code N", "accepted non-finite"
    detail: str = ""


@dataclass
class Summary:
    cases: int = 0
    commands: int = 0
    seconds: float = 0.0
    accepted: int = 0
    failures: Counter = field(default_factory=Counter)
    exit_codes: Counter = field(default_factory=Counter)
    mutations: Counter = field(default_factory=Counter)
    examples: list[Outcome] = field(default_factory=list)
    peak_rss_mb: float = 0.0

    def add(self, outcomes: list[Outcome]) -> None:
        self.cases += 1
        self.mutations.update(outcomes[0].case.mutations)
        for o in outcomes:
            self.commands += 1
            self.seconds += o.seconds
            self.exit_codes[f"{o.command[0]} {o.exit_code}"] += 1
            if o.failure:
                self.failures[o.failure.split(":")[0]] += 1
                if len(self.examples) < 20:
                    self.examples.append(o)
        if outcomes[0].exit_code == 0:
            self.accepted += 1
        self.peak_rss_mb = max(self.peak_rss_mb, _peak_mb())


# --- mutations ---------------------------------------------------------------------------------


def _paths(data: Any, prefix: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every (path, value) in the document (iterative)."""
    stack = [(prefix, data)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, k), v) for k, v in enumerate(value))


def _set(data: Any, path: tuple, value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _pick(rng: random.Random, data: Any, want: Callable[[Any], bool]) -> tuple | None:
    found = [p for p, v in _paths(data) if p and want(v)]
    return rng.choice(found) if found else None


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


class _Mutator:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.non_finite = False
        self.deep = ""

    # data-level mutations: each returns a name
    def delete_key(self, data: Any) -> str:
        path = _pick(self.rng, data, lambda v: True)
        if path:
            node = data
            for key in path[:-1]:
                node = node[key]
            del node[path[-1]]
        return "delete key"

    def wrong_type(self, data: Any) -> str:
        path = _pick(self.rng, data, lambda v: True)
        if path:
            _set(data, path, copy.deepcopy(self.rng.choice(ODD_VALUES)))
        return "wrong type"

    def non_finite_number(self, data: Any) -> str:
        path = _pick(self.rng, data, _is_number)
        if path:
            _set(data, path, self.rng.choice(NON_FINITE))
            self.non_finite = True
        return "NaN/inf"

    def odd_number(self, data: Any) -> str:
        path = _pick(self.rng, data, _is_number)
        if path:
            value = self.rng.choice(ODD_NUMBERS)
            _set(data, path, value)
        return "odd number"

    def tweak_number(self, data: Any) -> str:
        """Usually still valid: a number moved within [0, 1]."""
        path = _pick(self.rng, data, _is_number)
        if path:
            _set(data, path, round(self.rng.random(), 3))
        return "tweak number"

    def valid_constraint(self, data: Any) -> str:
        """Valid but unusual constraints: long flat chains, nesting just under the limit."""
        issues = data.get("issues") if isinstance(data, dict) else None
        if not isinstance(issues, list) or not issues or not isinstance(issues[-1], dict):
            return "valid constraint"
        issue = issues[-1]
        options = issue.get("options") if isinstance(issue.get("options"), list) else []
        if not options or not isinstance(options[-1], dict):
            return "valid constraint"
        term = f"{issue.get('id')} <= {options[-1].get('id')}"
        n = self.rng.choice([2, 40, 900])
        text = self.rng.choice(
            [
                " or ".join([term] * n),
                " and ".join([term] * n),
                "(" * 45 + term + ")" * 45,
                "not not " * 20 + term,
            ]
        )
        target = self.rng.choice(
            [v for v in (data.get("preferences") or {}).values() if isinstance(v, dict)] or [data]
        )
        if isinstance(target.setdefault("constraints", []), list):
            target["constraints"].append(text)
        return "valid constraint"

    def huge_weights(self, data: Any) -> str:
        for pref in (data.get("preferences") or {}).values() if isinstance(data, dict) else []:
            if isinstance(pref, dict) and isinstance(pref.get("weights"), dict):
                pref["weights"] = {k: 1e308 for k in pref["weights"]}
                break
        return "weights 1e308"

    def unicode(self, data: Any) -> str:
        path = _pick(self.rng, data, lambda v: isinstance(v, str))
        if path:
            texts = ["ü", "名前", "🙂", "\u202e", "a b", "\ufeffx", "\x07", "[/oops]", "[bold]x", "x[/]"]
            _set(data, path, self.rng.choice(texts))
        return "unicode"

    def deep_nesting(self, data: Any) -> str:
        """A placeholder, replaced in the text by flow-style nesting (valid YAML and JSON) that
        the serialisers themselves could not write."""
        path = _pick(self.rng, data, lambda v: True)
        if path:
            n = self.rng.choice([70, 500, 1500])
            self.deep = (
                "[" * n + '"x"' + "]" * n if self.rng.random() < 0.5 else '{"k": ' * n + '"x"' + "}" * n
            )
            _set(data, path, DEEP)
        return "deep nesting"

    def constraint(self, data: Any) -> str:
        if not isinstance(data, dict):
            return "constraint"
        issues = [
            i for i in data.get("issues") or [] if isinstance(i, dict) and isinstance(i.get("options"), list)
        ]
        ids = [(i.get("id"), [o.get("id") for o in i["options"] if isinstance(o, dict)]) for i in issues]
        ids = [(i, o) for i, o in ids if isinstance(i, str) and o]
        term = f"{ids[0][0]} == {ids[0][1][0]}" if ids else "x == y"
        n = self.rng.choice([3, 60, 300, 1200])
        text = self.rng.choice(
            [
                "(" * n + term + ")" * n,
                "not " * n + term,
                " or ".join([term] * n),
                " and ".join([term] * n),
                (term + " -> ") * n + term,
                " ".join(self.rng.choice(CONSTRAINT_JUNK + (term,)) for _ in range(self.rng.randint(1, 12))),
                "x" * 30000,
            ]
        )
        data.setdefault("constraints", [])
        if isinstance(data["constraints"], list):
            data["constraints"].append(text)
        return "constraint"

    def after_cycle(self, data: Any) -> str:
        issues = data.get("issues") if isinstance(data, dict) else None
        if isinstance(issues, list) and issues and isinstance(issues[0], dict):
            options = issues[0].get("options")
            if isinstance(options, list) and options and isinstance(options[-1], dict):
                options[-1]["steps"] = [{"id": "s1", "after": ["s2"]}, {"id": "s2", "after": ["s1"]}]
        return "after cycle"

    def huge_space(self, data: Any) -> str:
        issues = data.get("issues") if isinstance(data, dict) else None
        if isinstance(issues, list):
            copies = self.rng.choice([2, 5, 30, 300])
            for issue in [i for i in issues if isinstance(i, dict)][:3]:
                options = issue.get("options")
                if isinstance(options, list):
                    issue["options"] = options + [{"id": f"extra{k}"} for k in range(copies * len(options))]
        return "huge space"

    def duplicate_entry(self, data: Any) -> str:
        path = _pick(self.rng, data, lambda v: isinstance(v, list) and v)
        if path:
            node = data
            for key in path:
                node = node[key]
            node.append(copy.deepcopy(self.rng.choice(node)))
        return "duplicate entry"


# text-level mutations


def _truncate(rng: random.Random, text: str) -> tuple[str, str]:
    return text[: rng.randint(0, len(text))], "truncated"


def _binary(rng: random.Random, text: str) -> tuple[str, str]:
    at = rng.randint(0, len(text))
    junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 40))).decode("latin-1")
    return text[:at] + junk + text[at:], "binary"


def _duplicate_line(rng: random.Random, text: str) -> tuple[str, str]:
    lines = text.splitlines(keepends=True)
    k = rng.randrange(len(lines)) if lines else 0
    return "".join(lines[: k + 1] + lines[k : k + 1] + lines[k + 1 :]), "duplicate line"


def _alias_bomb(rng: random.Random, text: str) -> tuple[str, str]:
    lines = ["bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
    for k in range(1, rng.choice([3, 9])):
        lines.append(f"bomb{k}: &b{k} [{', '.join([f'*b{k - 1}'] * 10)}]")
    return text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", "alias bomb"


DATA_MUTATIONS = (
    "tweak_number",
    "tweak_number",
    "valid_constraint",
    "valid_constraint",
    "delete_key",
    "wrong_type",
    "non_finite_number",
    "odd_number",
    "huge_weights",
    "unicode",
    "deep_nesting",
    "constraint",
    "after_cycle",
    "huge_space",
    "duplicate_entry",
)
TEXT_MUTATIONS = (_truncate, _binary, _duplicate_line, _alias_bomb)


@functools.lru_cache(maxsize=16)
def _parsed(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def make_case(seed: int, seeds: dict[str, str]) -> Case:
    rng = random.Random(seed)
    base = rng.choice(sorted(seeds))
    data = copy.deepcopy(_parsed(seeds[base]))
    mutator = _Mutator(rng)
    names = []
    for _ in range(rng.choice([1, 1, 2])):
        names.append(getattr(mutator, rng.choice(DATA_MUTATIONS))(data))
    as_json = rng.random() < 0.3
    if as_json:
        text = json.dumps(data, indent=1, ensure_ascii=False)
    else:
        text = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True)
    if mutator.deep:
        text = text.replace(f'"{DEEP}"', mutator.deep).replace(DEEP, mutator.deep)
    if rng.random() < 0.25:
        text, name = rng.choice(TEXT_MUTATIONS)(rng, text)
        names.append(name)
    return Case(seed, base, names, text, ".json" if as_json else ".yaml", mutator.non_finite)


# --- running -----------------------------------------------------------------------------------


class Hang(BaseException):
    """Raised by the timer inside a command that runs past the bound (not an Exception, so no
    handler in dealcraft can swallow it)."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


def _strict_json(text: str) -> None:
    def refuse(name: str) -> None:
        raise ValueError(f"non-standard JSON constant {name}")

    json.loads(text, parse_constant=refuse)


def _commands(rng: random.Random, path: str, max_packages: int) -> list[list[str]]:
    mp = ["--max-packages", str(max_packages)]
    return [
        ["analyze", path, "--json", "-k", "2", *mp],
        ["evaluate", path, "--json"],
        ["bridge", path, "--json", *mp],
        ["roadmap", path, "--json", "--time-limit", "2", *mp],
        ["robust", path, "-n", "20", "-k", "1", "--json", *mp],
        ["sensitivity", path, "-n", "20", "--json", *mp],
        ["calibrate", path, "-n", "30", "-k", "1", "--json"],
        ["simulate", path, "--runs", "3", "--json"],
        ["show", path],
    ]


_COMMAND: list[Any] = []


def _cached_command(given: Any) -> Any:
    """Typer's runner rebuilds the Click command on every call (~0.1 s): build it once."""
    if given is not app:
        return typer.main.get_command(given)
    if not _COMMAND:
        _COMMAND.append(typer.main.get_command(app))
    return _COMMAND[0]


def run_command(case: Case, args: list[str], time_limit: float) -> Outcome:
    runner = CliRunner()
    previous = signal.signal(signal.SIGALRM, _alarm)
    peak_before = _peak_mb()
    original = typer_testing._get_command
    typer_testing._get_command = _cached_command
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        result = runner.invoke(app, args)
    except Hang:
        return Outcome(case, args, None, time.perf_counter() - start, "hang", f"over {time_limit:g} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        typer_testing._get_command = original
    seconds = time.perf_counter() - start
    outcome = Outcome(case, args, result.exit_code, seconds)
    grew = _peak_mb() - peak_before
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        outcome.failure, outcome.detail = "traceback", f"{type(exc).__name__}: {exc}"[:300]
    elif "Traceback (most recent call last)" in result.output:
        outcome.failure, outcome.detail = "traceback", result.output[-300:]
    elif result.exit_code not in (0, 1, 2):
        outcome.failure, outcome.detail = f"exit code {result.exit_code}", result.stderr[-300:]
    elif "--json" in args and (result.exit_code in (0, 1) or result.stdout.strip()):
        try:
            _strict_json(result.stdout)
        except ValueError as e:
            outcome.failure, outcome.detail = "invalid JSON", str(e)[:300]
    if outcome.failure is None and grew > MEMORY_LIMIT_MB:
        outcome.failure, outcome.detail = "memory", f"peak resident memory grew by {grew:,.0f} MB"
    return outcome


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_case(
    case: Case, folder: Path, *, time_limit: float, max_packages: int, commands: int = 1
) -> list[Outcome]:
    """`check --json`, then (if the file is accepted) ``commands`` analysis commands."""
    path = folder / f"case{case.seed}{case.suffix}"
    path.write_bytes(case.text.encode("utf-8", "surrogatepass"))
    check = run_command(case, ["check", str(path), "--json"], time_limit)
    outcomes = [check]
    if check.exit_code == 0 and case.non_finite and check.failure is None:
        check.failure, check.detail = "accepted non-finite", ", ".join(case.mutations)
    if check.exit_code == 0:
        rng = random.Random(case.seed * 7919 + 1)
        for args in rng.sample(_commands(rng, str(path), max_packages), commands):
            outcomes.append(run_command(case, args, time_limit))
    path.unlink()
    return outcomes


def fuzz(
    cases: int,
    folder: Path,
    *,
    seed: int = 0,
    seeds: dict[str, str] | None = None,
    time_limit: float = 10.0,
    max_packages: int = 10**7,
    commands: int = 1,
    on_case: Callable[[int, list[Outcome]], None] | None = None,
    max_seconds: float = math.inf,
) -> Summary:
    """Run ``cases`` cases (fewer if ``max_seconds`` runs out first: see ``Summary.cases``)."""
    seeds = seeds or corpus()
    summary = Summary()
    stop = time.monotonic() + max_seconds
    for k in range(cases):
        if time.monotonic() > stop:
            break
        case = make_case(seed * 1_000_003 + k, seeds)
        outcomes = run_case(case, folder, time_limit=time_limit, max_packages=max_packages, commands=commands)
        summary.add(outcomes)
        if on_case:
            on_case(k, outcomes)
    return summary
