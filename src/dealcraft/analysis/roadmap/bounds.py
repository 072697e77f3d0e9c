"""Bounds and a starting order for the CP-SAT roadmap model, from the prerequisite graph alone.

CP-SAT's linear relaxation of "a phase lasts as long as its longest step" is weak: steps can be
spread fractionally over many phases at almost no cost, so without help it proves little
beyond the critical path. The bounds here come from relaxations that drop the exposure limits
(any roadmap satisfies them), and they are what lets CP-SAT close the gap within seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from dealcraft.analysis.roadmap.problem import Instance

MAX_PATHS = 2000  # prerequisite paths enumerated for the weeks bound (a subset still gives a bound)
MAX_STATES = 5000  # size of the merge table per group of paths
MAX_GROUP = 6  # paths merged together at most
MAX_CANDIDATES = 48  # longest paths considered for the group (keeps the bound's cost small)


def depth(inst: Instance) -> list[int]:
    """Each step's number of predecessors on its longest prerequisite chain."""
    level = [0] * inst.n
    for _ in range(inst.n):  # n rounds settle any acyclic graph
        level = [max((level[a] + 1 for a in pre), default=0) for pre in inst.prereqs]
    return level


def longest_chain(inst: Instance, counts: Sequence[int]) -> int:
    """Largest sum of ``counts`` along a prerequisite chain."""
    total = [0] * inst.n
    for _ in range(inst.n):
        total = [
            int(counts[s]) + max((total[a] for a in pre), default=0) for s, pre in enumerate(inst.prereqs)
        ]
    return max(total, default=0)


def critical_path(inst: Instance) -> int:
    """Longest prerequisite chain by verification weeks: each step of a chain sits in its own,
    later phase, so the phases add up to at least this."""
    return longest_chain(inst, [int(w) for w in inst.weeks])


def level_chains(inst: Instance, levels: Sequence[int]) -> list[int]:
    """For each length level, the most steps at least that long on one prerequisite chain: the
    least number of phases that last at least that long."""
    return [longest_chain(inst, [int(w >= level) for w in inst.weeks]) for level in levels]


def max_phases(inst: Instance, weeks: int | None = None) -> int:
    """Phases an optimal roadmap can have at most (of at most ``weeks`` total, if given).

    Two consecutive phases with no prerequisite between them can be merged: no longer, no new
    state to be exposed in, one phase fewer (the model forbids such pairs). So every phase
    after the first holds its own *linked* step, one with a prerequisite in the phase before
    (right after an opening, a step of another party may take that place). With K phases, at
    most c_l of them (after the first) can be shorter than level l, c_l being the steps with
    prerequisites shorter than l; so at least K - 1 - c_l phases last l or more, which makes
    many phases expensive. The same holds for the prerequisites of the linked steps, one per
    phase before the last."""
    free = 2 if inst.opening is not None else 1  # phases that need not hold a linked step
    linked = [s for s, pre in enumerate(inst.prereqs) if pre]
    cap = max(1, min(inst.n, len(linked) + free))
    if weeks is None:
        return cap
    needed = {a for pre in inst.prereqs for a in pre}
    levels = sorted({int(w) for w in inst.weeks if w > 0})
    chains = level_chains(inst, levels)
    shorter = [
        min(sum(1 for s in linked if inst.weeks[s] < level), sum(1 for s in needed if inst.weeks[s] < level))
        for level in levels
    ]

    def least_weeks(k: int) -> int:
        floor = 0
        for i, level in enumerate(levels):
            floor += (level - (levels[i - 1] if i else 0)) * max(chains[i], k - free - shorter[i])
        return floor

    while cap > 1 and least_weeks(cap) > weeks:
        cap -= 1
    return cap


def asap(inst: Instance) -> tuple[int, ...]:
    """Every step as early as its prerequisites allow (after the opening, if any): the hint
    CP-SAT starts from, and the answer when it finds nothing in time."""
    level = depth(inst)
    if inst.opening is None:
        return tuple(level)
    first = [s for s in range(inst.n) if not inst.prereqs[s] and inst.actor[s] == inst.opening]
    shifted = [0 if s in first else d + 1 for s, d in enumerate(level)]
    order = {t: k for k, t in enumerate(sorted(set(shifted)))}  # no empty phase
    return tuple(order[t] for t in shifted)


def weeks_floor(inst: Instance) -> int:
    """The best lower bound on total weeks here: phases per length level, or merged paths."""
    levels = sorted({int(w) for w in inst.weeks if w > 0})
    chains = level_chains(inst, levels)
    per_level = sum(
        (w - (levels[k - 1] if k else 0)) * c for k, (w, c) in enumerate(zip(levels, chains, strict=True))
    )
    return max(per_level, weeks_lower_bound(inst))


def weeks_lower_bound(inst: Instance) -> int:
    """A lower bound on total weeks that accounts for chains competing for phases.

    Every prerequisite path must fit into the sequence of phase lengths as a subsequence
    (step k of the path in a later phase than step k-1, and no longer than it). The cheapest
    sequence that fits a group of paths at once is an exact merge (a weighted shortest common
    supersequence, :func:`merge_cost`); any group gives a bound. Paths are added greedily to
    the group while the bound grows and the merge table stays small."""
    paths = sorted(set(_paths(inst)), key=lambda p: (-sum(p), p))[:MAX_CANDIDATES]
    if not paths:
        return 0
    group, best = [paths[0]], sum(paths[0])
    while len(group) < MAX_GROUP:
        size = _states(group)
        candidates = [p for p in paths if p not in group and size * (len(p) + 1) <= MAX_STATES]
        scored = [(merge_cost([*group, p]), p) for p in candidates]
        if not scored:
            break
        value, path = max(scored, key=lambda vp: vp[0])  # first of the best: deterministic
        if value <= best:
            break
        group.append(path)
        best = value
    return best


def merge_cost(paths: Sequence[tuple[int, ...]]) -> int:
    """Least sum of a sequence of phase lengths into which every path fits as a subsequence.

    Placing a path's next step in the earliest phase long enough is never worse, so a phase of
    length L advances every path whose next step is at most L; only lengths of next steps are
    worth trying. Dynamic programming over the tuple of positions reached in each path."""
    memo: dict[tuple[int, ...], int] = {}

    def cost(state: tuple[int, ...]) -> int:
        if state in memo:
            return memo[state]
        nexts = {path[k] for path, k in zip(paths, state, strict=True) if k < len(path)}
        best = 0
        if nexts:
            best = min(
                length
                + cost(
                    tuple(
                        k + (k < len(path) and path[k] <= length)
                        for path, k in zip(paths, state, strict=True)
                    )
                )
                for length in sorted(nexts)
            )
        memo[state] = best
        return best

    return cost((0,) * len(paths))


def _states(group: Sequence[tuple[int, ...]]) -> int:
    size = 1
    for path in group:
        size *= len(path) + 1
    return size


def _paths(inst: Instance) -> list[tuple[int, ...]]:
    """Step lengths along maximal prerequisite paths (source to sink), at most MAX_PATHS."""
    succ: list[list[int]] = [[] for _ in range(inst.n)]
    for s, pre in enumerate(inst.prereqs):
        for a in pre:
            succ[a].append(s)
    out: list[tuple[int, ...]] = []
    stack = [(s, (int(inst.weeks[s]),)) for s in reversed(range(inst.n)) if not inst.prereqs[s]]
    while stack and len(out) < MAX_PATHS:
        s, path = stack.pop()
        if not succ[s]:
            out.append(path)
        stack += [(b, (*path, int(inst.weeks[b]))) for b in reversed(succ[s])]
    return out
