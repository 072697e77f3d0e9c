"""The scenario file format as pydantic models: structure and local checks only.

Cross-references (issue ids in preferences, option ids in packages, constraint
expressions...) are checked in :mod:`dealcraft.model.build`, which can see the whole file.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from dealcraft.model.numbers import Uncertain, parse_uncertain

Number = Annotated[Uncertain, BeforeValidator(parse_uncertain)]
Id = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]


class Strict(BaseModel):
    """Base of every file model: unknown keys are errors, values are frozen once read."""

    # allow_inf_nan=False: a NaN or infinite number would make every comparison false downstream
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True, allow_inf_nan=False)


class Source(Strict):
    """Evidence for an element: a document id, where in it, an optional exact quote, a note."""

    doc: str
    at: str | None = None
    quote: str | None = None
    note: str | None = None
    about: str | list[str] | None = None  # in a preference: the numbers it supports (model/about.py)


class Stakeholder(Strict):
    """Someone inside a party whose backing the party's yes needs, with their influence."""

    id: Id
    name: str | None = None
    influence: float = Field(1.0, gt=0)
    description: str | None = None
    sources: list[Source] = []


class Weighted(Strict):
    """Ratification by the accepting stakeholders' influence share reaching a threshold."""

    weighted: float = Field(gt=0, le=1)


class Party(Strict):
    """A side at the table: its stakeholders and how they ratify (all, or weighted)."""

    id: Id
    name: str | None = None
    ratification: Literal["all"] | Weighted = "all"
    stakeholders: list[Stakeholder] = Field(min_length=1)
    power: Number | None = None  # bargaining power: the exponent in the asymmetric Nash solution (1)
    discount: float | None = Field(None, gt=0, le=1)  # per-deadline discount factor, used by simulate
    description: str | None = None
    sources: list[Source] = []


class Step(Strict):
    """One action that carries out part of an option (for roadmaps)."""

    id: Id
    name: str | None = None
    share: float | None = Field(None, ge=0, le=1)
    reversible: float = Field(0.0, ge=0, le=1)
    verify_weeks: float = Field(4.0, ge=0)
    after: list[str] = []


class Option(Strict):
    """One choice on an issue, optionally carried out by several steps."""

    id: Id
    name: str | None = None
    description: str | None = None
    steps: list[Step] | None = None
    sources: list[Source] = []


class Issue(Strict):
    """A dimension of the deal: options from least to most conceded, giver and status quo."""

    id: Id
    name: str | None = None
    giver: str | None = None  # None: no party concedes along it (GENIUS domains have none)
    status_quo: str | None = None
    options: list[Option] = Field(min_length=1)
    description: str | None = None
    sources: list[Source] = []


class Preference(Strict):
    """One stakeholder's judgment numbers: reservation, weights, option values, red lines."""

    reservation: Number
    weights: dict[str, Number]
    values: dict[str, dict[str, Number]] = {}
    constraints: list[str] = []
    sources: list[Source] = []


class Observation(Strict):
    """A documented verdict on a package that the model should reproduce."""

    id: Id
    package: dict[str, str]
    outcome: Literal["accepted", "rejected"]
    by: str
    description: str | None = None
    sources: list[Source] = []


class Roadmap(Strict):
    """Roadmap settings: each party's trust (exposure it tolerates)."""

    trust: dict[str, float] = {}

    @field_validator("trust")
    @classmethod
    def _non_negative(cls, trust: dict[str, float]) -> dict[str, float]:
        for party, value in trust.items():
            if value < 0:
                raise ValueError(f"trust of {party!r} is {value}: trust must be >= 0")
        return trust


class Talks(Strict):
    """Simulated talks: scripted openings per party and the deadline in rounds."""

    openings: dict[str, dict[str, str]] = {}
    rounds: int = Field(20, ge=1)


class ScenarioFile(Strict):
    """A whole scenario file as written (format version 1)."""

    dealcraft: Literal[1]
    id: Id
    title: str | None = None
    description: str | None = None
    parties: list[Party] = Field(min_length=1)
    issues: list[Issue] = Field(min_length=1)
    constraints: list[str] = []
    preferences: dict[str, Preference]
    observations: list[Observation] = []
    roadmap: Roadmap | None = None
    talks: Talks | None = None
    sources: list[Source] = []
    corpus: str | None = None  # folder of the cited documents, relative to the scenario file


def dump(model: BaseModel) -> Any:
    """Plain data for YAML/JSON output, uncertain numbers written in their file form."""

    def convert(value: Any) -> Any:
        if isinstance(value, Uncertain):
            return value.to_data()
        if isinstance(value, BaseModel):
            return {
                k: convert(getattr(value, k)) for k in type(value).model_fields if k in value.model_fields_set
            }
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        return value

    return convert(model)
