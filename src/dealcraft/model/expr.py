"""Constraint expressions over issue options, parsed by a small recursive-descent parser.

Grammar (lowest precedence first)::

    expr     := or_expr ['->' expr]            # implication, right-associative
    or_expr  := and_expr {'or' and_expr}
    and_expr := not_expr {'and' not_expr}
    not_expr := 'not' not_expr | '(' expr ')' | compare
    compare  := ISSUE ('=='|'!='|'>='|'>'|'<='|'<') OPTION | ISSUE 'in' '{' OPTION {',' OPTION} '}'

Every comparison is compiled to the set of allowed option indices of one issue, so an
expression evaluates on whole numpy arrays of option indices at once (any broadcastable
shapes), which is what the engine needs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_TOKEN = re.compile(
    r"\s*(?:(?P<arrow>->)|(?P<op>==|!=|>=|<=|>|<)|(?P<punct>[(){},])"
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
    kind: str
    value: str
    position: int


def tokenize(text: str) -> list[Token]:
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
        raise NotImplementedError

    def issues(self) -> set[int]:  # pragma: no cover
        raise NotImplementedError


@dataclass(frozen=True)
class Allowed(Node):
    """True where the option chosen on ``issue`` is in ``mask``."""

    issue: int
    mask: np.ndarray

    def evaluate(self, digits: Sequence[np.ndarray]) -> np.ndarray:
        return self.mask[digits[self.issue]]

    def issues(self) -> set[int]:
        return {self.issue}


@dataclass(frozen=True)
class Not(Node):
    operand: Node

    def evaluate(self, digits: Sequence[np.ndarray]) -> np.ndarray:
        return np.logical_not(self.operand.evaluate(digits))

    def issues(self) -> set[int]:
        return self.operand.issues()


@dataclass(frozen=True)
class Binary(Node):
    op: str  # "and", "or", "->"
    left: Node
    right: Node

    def evaluate(self, digits: Sequence[np.ndarray]) -> np.ndarray:
        a = self.left.evaluate(digits)
        b = self.right.evaluate(digits)
        if self.op == "and":
            return np.logical_and(a, b)
        if self.op == "or":
            return np.logical_or(a, b)
        return np.logical_or(np.logical_not(a), b)

    def issues(self) -> set[int]:
        return self.left.issues() | self.right.issues()


@dataclass(frozen=True)
class Expression:
    """A parsed constraint: its source text and its compiled tree."""

    text: str
    root: Node

    def evaluate(self, digits: Sequence[np.ndarray]) -> np.ndarray:
        return np.asarray(self.root.evaluate(digits), dtype=bool)

    def holds(self, package: Sequence[int]) -> bool:
        return bool(self.root.evaluate([np.asarray(d) for d in package]))


class _Parser:
    def __init__(self, text: str, options: Mapping[str, Sequence[str]]):
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.issue_ids = list(options)
        self.options = options

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

    def expr(self) -> Node:
        left = self.or_expr()
        if self.peek().kind == "arrow":
            self.index += 1
            return Binary("->", left, self.expr())
        return left

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.peek().kind == "or":
            self.index += 1
            node = Binary("or", node, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.peek().kind == "and":
            self.index += 1
            node = Binary("and", node, self.not_expr())
        return node

    def not_expr(self) -> Node:
        token = self.peek()
        if token.kind == "not":
            self.index += 1
            return Not(self.not_expr())
        if token.kind == "punct" and token.value == "(":
            self.index += 1
            node = self.expr()
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
        token = self.take("name", "an option id")
        names = list(self.options[self.issue_ids[issue]])
        if token.value not in names:
            raise ExprError(
                self.text,
                token.position,
                f"unknown option {token.value!r} of issue {self.issue_ids[issue]!r} "
                f"(options: {', '.join(names)})",
            )
        return names.index(token.value)

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


def parse(text: str, options: Mapping[str, Sequence[str]]) -> Expression:
    """Parse ``text`` against the issues and their ordered options; raises ExprError."""
    if not isinstance(text, str):
        raise ExprError(str(text), 0, "a constraint must be a string")
    return Expression(text, _Parser(text, options).parse())
