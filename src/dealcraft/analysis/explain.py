"""What each party gives and gets in a package, relative to the status quo."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dealcraft.engine.utility import issue_tables
from dealcraft.model.numeric import shown
from dealcraft.model.scenario import Scenario


@dataclass(frozen=True)
class Change:
    """One issue moved away from its reference option, and the party that concedes along it."""

    issue: str
    before: str | int | float  # option id at the status quo (its number on a numeric issue)
    after: str | int | float  # option id in the package (its number on a numeric issue)
    giver: str | None  # party that concedes along this issue (None: the issue has no giver)

    def text(self) -> str:
        """The change as ``issue: before -> after`` (``issue changes: ...`` when nobody gives it)."""
        before, after = shown(self.before), shown(self.after)
        if self.giver is None:
            return f"{self.issue} changes: {before} -> {after}"
        return f"{self.issue}: {before} -> {after}"


@dataclass(frozen=True)
class Exchange:
    """What one party gives and gets in a package (see :func:`exchanges`)."""

    party: str
    gives: tuple[Change, ...]
    gets: tuple[Change, ...]


def changes(
    scenario: Scenario, package: Sequence[int], reference: Sequence[int] | None = None
) -> list[Change]:
    """Issues where ``package`` differs from ``reference`` (default: the status quo)."""
    reference = reference if reference is not None else scenario.status_quo
    out = []
    for issue, d, r in zip(scenario.issues, package, reference, strict=True):
        if int(d) != int(r):
            giver = None if issue.giver is None else scenario.parties[issue.giver].id
            out.append(Change(issue.id, issue.value(r), issue.value(d), giver))
    return out


def exchanges(scenario: Scenario, package: Sequence[int]) -> list[Exchange]:
    """Per party: what it gives (its own concessions, or others' concessions taken back) and
    what it gets (others' concessions that raise its party utility, or its own taken back).
    Along an issue without a giver, a change lowering the party's utility is given, one raising
    it is got."""
    moved = changes(scenario, package)
    issues = {i.id: i for i in scenario.issues}
    tables = [scenario.party_matrix @ t for t in issue_tables(scenario.params)]  # (P, radix) each
    index = {i.id: k for k, i in enumerate(scenario.issues)}
    out = []
    for p, party in enumerate(scenario.parties):
        gives, gets = [], []
        for c in moved:
            after, before = issues[c.issue].find(c.after), issues[c.issue].find(c.before)
            conceding = after > before
            own = c.giver == party.id
            table = tables[index[c.issue]][p]
            gain = table[after] - table[before]
            if c.giver is None:  # nobody concedes along it: a change the party loses on is given up
                if gain < 0:
                    gives.append(c)
                elif gain > 0:
                    gets.append(c)
            elif own == conceding:
                gives.append(c)
            elif own or gain > 0:
                gets.append(c)
        out.append(Exchange(party.id, tuple(gives), tuple(gets)))
    return out
