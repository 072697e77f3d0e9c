"""Human names for the ids in the analyses' JSON: the report never shows a raw id where the
scenario gives a name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from dealcraft.model.scenario import Scenario

# Okabe–Ito: distinguishable with every common colour-vision deficiency, and in grey print.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")


@dataclass(frozen=True)
class Labels:
    sc: Scenario

    @cached_property
    def _parties(self) -> dict[str, int]:
        return {p.id: k for k, p in enumerate(self.sc.parties)}

    @cached_property
    def _stakeholders(self) -> dict[str, int]:
        return {h.key: k for k, h in enumerate(self.sc.stakeholders)}

    @cached_property
    def _issues(self) -> dict[str, int]:
        return {i.id: k for k, i in enumerate(self.sc.issues)}

    def party(self, party_id: str) -> str:
        k = self._parties.get(party_id)
        return party_id if k is None else self.sc.parties[k].name

    def party_colour(self, party_id: str) -> str:
        k = self._parties.get(party_id)
        return PALETTE[-1] if k is None else PALETTE[k % len(PALETTE)]

    def stakeholder(self, key: str) -> str:
        """'President (Donald Trump), United States' for 'us.president'."""
        k = self._stakeholders.get(key)
        if k is None:
            return key
        h = self.sc.stakeholders[k]
        return f"{h.name}, {self.sc.parties[h.party].name}"

    def stakeholder_short(self, key: str) -> str:
        """The stakeholder's own name only (where the party is already clear)."""
        k = self._stakeholders.get(key)
        return key if k is None else self.sc.stakeholders[k].name

    def stakeholder_party(self, key: str) -> str:
        k = self._stakeholders.get(key)
        return key.split(".")[0] if k is None else self.sc.parties[self.sc.stakeholders[k].party].id

    def issue(self, issue_id: str) -> str:
        k = self._issues.get(issue_id)
        return issue_id if k is None else self.sc.issues[k].name

    def option(self, issue_id: str, option_id: str | int | float) -> str:
        k = self._issues.get(issue_id)
        found = None if k is None else self.sc.issues[k].find(option_id)
        if k is None or found is None:
            return str(option_id)
        return self.sc.issues[k].option_names[found]

    def change(self, issue_id: str, option_id: str) -> str:
        return f"{self.issue(issue_id)}: {self.option(issue_id, option_id)}"

    def changes(self, changes: dict[str, str], sep: str = "; ") -> str:
        return sep.join(self.change(i, o) for i, o in changes.items()) or "the status quo"

    def versus(
        self, package: dict[str, str], reference: dict[str, str] | None, name: str = "proposal 1"
    ) -> str:
        """A package told as its difference from a reference package when they are close."""
        if reference is not None:
            diff = {i: o for i, o in package.items() if reference.get(i) != o}
            if not diff:
                return f"= {name}"
            if len(diff) <= 5:
                return f"{name}, but " + self.changes(diff)
        sq = {i.id: i.value(i.status_quo) for i in self.sc.issues}
        return self.changes({i: o for i, o in package.items() if sq.get(i) != o})

    def arrow(self, text: str) -> str:
        """'sanctions: none -> partial' (explain.Change.text) in names."""
        issue, _, rest = text.partition(": ")
        before, _, after = rest.partition(" -> ")
        return f"{self.issue(issue)}: {self.option(issue, before)} → {self.option(issue, after)}"


def pct(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{100 * x:.{digits}f}%"
