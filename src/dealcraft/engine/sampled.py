"""Many parameter samples at once: verdicts of samples x packages without a per-sample loop.

The whole space is counted with the meet-in-the-middle split of :mod:`dealcraft.engine.space`:
per sample, a head table (rows) and a tail table (columns) of partial utilities; a stakeholder
accepts cell (a, b) iff ``tail[b] >= r - TOLERANCE - head[a]``, one broadcast comparison over
(samples, rows, columns). Chunks of samples and rows keep memory bounded. Stakeholders whose
numbers do not vary are evaluated once per chunk, not once per sample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dealcraft.engine.acceptance import TOLERANCE, Rules, constraint_masks
from dealcraft.engine.space import Split, choose_split, grid_sum
from dealcraft.engine.utility import issue_tables
from dealcraft.model.scenario import Parameters, Scenario

TAIL_BLOCK = 4096  # packages per tail: small enough that (samples, tail) tables stay small
CELL_BUDGET = 1 << 22  # samples x rows x tail cells per broadcast: ~4 MB of booleans


@dataclass(frozen=True)
class SampledParameters:
    """K parameter sets stacked: weights (K, S, I) normalised per row, values (K, S, radix)
    per issue, reservations (K, S); bargaining power (K, P) when some party's is uncertain
    (None: the scenario's point values)."""

    weights: np.ndarray
    values: tuple[np.ndarray, ...]
    reservations: np.ndarray
    power: np.ndarray | None = None

    def __len__(self) -> int:
        return self.reservations.shape[0]

    def one(self, k: int) -> Parameters:
        """Sample k as the core's :class:`Parameters` (for cross-checks and per-sample loops)."""
        power = None if self.power is None else self.power[k]
        return Parameters(self.weights[k], tuple(v[k] for v in self.values), self.reservations[k], power)

    def tables(self) -> list[np.ndarray]:
        """Per issue, the (K, S, radix) weighted values w_si * v_si(o)."""
        return issue_tables(self)


@dataclass
class SpaceCounts:
    """How many samples accept each package of a contiguous range of package numbers."""

    start: int  # first package number
    stakeholders: np.ndarray  # (S, n) int32
    parties: np.ndarray  # (P, n) int32
    agree: np.ndarray  # (n,) int32
    any_agree: np.ndarray  # (K,) bool: the sample's agreement set meets this range

    @classmethod
    def concat(cls, parts: list[SpaceCounts]) -> SpaceCounts:
        """Counts of contiguous ranges (same samples) joined in order."""
        for a, b in zip(parts[:-1], parts[1:], strict=True):
            assert b.start == a.start + a.agree.size, "ranges must be contiguous"
        return cls(
            parts[0].start,
            np.hstack([p.stakeholders for p in parts]),
            np.hstack([p.parties for p in parts]),
            np.concatenate([p.agree for p in parts]),
            np.logical_or.reduce([p.any_agree for p in parts]),
        )


def batch_split(scenario: Scenario, tail_block: int = TAIL_BLOCK) -> Split:
    """The head/tail split of the package space for sampled counting (tail of at most ``tail_block``)."""
    return choose_split(scenario.radices, tail_block)


def varying_stakeholders(sampled: SampledParameters) -> np.ndarray:
    """(S,) True where some number of the stakeholder differs between samples."""
    w, r = sampled.weights, sampled.reservations
    vary = np.any(w != w[:1], axis=(0, 2)) | np.any(r != r[:1], axis=0)
    for v in sampled.values:
        vary |= np.any(v != v[:1], axis=(0, 2))
    return vary


def count_rows(
    scenario: Scenario,
    sampled: SampledParameters,
    split: Split,
    rows: tuple[int, int],
    *,
    budget: int = CELL_BUDGET,
    progress: Callable[[int], None] | None = None,
) -> SpaceCounts:
    """Count acceptances over head rows [rows[0], rows[1]) crossed with the whole tail.

    Per chunk of head rows: the never-varying stakeholders and parties are decided once
    (:func:`_count_fixed`), then the varying ones chunk by chunk of samples (:func:`_count_moving`).
    """
    setup = _Setup.of(scenario, sampled, split)
    n_k, tail = len(sampled), split.tail_size
    start, stop = rows
    n = (stop - start) * tail
    out = SpaceCounts(
        start * tail,
        np.zeros((len(scenario.stakeholders), n), dtype=np.int32),
        np.zeros((len(scenario.parties), n), dtype=np.int32),
        np.zeros(n, dtype=np.int32),
        np.zeros(n_k, dtype=bool),
    )
    rows_per_chunk = max(1, min(stop - start, budget // tail))
    samples_per_chunk = max(1, budget // (rows_per_chunk * tail))
    buffers = _Buffers()
    for r0 in range(start, stop, rows_per_chunk):
        r1 = min(stop, r0 + rows_per_chunk)
        chunk = _RowChunk.of(scenario, setup, split, (r0, r1), start)
        parts, constant = _count_fixed(sampled, setup, chunk, out)
        if not setup.moving.size:
            out.agree[chunk.cells] = n_k * constant.reshape(-1)
            out.any_agree[:] |= bool(constant.any())
            if progress:
                progress(n_k * (r1 - r0) * tail)
            continue
        for k0 in range(0, n_k, samples_per_chunk):
            k1 = min(n_k, k0 + samples_per_chunk)
            _count_moving(sampled, setup, chunk, parts, constant, (k0, k1), out, buffers)
            if progress:
                progress((k1 - k0) * (r1 - r0) * tail)
    return out


@dataclass(frozen=True)
class _Setup:
    """What every chunk of a count reuses: the issue tables, which stakeholders vary between
    samples, and the tail utilities (the fixed stakeholders once, the varying ones per sample)."""

    rules: Rules
    tables: list[np.ndarray]  # per issue (K, S, radix)
    vary: np.ndarray  # (S,) bool
    fixed: np.ndarray  # stakeholders whose numbers are the same in every sample
    moving: np.ndarray  # the others
    slot: dict[int, int]  # stakeholder -> its row in tail_moving
    tail_fixed: np.ndarray  # (S, tail) from sample 0
    tail_moving: np.ndarray  # (K, M, tail)
    tail_cols: tuple[np.ndarray, ...]  # per tail issue, its digits as a (1, tail) row

    @classmethod
    def of(cls, scenario: Scenario, sampled: SampledParameters, split: Split) -> _Setup:
        tables = sampled.tables()
        tail_digits = split.tail_digits()
        vary = varying_stakeholders(sampled)
        moving = np.flatnonzero(vary)
        return cls(
            Rules.of(scenario),
            tables,
            vary,
            np.flatnonzero(~vary),
            moving,
            {int(s): j for j, s in enumerate(moving)},
            grid_sum([t[:1] for t in tables[split.head :]])[0],
            grid_sum([t[:, moving] for t in tables[split.head :]]),
            tuple(tail_digits[:, k][None, :] for k in range(tail_digits.shape[1])),
        )


@dataclass(frozen=True)
class _RowChunk:
    """Head rows [r0, r1) crossed with the whole tail: head utilities per sample, and the red
    lines and feasibility, which are the same in every sample."""

    cells: slice  # where the chunk's packages sit in the output
    shape: tuple[int, int]  # (rows, tail)
    head_u: np.ndarray  # (K, S, rows)
    ok: np.ndarray  # (S, rows, tail): feasible and within the stakeholder's own red lines
    open: np.ndarray  # (S,) True where ok holds everywhere (no mask needed)

    @classmethod
    def of(
        cls, scenario: Scenario, setup: _Setup, split: Split, rows: tuple[int, int], start: int
    ) -> _RowChunk:
        r0, r1 = rows
        tail = split.tail_size
        head_digits = split.head_digits(r0, r1)
        n_k, n_s = setup.tables[0].shape[:2]
        head_u = np.zeros((n_k, n_s, r1 - r0))
        for i in range(split.head):
            head_u += setup.tables[i][:, :, head_digits[:, i]]
        digits = tuple(head_digits[:, k][:, None] for k in range(split.head)) + setup.tail_cols
        shape = (r1 - r0, tail)
        feasible, own = constraint_masks(scenario, digits, shape)
        cells = slice((r0 - start) * tail, (r1 - start) * tail)
        ok = own & feasible
        return cls(cells, shape, head_u, ok, ok.all(axis=(1, 2)))


def _count_fixed(
    sampled: SampledParameters, setup: _Setup, chunk: _RowChunk, out: SpaceCounts
) -> tuple[list[_PartyParts], np.ndarray]:
    """Count what the never-varying numbers decide (the same in all K samples): the fixed
    stakeholders, the parties without a varying member; return each party's split rule and the
    (rows, tail) verdict every sample's agreement must also meet."""
    n_k = len(sampled)
    base = np.zeros((len(setup.vary), *chunk.shape), dtype=bool)
    for s in setup.fixed:
        u = chunk.head_u[0, s][:, None] + setup.tail_fixed[s][None, :]
        base[s] = (u >= sampled.reservations[0, s] - TOLERANCE) & chunk.ok[s]
        out.stakeholders[s, chunk.cells] = n_k * base[s].reshape(-1)
    parts = [_PartyParts.of(setup.rules, p, base, setup.vary, chunk.ok) for p in range(len(out.parties))]
    constant = np.ones(chunk.shape, dtype=bool)
    for p, part in enumerate(parts):
        if not part.moving.size:
            out.parties[p, chunk.cells] = n_k * part.verdict(None).reshape(-1)
        if part.rule_all:
            constant &= part.base
        elif not part.moving.size:
            constant &= part.verdict(None)
    return parts, constant


def _count_moving(
    sampled: SampledParameters,
    setup: _Setup,
    chunk: _RowChunk,
    parts: list[_PartyParts],
    constant: np.ndarray,
    samples: tuple[int, int],
    out: SpaceCounts,
    buffers: _Buffers,
) -> None:
    """Count the varying stakeholders, the parties with a varying member and the agreement
    for samples [k0, k1) of one row chunk."""
    k0, k1 = samples
    size = (k1 - k0, *chunk.shape)
    accepts, counts = _moving_stakeholders(sampled, setup, chunk, samples, out, buffers)
    masked = {}
    if any(not part.rule_all and part.moving.size for part in parts):
        for s in setup.moving:
            masked[s] = np.logical_and(accepts[s], chunk.ok[s], out=buffers.take(f"m{s}", size, bool))
    agree = buffers.take("agree", size, bool)
    agree[...] = constant
    for p, part in enumerate(parts):
        if part.moving.size:
            party = _moving_party(part, accepts, counts, masked, out.parties[p, chunk.cells], buffers, size)
            np.logical_and(agree, party, out=agree)
    _add(out.agree[chunk.cells], buffers.count("agree", agree))
    out.any_agree[k0:k1] |= agree.any(axis=(1, 2))


def _moving_stakeholders(
    sampled: SampledParameters,
    setup: _Setup,
    chunk: _RowChunk,
    samples: tuple[int, int],
    out: SpaceCounts,
    buffers: _Buffers,
) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """Per varying stakeholder, its (k, rows, tail) utility test (red lines not yet applied) and
    its (rows, tail) count over the samples; the counts, masked by the red lines, are added to
    ``out``."""
    k0, k1 = samples
    size = (k1 - k0, *chunk.shape)
    accepts, counts = {}, {}
    for s in setup.moving:
        threshold = sampled.reservations[k0:k1, s, None] - TOLERANCE - chunk.head_u[k0:k1, s]
        a = buffers.take(f"s{s}", size, bool)
        np.greater_equal(setup.tail_moving[k0:k1, setup.slot[s], None, :], threshold[:, :, None], out=a)
        accepts[s] = a
        counts[s] = buffers.count(f"c{s}", a)
        # the red lines and feasibility are the same in every sample: mask the counts
        _add(out.stakeholders[s, chunk.cells], counts[s] if chunk.open[s] else counts[s] * chunk.ok[s])
    return accepts, counts


def _moving_party(
    part: _PartyParts,
    accepts: dict[int, np.ndarray],
    counts: dict[int, np.ndarray],
    masked: dict[int, np.ndarray],
    target: np.ndarray,
    buffers: _Buffers,
    size: tuple[int, ...],
) -> np.ndarray:
    """A party with a varying member: add its counts into ``target`` and return its
    (k, rows, tail) verdict; for rule all, ``part.base`` (fixed members, red lines) is already
    folded into the agreement's constant."""
    if part.rule_all and part.moving.size == 1:
        s = int(part.moving[0])
        _add(target, counts[s] * part.base)
        return accepts[s]
    if part.rule_all:
        party = buffers.take("party", size, bool)
        np.logical_and(accepts[part.moving[0]], accepts[part.moving[1]], out=party)
        for m in part.moving[2:]:
            np.logical_and(party, accepts[m], out=party)
        _add(target, buffers.count("party", party) * part.base)
        return party
    party = part.verdict(masked)
    _add(target, buffers.count("party", party))
    return party


class _Buffers:
    """Scratch arrays reused across chunks: fresh multi-megabyte arrays on every chunk cost
    page faults (badly so under Dask, whose workers tune malloc to return memory eagerly)."""

    def __init__(self) -> None:
        self.store: dict[str, np.ndarray] = {}

    def take(self, name: str, shape: tuple[int, ...], dtype: type) -> np.ndarray:
        size = int(np.prod(shape))
        have = self.store.get(name)
        if have is None or have.size < size:
            have = self.store[name] = np.empty(size, dtype=dtype)
        return have[:size].reshape(shape)

    def count(self, name: str, verdicts: np.ndarray) -> np.ndarray:
        """(rows, tail) how many samples (axis 0 of verdicts) say yes."""
        return np.sum(
            verdicts, axis=0, dtype=np.int32, out=self.take(f"n{name}", verdicts.shape[1:], np.int32)
        )


def _add(target: np.ndarray, counts: np.ndarray) -> None:
    """Add (rows, tail) counts into a flat slice of the output."""
    np.add(target, counts.reshape(-1), out=target)


@dataclass(frozen=True)
class _PartyParts:
    """A party's rule split into what its never-varying members already decide and the rest."""

    rule_all: bool
    threshold: float
    moving: np.ndarray  # member stakeholders that vary, with their influence shares
    shares: np.ndarray
    base: np.ndarray  # rule all: AND of fixed members and the moving ones' red lines;
    # weighted: the share of influence the fixed members' yes brings

    @classmethod
    def of(cls, rules: Rules, p: int, base: np.ndarray, vary: np.ndarray, ok: np.ndarray) -> _PartyParts:
        members = rules.members[p]
        fixed, moving = members[~vary[members]], members[vary[members]]
        if rules.thresholds[p] is None:
            both = np.all(base[fixed], axis=0) & np.all(ok[moving], axis=0)
            return cls(True, 1.0, moving, np.ones(moving.size), both)
        total = rules.influence[members].sum()
        share = np.tensordot(rules.influence[fixed] / total, base[fixed], axes=(0, 0))
        return cls(False, rules.thresholds[p], moving, rules.influence[moving] / total, share)

    def verdict(self, accepts: dict[int, np.ndarray] | None) -> np.ndarray:
        """Party verdict given the moving members' (K, rows, tail) verdicts, red lines applied
        (None: no moving member); rule all reads it from ``base``, weighted adds shares."""
        if self.rule_all:
            result = self.base
            for s in self.moving:
                result = result & accepts[s]
            return result
        if not self.moving.size:
            return self.base >= self.threshold - TOLERANCE
        share = self.base
        for s, w in zip(self.moving, self.shares, strict=True):
            share = share + w * accepts[s]
        return share >= self.threshold - TOLERANCE


@dataclass
class PackageVerdicts:
    """Verdicts of a few packages under every sample."""

    utilities: np.ndarray  # (K, S, n)
    accepts: np.ndarray  # (K, S, n)
    parties: np.ndarray  # (K, P, n)
    agree: np.ndarray  # (K, n)
    feasible: np.ndarray  # (n,) the package meets the scenario's global constraints


def package_verdicts(scenario: Scenario, sampled: SampledParameters, packages: np.ndarray) -> PackageVerdicts:
    """Evaluate (n, I) packages under each of the K samples (direct, no split: n is small)."""
    packages = np.atleast_2d(np.asarray(packages, dtype=np.int64))
    n = packages.shape[0]
    u = package_utilities(sampled, packages)
    digits = tuple(packages[:, i] for i in range(packages.shape[1]))
    feasible, own = constraint_masks(scenario, digits, (n,))
    accepts = (u >= sampled.reservations[:, :, None] - TOLERANCE) & own[None] & feasible
    rules = Rules.of(scenario)
    parties = np.stack([rules.party(np.moveaxis(accepts, 1, 0), p) for p in range(len(scenario.parties))], 1)
    feasible = np.broadcast_to(feasible, (n,))
    return PackageVerdicts(u, accepts, parties, np.all(parties, axis=1), feasible)


def package_utilities(sampled: SampledParameters, packages: np.ndarray) -> np.ndarray:
    """(K, S, n) utilities of (n, I) packages: per stakeholder the sum of w_si * v_si(option)
    over the issues, added in issue order.

    Most numbers do not vary between samples (a few uncertain values or weights), so only the
    packages that pick a varying entry somewhere are summed per sample; the others, and the
    leading issues on which every sample agrees, are summed once and broadcast. Every sum is
    still formed issue by issue from zero, so the results are bit-identical to a plain
    per-sample loop (acceptance at a reservation can hinge on the last bit).
    """
    n_k, n_s = len(sampled), sampled.weights.shape[1]
    tables = sampled.tables()
    out = np.empty((n_k, n_s, packages.shape[0]))
    for s in range(n_s):
        columns = [table[:, s] for table in tables]  # per issue (K, radix)
        varies = [~(c == c[:1]).all(axis=0) for c in columns]  # per issue and option
        shared = _sum_in_order([c[0, packages[:, i]] for i, c in enumerate(columns)])
        out[:, s] = shared
        hit = np.zeros(packages.shape[0], dtype=bool)
        for i, v in enumerate(varies):
            hit |= v[packages[:, i]]
        if not hit.any():
            continue
        picked = packages[hit]
        terms = []
        for i, (c, v) in enumerate(zip(columns, varies, strict=True)):
            # a term every sample agrees on is one row, broadcast in the sum
            terms.append(c[:, picked[:, i]] if v[picked[:, i]].any() else c[0, picked[:, i]])
        out[:, s, hit] = _sum_in_order(terms, n_k)
    return out


def _sum_in_order(terms: list[np.ndarray], samples: int = 1) -> np.ndarray:
    """((0 + t0) + t1) + ... with the terms (n,) or (K, n): the shared prefix is summed once."""
    acc = np.zeros(terms[0].shape[-1])
    i = 0
    while i < len(terms) and terms[i].ndim == 1:
        acc += terms[i]
        i += 1
    if i == len(terms):
        return acc
    acc = np.broadcast_to(acc, (samples, acc.size)).copy()
    for t in terms[i:]:
        acc += t
    return acc
