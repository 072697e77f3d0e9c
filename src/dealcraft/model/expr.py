"""Constraint expressions over issue options, parsed by a small recursive-descent parser
(its recursion bounded by ``MAX_EXPR_DEPTH``; evaluation uses an explicit stack).

Grammar (lowest precedence first)::

    expr     := or_expr ['->' expr]            # implication, right-associative
    or_expr  := and_expr {'or' and_expr}
    and_expr := not_expr {'and' not_expr}
    not_expr := 'not' not_expr | '(' expr ')' | compare
    compare  := ISSUE ('=='|'!='|'>='|'>'|'<='|'<') OPTION | ISSUE 'in' '{' OPTION {',' OPTION} '}'

On a numeric issue OPTION is a number: ``<``, ``<=``, ``>``, ``>=`` take any number (``tariff <= 33``
on a grid of 5s allows 0..30), while ``==``, ``!=`` and ``in`` need grid values.

Every comparison is compiled to the set of allowed option indices of one issue, so an
expression evaluates on whole numpy arrays of option indices at once (any broadcastable
shapes), which is what the engine needs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dealcraft.model.limits import MAX_EXPR_CHARS, MAX_EXPR_DEPTH

_TOKEN = re.compile(
    r"\s*(?:(?P<arrow>->)|(?P<op>==|!=|>=|<=|>|<)|(?P<punct>[(){},])"
    r"|(?P<number>-\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z0-9_][A-Za-z0-9_.]*(?:-(?!>)[A-Za-z0-9_.]+)*))"
)
_KEYWORDS = {"and", "or", "not", "in"}


class ExprError(ValueError):
    """A malformed expression; ``position`` is the character offset of the problem."""

    def __init__(self, text: str, position: int, message: str):
        self.text = text
        self.position = position
        self.message = message
        caret = " " * position + "^"
        super().__init__(f"{message}\n    {text}\n    {caret}")


@dataclass(frozen=True)
class Token:
    """One lexical unit of a constraint, with its position for caret error messages."""

    kind: str
    value: str
    position: int


def tokenize(text: str) -> list[Token]:
    """Split constraint text into tokens, then an ``end`` token; ExprError at the first bad character."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            bad = pos + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ExprError(text, bad, f"unexpected character {text[bad]!r}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        start = match.start(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = value
        tokens.append(Token(kind, value, start))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class Node:
    """An expression node; ``evaluate`` takes one option-index array per issue."""

    def evaluate(self, digits: Sequence[np.ndarray]) -> np.ndarray:  # pragma: no cover
        """Boolean array: where the node holds for the packages given by ``digits``."""
        raise NotImplementedError

    def issues(self) -> set[int]:  # pragma: no cover
        """The issue indices the node depends on."""
        raise NotImplementedError


@dataclass(frozen=True)
class Allowed(Node):
    """True where the option chosen on ``issue`` is in ``mask``."""

    issue: int
    mask: np.ndarray

    def evaluate(self, digits: Sequence[np.ndarray]) -> np.ndarray:
        """Look each chosen option up in the mask."""
        return self.mask[digits[self.issue]]

    def issues(self) -> set[int]:
        """Only the one issue it tests."""
        return {self.issue}


@dataclass(frozen=True)
class Not(Node):
    """Negation of ``operand``."""

    operand: Node

    def evaluate(self, digits: Sequence[np.ndarray]) -> np.ndarray:
        """Evaluated iteratively (see ``_evaluate``) so deep nesting cannot overflow the stack."""
        return _evaluate(self, digits)

    def issues(self) -> set[int]:
        """The issues of the operand (collected iteratively, like ``evaluate``)."""
        return _issues(self)


@dataclass(frozen=True)
class Binary(Node):
    """``left op right`` for ``and``, ``or`` and ``->`` (implication)."""

    op: str  # "and", "or", "->"
    left: Node
    right: Node

    def evaluate(self, digits: Sequence[np.ndarray]) -> np.ndarray:
        """Evaluated iteratively (see ``_evaluate``) so deep nesting cannot overflow the stack."""
        return _evaluate(self, digits)

    def issues(self) -> set[int]:
        """The issues of both sides (collected iteratively, like ``evaluate``)."""
        return _issues(self)


def _operands(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Not):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    return ()


def _evaluate(root: Node, digits: Sequence[np.ndarray]) -> np.ndarray:
    """Post-order evaluation with an explicit stack: no recursion, whatever the tree's depth."""
    results: list[np.ndarray] = []
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if isinstance(node, Allowed):
            results.append(node.evaluate(digits))
        elif not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(_operands(node)))
        elif isinstance(node, Not):
            results.append(np.logical_not(results.pop()))
        else:
            assert isinstance(node, Binary)
            b, a = results.pop(), results.pop()
            if node.op == "and":
                results.append(np.logical_and(a, b))
            elif node.op == "or":
                results.append(np.logical_or(a, b))
            else:
                results.append(np.logical_or(np.logical_not(a), b))
    return results[0]


def _issues(root: Node) -> set[int]:
    found: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Allowed):
            found.add(node.issue)
        stack.extend(_operands(node))
    return found


def _balanced(op: str, terms: list[Node]) -> Node:
    """A chain of one associative operator as a balanced tree (depth log2 n, not n)."""
    while len(terms) > 1:
        paired = [Binary(op, terms[k], terms[k + 1]) for k in range(0, len(terms) - 1, 2)]
        terms = paired + ([terms[-1]] if len(terms) % 2 else [])
    return terms[0]


@dataclass(frozen=True)
class Expression:
    """A parsed constraint: its source text and its compiled tree."""

    text: str
    root: Node

    def evaluate(self, digits: Sequence[np.ndarray]) -> np.ndarray:
        """Boolean array over the packages given by ``digits`` (one option-index array per issue)."""
        return np.asarray(_evaluate(self.root, digits), dtype=bool)

    def holds(self, package: Sequence[int]) -> bool:
        """Whether the constraint holds for one package (one option index per issue)."""
        return bool(_evaluate(self.root, [np.asarray(d) for d in package]))


class _Parser:
    def __init__(self, text: str, options: Mapping[str, Sequence[str]], grids: Mapping[str, Sequence[float]]):
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.issue_ids = list(options)
        self.options = options
        self.grids = grids
        self.depth = 0  # open parentheses, 'not' and '->' being parsed: bounds the recursion

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self, kind: str, what: str) -> Token:
        token = self.peek()
        if token.kind != kind:
            found = f"{token.value!r}" if token.kind != "end" else "the end"
            raise ExprError(self.text, token.position, f"expected {what}, found {found}")
        self.index += 1
        return token

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ExprError(self.text, 0, "empty expression")
        node = self.expr()
        self.take("end", "'and', 'or', '->' or the end of the expression")
        return node

    def deeper(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_EXPR_DEPTH:
            raise ExprError(
                self.text,
                token.position,
                f"nested more than {MAX_EXPR_DEPTH} levels deep (parentheses, 'not', '->'): "
                "simplify it or split it into several constraints",
            )

    def expr(self) -> Node:
        left = self.or_expr()
        if self.peek().kind == "arrow":
            self.deeper(self.peek())
            self.index += 1
            node = Binary("->", left, self.expr())
            self.depth -= 1
            return node
        return left

    def or_expr(self) -> Node:
        terms = [self.and_expr()]
        while self.peek().kind == "or":
            self.index += 1
            terms.append(self.and_expr())
        return _balanced("or", terms)

    def and_expr(self) -> Node:
        terms = [self.not_expr()]
        while self.peek().kind == "and":
            self.index += 1
            terms.append(self.not_expr())
        return _balanced("and", terms)

    def not_expr(self) -> Node:
        token = self.peek()
        if token.kind == "not":
            self.deeper(token)
            self.index += 1
            node: Node = Not(self.not_expr())
            self.depth -= 1
            return node
        if token.kind == "punct" and token.value == "(":
            self.deeper(token)
            self.index += 1
            node = self.expr()
            self.depth -= 1
            closing = self.peek()
            if not (closing.kind == "punct" and closing.value == ")"):
                raise ExprError(self.text, closing.position, "expected ')'")
            self.index += 1
            return node
        return self.compare()

    def issue(self) -> tuple[int, Token]:
        token = self.take("name", "an issue id")
        if token.value not in self.options:
            known = ", ".join(self.issue_ids)
            raise ExprError(self.text, token.position, f"unknown issue {token.value!r} (issues: {known})")
        return self.issue_ids.index(token.value), token

    def option(self, issue: int) -> int:
        if self.issue_ids[issue] in self.grids:
            token, x = self.number(issue)
            k = self.on_grid(issue, x)
            if k is None:
                raise ExprError(
                    self.text,
                    token.position,
                    f"{token.value} is not on the grid of numeric issue {self.issue_ids[issue]!r} "
                    f"({self.grid_text(issue)}): use a grid value, or compare with <, <=, >, >=",
                )
            return k
        token = self.peek()
        if token.kind == "number":
            self.index += 1
        else:
            token = self.take("name", "an option id")
        names = list(self.options[self.issue_ids[issue]])
        if token.value not in names and _as_number(token.value) is not None:
            raise ExprError(
                self.text,
                token.position,
                f"issue {self.issue_ids[issue]!r} is discrete: compare it with one of its options "
                f"({', '.join(names)}), not a number",
            )
        if token.value not in names:
            raise ExprError(
                self.text,
                token.position,
                f"unknown option {token.value!r} of issue {self.issue_ids[issue]!r} "
                f"(options: {', '.join(names)})",
            )
        return names.index(token.value)

    def number(self, issue: int) -> tuple[Token, float]:
        token = self.peek()
        x = _as_number(token.value) if token.kind in ("name", "number") else None
        if x is None:
            found = f"{token.value!r}" if token.kind != "end" else "the end"
            raise ExprError(
                self.text,
                token.position,
                f"issue {self.issue_ids[issue]!r} is numeric: compare it with a number "
                f"(e.g. {self.issue_ids[issue]} <= 30), found {found}",
            )
        self.index += 1
        return token, x

    def grid_of(self, issue: int) -> np.ndarray:
        return np.asarray(self.grids[self.issue_ids[issue]], dtype=float)

    def grid_text(self, issue: int) -> str:
        names = list(self.options[self.issue_ids[issue]])
        return ", ".join(names[:3]) + (f", ..., {names[-1]}" if len(names) > 3 else "")

    def on_grid(self, issue: int, x: float) -> int | None:
        grid = self.grid_of(issue)
        k = int(np.argmin(np.abs(grid - x)))
        return k if abs(grid[k] - x) <= 1e-6 * (grid[1] - grid[0]) else None

    def numeric_compare(self, issue: int, op: str) -> Node:
        """``issue op number`` on a numeric issue: an ordering against any number, equality on the grid."""
        if op in ("==", "!="):
            k = self.option(issue)
            order = np.arange(len(self.grid_of(issue)))
            return Allowed(issue, order == k if op == "==" else order != k)
        _, x = self.number(issue)
        grid = self.grid_of(issue)
        k = self.on_grid(issue, x)
        if k is not None:
            x = float(grid[k])  # a value within rounding of a grid point is that point
        mask = {">=": grid >= x, ">": grid > x, "<=": grid <= x, "<": grid < x}[op]
        return Allowed(issue, mask)

    def compare(self) -> Node:
        issue, _ = self.issue()
        radix = len(self.options[self.issue_ids[issue]])
        mask = np.zeros(radix, dtype=bool)
        token = self.peek()
        if token.kind == "in":
            self.index += 1
            opening = self.take("punct", "'{'")
            if opening.value != "{":
                raise ExprError(self.text, opening.position, "expected '{' after 'in'")
            mask[self.option(issue)] = True
            while self.peek().kind == "punct" and self.peek().value == ",":
                self.index += 1
                mask[self.option(issue)] = True
            closing = self.take("punct", "'}'")
            if closing.value != "}":
                raise ExprError(self.text, closing.position, "expected '}'")
            return Allowed(issue, mask)
        op = self.take("op", "a comparison (==, !=, >=, >, <=, <, in)").value
        if self.issue_ids[issue] in self.grids:
            return self.numeric_compare(issue, op)
        k = self.option(issue)
        order = np.arange(radix)
        mask = {
            "==": order == k,
            "!=": order != k,
            ">=": order >= k,
            ">": order > k,
            "<=": order <= k,
            "<": order < k,
        }[op]
        return Allowed(issue, mask)


def _as_number(text: str) -> float | None:
    try:
        x = float(text)
    except ValueError:
        return None
    return x if np.isfinite(x) else None


def parse(
    text: str, options: Mapping[str, Sequence[str]], grids: Mapping[str, Sequence[float]] | None = None
) -> Expression:
    """Parse ``text`` against the issues and their ordered options (``grids``: the numbers of the
    numeric issues' options); raises ExprError."""
    if not isinstance(text, str):
        raise ExprError(str(text), 0, "a constraint must be a string")
    if len(text) > MAX_EXPR_CHARS:
        raise ExprError(
            text[:60] + "…",
            0,
            f"the expression is {len(text):,} characters long, more than the limit of {MAX_EXPR_CHARS:,}: "
            "split it into several constraints (each must hold) or use 'issue in {a, b, ...}'",
        )
    return Expression(text, _Parser(text, options, grids or {}).parse())
