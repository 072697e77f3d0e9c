"""Packages as mixed-radix integers, and the split of the issues into two halves.

Package number n = sum_i d_i * stride_i with the last issue varying fastest. Splitting the
issues into a head (slow digits) and a tail (fast digits) gives n = a * tail_size + b, so any
additive quantity over a block of consecutive head values is a broadcast sum of a head table
(rows) and a tail table (columns): the "meet in the middle" that makes scans cheap.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_BLOCK = 1 << 20  # packages per block: bounds memory whatever the space size
DEFAULT_LIMIT = 10**9


def strides(radices: Sequence[int]) -> np.ndarray:
    """Place value of each issue's digit in a package number (the last issue varies fastest)."""
    out = np.ones(len(radices), dtype=np.int64)
    for i in range(len(radices) - 2, -1, -1):
        out[i] = out[i + 1] * radices[i + 1]
    return out


def encode(digits: np.ndarray, radices: Sequence[int]) -> np.ndarray:
    """(n, I) option indices -> (n,) package numbers."""
    return np.asarray(digits, dtype=np.int64) @ strides(radices)


def decode(numbers: np.ndarray, radices: Sequence[int]) -> np.ndarray:
    """(n,) package numbers -> (n, I) option indices."""
    numbers = np.asarray(numbers, dtype=np.int64)
    out = np.empty((numbers.size, len(radices)), dtype=np.int64)
    rest = numbers.reshape(-1).copy()
    for i in range(len(radices) - 1, -1, -1):
        out[:, i] = rest % radices[i]
        rest //= radices[i]
    return out


def grid_digits(radices: Sequence[int]) -> np.ndarray:
    """decode(arange(prod(radices))) built by repeat/tile: no divisions, much faster."""
    size = int(np.prod(radices, dtype=np.int64))
    out = np.empty((size, len(radices)), dtype=np.int64)
    for i, stride in enumerate(strides(radices)):
        block = np.repeat(np.arange(radices[i], dtype=np.int64), stride)
        out[:, i] = np.tile(block, size // block.size)
    return out


def grid_sum(tables: Sequence[np.ndarray]) -> np.ndarray:
    """(..., prod r_i): the sum of one entry per table (..., r_i) over every combination, in
    package order (last table fastest), built by broadcasting instead of gathering."""
    out = tables[0]
    for t in tables[1:]:
        # explicit length: reshape(-1) is ambiguous when a leading axis has size 0
        out = (out[..., :, None] + t[..., None, :]).reshape(*t.shape[:-1], out.shape[-1] * t.shape[-1])
    return out


@dataclass(frozen=True)
class Split:
    """Issues [0, head) are the head digits, [head, I) the tail digits."""

    radices: tuple[int, ...]
    head: int

    @property
    def tail_size(self) -> int:
        """Number of tail digit combinations: the columns of every block."""
        return int(np.prod(self.radices[self.head :], dtype=np.int64))

    @property
    def head_size(self) -> int:
        """Number of head digit combinations: the rows of the whole space."""
        return int(np.prod(self.radices[: self.head], dtype=np.int64))

    def tail_digits(self) -> np.ndarray:
        """(T, tail issues) every tail digit combination, in package order."""
        return grid_digits(self.radices[self.head :])

    def head_digits(self, start: int, stop: int) -> np.ndarray:
        """(stop - start, head issues) the head digits of rows start .. stop-1."""
        return decode(np.arange(start, stop), self.radices[: self.head])


def row_ranges(split: Split, parts: int) -> list[tuple[int, int]]:
    """Head rows cut into at most ``parts`` consecutive ranges of nearly equal size: package-number
    ranges that together cover the space once."""
    edges = np.linspace(0, split.head_size, min(parts, split.head_size) + 1).round().astype(np.int64)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def choose_split(radices: Sequence[int], block: int = DEFAULT_BLOCK) -> Split:
    """Put as many fast issues in the tail as fit in a block (at least one issue)."""
    radices = tuple(int(r) for r in radices)
    head, size = len(radices) - 1, radices[-1]
    while head > 0 and size * radices[head - 1] <= block:
        head -= 1
        size *= radices[head]
    return Split(radices, head)


@dataclass(frozen=True)
class Block:
    """Head rows [start, stop) crossed with the whole tail: packages start*T .. stop*T-1."""

    start: int
    stop: int
    tail: int
    digits: tuple[np.ndarray, ...]  # per issue, shaped (rows, 1) for head, (1, T) for tail

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, T): the block as a grid."""
        return self.stop - self.start, self.tail

    @property
    def size(self) -> int:
        """Number of packages in the block."""
        return (self.stop - self.start) * self.tail

    def numbers(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Package numbers of the block cells (rows, cols)."""
        return (self.start + rows.astype(np.int64)) * self.tail + cols.astype(np.int64)


def blocks(split: Split, block: int = DEFAULT_BLOCK, rows: tuple[int, int] | None = None) -> Iterator[Block]:
    """Walk the whole space (or head rows ``rows`` = [first, end): packages first*T .. end*T-1)
    in blocks of about ``block`` packages."""
    tail = split.tail_digits()
    tail_cols = tuple(tail[:, k][None, :] for k in range(tail.shape[1]))
    rows_per_block = max(1, block // split.tail_size)
    first, end = rows if rows is not None else (0, split.head_size)
    for start in range(first, end, rows_per_block):
        stop = min(end, start + rows_per_block)
        head = split.head_digits(start, stop)
        head_cols = tuple(head[:, k][:, None] for k in range(head.shape[1]))
        yield Block(start, stop, split.tail_size, head_cols + tail_cols)
