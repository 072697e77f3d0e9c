"""Human names for the ids in the analyses' JSON: the report never shows a raw id where the
scenario gives a name."""

from __future__ import annotations

from dataclasses import dataclass

from dealcraft.model.scenario import Scenario

# Okabe–Ito: distinguishable with every common colour-vision deficiency, and in grey print.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")


@dataclass(frozen=True)
class Labels:
    sc: Scenario

    def party(self, party_id: str) -> str:
        for p in self.sc.parties:
            if p.id == party_id:
                return p.name
        return party_id

    def party_colour(self, party_id: str) -> str:
        ids = [p.id for p in self.sc.parties]
        return PALETTE[ids.index(party_id) % len(PALETTE)] if party_id in ids else PALETTE[-1]

    def stakeholder(self, key: str) -> str:
        """'President (Donald Trump), United States' for 'us.president'."""
        for h in self.sc.stakeholders:
            if h.key == key:
                return f"{h.name}, {self.sc.parties[h.party].name}"
        return key

    def stakeholder_short(self, key: str) -> str:
        """The stakeholder's own name only (for tables that already group by party)."""
        for h in self.sc.stakeholders:
            if h.key == key:
                return h.name
        return key

    def stakeholder_party(self, key: str) -> str:
        for h in self.sc.stakeholders:
            if h.key == key:
                return self.sc.parties[h.party].id
        return key.split(".")[0]

    def issue(self, issue_id: str) -> str:
        for i in self.sc.issues:
            if i.id == issue_id:
                return i.name
        return issue_id

    def option(self, issue_id: str, option_id: str) -> str:
        for i in self.sc.issues:
            if i.id == issue_id and option_id in i.options:
                return i.option_names[i.options.index(option_id)]
        return option_id

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
        sq = {i.id: i.options[i.status_quo] for i in self.sc.issues}
        return self.changes({i: o for i, o in package.items() if sq.get(i) != o})

    def arrow(self, text: str) -> str:
        """'sanctions: none -> partial' (explain.Change.text) in names."""
        issue, _, rest = text.partition(": ")
        before, _, after = rest.partition(" -> ")
        return f"{self.issue(issue)}: {self.option(issue, before)} → {self.option(issue, after)}"


def pct(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{100 * x:.{digits}f}%"
