"""Steps that carry out each option (for roadmaps), with defaults filled in and checked.

An option without ``steps`` is carried out by one default step named ``issue:option``.
Prerequisites (``after``) may name any step id or ``issue:option`` of a default step.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealcraft.errors import Problem
from dealcraft.model.schema import ScenarioFile

DEFAULT_VERIFY_WEEKS = 4.0
SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class StepInfo:
    """One step that carries out an option: its share of the option's value, the share that can be
    taken back, the weeks needed to verify it, and the steps it must follow."""

    id: str
    name: str
    issue: int
    option: int
    share: float
    reversible: float
    verify_weeks: float
    after: tuple[str, ...]


def resolve_steps(file: ScenarioFile) -> tuple[dict[tuple[int, int], tuple[StepInfo, ...]], list[Problem]]:
    """All steps by (issue, option), and the problems found (bad shares, unknown or cyclic
    prerequisites, duplicate ids)."""
    problems: list[Problem] = []
    steps: dict[tuple[int, int], tuple[StepInfo, ...]] = {}
    where: dict[str, str] = {}
    for i, issue in enumerate(file.issues):
        for o, option in enumerate(issue.options or []):
            loc = f"issues[{i}].options[{o}]"
            if not option.steps:
                sid = f"{issue.id}:{option.id}"
                name = option.name or option.id
                steps[(i, o)] = (StepInfo(sid, name, i, o, 1.0, 0.0, DEFAULT_VERIFY_WEEKS, ()),)
                where[sid] = loc
                continue
            given = [s.share for s in option.steps]
            if all(s is None for s in given):
                shares = [1.0 / len(given)] * len(given)
            elif any(s is None for s in given):
                problems.append(
                    Problem(f"{loc}.steps", "give a share to every step or to none (none: equal shares)")
                )
                shares = [s or 0.0 for s in given]
            else:
                shares = [float(s) for s in given]
                if abs(sum(shares) - 1) > SHARE_TOLERANCE:
                    problems.append(
                        Problem(
                            f"{loc}.steps",
                            f"step shares sum to {sum(shares):.6g}, not 1: they split the option's value",
                        )
                    )
            infos = []
            for k, (step, share) in enumerate(zip(option.steps, shares, strict=True)):
                if step.id in where:
                    problems.append(
                        Problem(
                            f"{loc}.steps[{k}].id",
                            f"step id {step.id!r} is already used at {where[step.id]}: "
                            "step ids must be unique",
                        )
                    )
                where[step.id] = f"{loc}.steps[{k}]"
                infos.append(
                    StepInfo(
                        step.id,
                        step.name or step.id,
                        i,
                        o,
                        share,
                        step.reversible,
                        step.verify_weeks,
                        tuple(step.after),
                    )
                )
            steps[(i, o)] = tuple(infos)
    problems += _check_prerequisites(steps, where)
    return steps, problems


def _check_prerequisites(
    steps: dict[tuple[int, int], tuple[StepInfo, ...]], where: dict[str, str]
) -> list[Problem]:
    problems = []
    graph: dict[str, tuple[str, ...]] = {}
    for infos in steps.values():
        for step in infos:
            graph[step.id] = step.after
            for k, dep in enumerate(step.after):
                if dep not in where:
                    problems.append(
                        Problem(
                            f"{where[step.id]}.after[{k}]",
                            f"unknown step {dep!r}: name a step id "
                            "or 'issue:option' of an option without steps",
                        )
                    )
    cycle = find_cycle({k: tuple(d for d in v if d in graph) for k, v in graph.items()})
    if cycle:
        problems.append(
            Problem(
                f"{where[cycle[0]]}.after",
                f"prerequisites form a cycle: {' -> '.join(cycle + [cycle[0]])}; "
                "remove one of these 'after' entries",
            )
        )
    return problems


def find_cycle(graph: dict[str, tuple[str, ...]]) -> list[str] | None:
    """One cycle of a directed graph as a list of nodes, or None (iterative DFS)."""
    state: dict[str, int] = {}
    for start in graph:
        if state.get(start):
            continue
        path: list[str] = []
        stack = [(start, iter(graph[start]))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child) :]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(graph[child])))
    return None
