"""The options each job kind accepts (checked at the edge, with bounds so no job can run for ever)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_PACKAGES = 10**9


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnalyzeOptions(_Options):
    """Options of an analyze job (as `dealcraft analyze`)."""

    k: int = Field(3, ge=0, le=20)
    max_packages: int = Field(MAX_PACKAGES, ge=1, le=MAX_PACKAGES)


class BridgeOptions(_Options):
    """Options of a bridge job (as `dealcraft bridge`): the package as issue=option changes."""

    package: dict[str, str] = Field(default_factory=dict)
    max_packages: int = Field(MAX_PACKAGES, ge=1, le=MAX_PACKAGES)


class RobustOptions(_Options):
    """Options of a robust job (as `dealcraft robust`)."""

    samples: int = Field(1000, ge=1, le=100_000)
    seed: int = 0
    proposals: int = Field(3, ge=0, le=20)
    max_packages: int = Field(MAX_PACKAGES, ge=1, le=MAX_PACKAGES)


class _PackageChoice(_Options):
    package: dict[str, str | int | float] | None = None  # issue=option changes (numbers on numeric issues)
    proposal: int | None = Field(None, ge=1, le=20)  # else proposal N of analyze (default 1)
    max_packages: int = Field(MAX_PACKAGES, ge=1, le=MAX_PACKAGES)


class SensitivityOptions(_PackageChoice):
    """Options of a sensitivity job (as `dealcraft sensitivity`)."""

    samples: int = Field(2000, ge=1, le=100_000)
    seed: int = 0
    swing: float = Field(0.1, ge=0, le=1)


class RoadmapOptions(_PackageChoice):
    """Options of a roadmap job (as `dealcraft roadmap`)."""

    trust: dict[str, float] | None = None
    opening: str | None = None
    solver: Literal["auto", "exact", "cpsat"] = "auto"
    time_limit: float = Field(10.0, gt=0, le=120)
    seed: int = 0


class SimulateOptions(_Options):
    """Options of a simulate job (as `dealcraft simulate`)."""

    strategies: list[str] | None = None  # party=name[,name...] words, as on the command line
    runs: int = Field(1000, ge=1, le=100_000)
    rounds: int | None = Field(None, ge=1, le=1000)
    seed: int = 0
    protocol: Literal["alternating", "mediator"] = "alternating"
    information: Literal["complete", "learned"] = "complete"
    anticipate: bool = False
    patience: int = Field(0, ge=0, le=1000)
    parties: list[str] | None = None
    openings: bool = True
    point: bool = False


OPTIONS: dict[str, type[_Options]] = {
    "analyze": AnalyzeOptions,
    "bridge": BridgeOptions,
    "robust": RobustOptions,
    "roadmap": RoadmapOptions,
    "simulate": SimulateOptions,
    "sensitivity": SensitivityOptions,
}
