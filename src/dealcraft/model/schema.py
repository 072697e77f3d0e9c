"""The scenario file format as pydantic models: structure and local checks only.

Cross-references (issue ids in preferences, option ids in packages, constraint
expressions...) are checked in :mod:`dealcraft.model.build`, which can see the whole file.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    field_validator,
    model_validator,
)

from dealcraft.model.numbers import Uncertain, parse_uncertain

Number = Annotated[Uncertain, BeforeValidator(parse_uncertain)]
Id = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]


def _option_value(value: Any) -> str | int | float:
    """An option id (text), or a number for a numeric issue; YAML's yes/no/on/off booleans and
    non-finite numbers are refused (build.py checks which issues take numbers)."""
    if isinstance(value, bool):
        raise ValueError(
            "YAML reads yes/no/on/off/true/false as booleans, not ids: put the id in quotes (e.g. 'no')"
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number, got {value!r}: write an ordinary number")
        return value
    if isinstance(value, str):
        return value
    raise ValueError(f"expected an option id or a number, got {value!r}")


def _real(value: Any) -> Any:
    """A plain number (kept an int when written as one, so files round-trip as written)."""
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean: write a number such as 1")
    if isinstance(value, int):
        try:
            float(value)
        except OverflowError:
            raise ValueError(
                f"an integer of {len(str(abs(value)))} digits is beyond the float range: write a smaller one"
            ) from None
    return value


Real = Annotated[int | float, BeforeValidator(_real)]

# An option: its id for a discrete issue, its number (or the number's text) for a numeric one.
OptionValue = Annotated[str | int | float, PlainValidator(_option_value)]


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
    """A dimension of the deal: options from least to most conceded (or a numeric grid
    ``range``/``step``), giver and status quo."""

    id: Id
    name: str | None = None
    giver: str | None = None  # None: no party concedes along it (GENIUS domains have none)
    status_quo: OptionValue | None = None
    options: list[Option] | None = Field(None, min_length=1)
    range: tuple[Real, Real] | None = None  # numeric issue: the grid lo, lo + step, ..., hi
    step: Real | None = None
    description: str | None = None
    sources: list[Source] = []

    @model_validator(mode="after")
    def _options_or_range(self) -> Issue:
        if self.options is not None and (self.range is not None or self.step is not None):
            raise ValueError(
                "give either options (a discrete issue) or range and step (a numeric issue), not both"
            )
        if self.range is not None and self.step is None:
            raise ValueError(
                "a numeric issue needs a step: add step (e.g. step: 1) so the grid is lo, lo+step, ..., hi"
            )
        if self.step is not None and self.range is None:
            raise ValueError("step belongs to a numeric issue: add range: [lo, hi] or drop step")
        return self

    @property
    def numeric(self) -> bool:
        """Whether the issue is a numeric grid rather than a list of options."""
        return self.range is not None


FORM_KEYS = ("ideal", "loss", "width", "points", "increasing", "decreasing")


class ValueForm(Strict):
    """How a stakeholder values a numeric issue: an ideal point with a linear or quadratic loss
    over a width, a piecewise-linear curve through points, or a monotone line."""

    ideal: Number | None = None
    loss: str | None = None
    width: Number | None = None
    points: list[tuple[float, Number]] | None = None
    increasing: bool | None = None
    decreasing: bool | None = None

    @model_validator(mode="after")
    def _one_form(self) -> ValueForm:
        ideal_point = self.ideal is not None or self.loss is not None or self.width is not None
        shapes = [
            name
            for name, given in (
                ("ideal/loss/width", ideal_point),
                ("points", self.points is not None),
                ("increasing", self.increasing is not None),
                ("decreasing", self.decreasing is not None),
            )
            if given
        ]
        if len(shapes) != 1:
            raise ValueError(
                f"a value form takes exactly one of {{ideal, loss, width}}, {{points}}, {{increasing: true}} "
                f"or {{decreasing: true}}, got {' and '.join(shapes) or 'none'}: keep one"
            )
        if shapes[0] == "ideal/loss/width":
            self._check_loss()
        elif self.points is not None:
            self._check_points(self.points)
        elif self.increasing is False or self.decreasing is False:
            raise ValueError("write increasing: true or decreasing: true (false describes no curve)")
        return self

    def _check_loss(self) -> None:
        missing = [k for k in ("ideal", "loss", "width") if getattr(self, k) is None]
        if missing:
            raise ValueError(
                f"an ideal-point form needs ideal, loss and width; missing {', '.join(missing)} "
                "(e.g. {ideal: 40, loss: quadratic, width: 100})"
            )
        if self.loss not in ("linear", "quadratic"):
            raise ValueError(f"unknown loss {self.loss!r}: use linear or quadratic")
        assert self.width is not None
        if self.width.lo <= 0:
            raise ValueError(
                f"width must be > 0, got {self.width.to_data()!r}: the value falls to 0 at ideal ± width"
            )

    @staticmethod
    def _check_points(points: list[tuple[float, Uncertain]]) -> None:
        if len(points) < 2:
            raise ValueError("points needs at least two [x, value] pairs, e.g. [[0, 1.0], [100, 0.0]]")
        xs = [x for x, _ in points]
        for k in range(1, len(xs)):
            if xs[k] <= xs[k - 1]:
                raise ValueError(
                    f"points must have x strictly ascending: {xs[k]:g} comes after {xs[k - 1]:g}; sort them"
                )
        for x, y in points:
            low, high = (y.lo, y.hi) if y.kind != "normal" else (y.lo, y.lo)
            if low < 0 or high > 1:
                raise ValueError(f"the value at x = {x:g} must be in [0, 1], got {y.to_data()!r}")

    def numbers(self) -> dict[str, Uncertain]:
        """The form's numbers by name (``ideal``, ``width``, or each point's x as text)."""
        from dealcraft.model.numeric import number_text

        if self.points is not None:
            return {number_text(x): y for x, y in self.points}
        if self.ideal is not None and self.width is not None:
            return {"ideal": self.ideal, "width": self.width}
        return {}


def _value_kind(value: Any) -> str:
    """A mapping of form keys (ideal, loss, width, points, increasing, decreasing) is a value
    form; anything else is an option table."""
    if isinstance(value, ValueForm):
        return "Form"
    keys = set(value) if isinstance(value, dict) else set()
    return "Form" if keys and keys <= set(FORM_KEYS) else "Table"


ValueEntry = Annotated[
    Annotated[dict[str, Number], Tag("Table")] | Annotated[ValueForm, Tag("Form")],
    Discriminator(_value_kind),
]


class Preference(Strict):
    """One stakeholder's judgment numbers: reservation, weights, option values, red lines."""

    reservation: Number
    weights: dict[str, Number]
    values: dict[str, ValueEntry] = {}
    constraints: list[str] = []
    sources: list[Source] = []


class Observation(Strict):
    """A documented verdict on a package that the model should reproduce."""

    id: Id
    package: dict[str, OptionValue]
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

    openings: dict[str, dict[str, OptionValue]] = {}
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
