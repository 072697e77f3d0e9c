"""The service layer: one function per user-level job, each returning a typed output whose
``to_json()`` is exactly what the CLI's ``--json`` prints.

Every interface (the command line, the briefing report, the web app, the store) runs a job
through these functions, so they all show the same numbers::

    from dealcraft import load, service
    out = service.analyze(load("hanoi-2019"), proposals=3)
    out.analysis.summary.agreement, out.to_json()["agreement"]

Long jobs report their stages to a :class:`Tracker` (default: silent).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealcraft.lazy import lazy_exports

# Each name lives in one submodule; importing it on first use keeps `import dealcraft.service`
# cheap, so a command pays only for the libraries (OR-Tools, Dask, SciPy) its own job needs.
_HOMES = {
    "SILENT": "dealcraft.service.progress",
    "Tracker": "dealcraft.service.progress",
    "json_text": "dealcraft.service.output",
    "AnalyzeOutput": "dealcraft.service.analysis",
    "analysis_json": "dealcraft.service.analysis",
    "analyze": "dealcraft.service.analysis",
    "BridgeOutput": "dealcraft.service.package",
    "EvaluateOutput": "dealcraft.service.package",
    "bridge": "dealcraft.service.package",
    "evaluate": "dealcraft.service.package",
    "RoadmapOutput": "dealcraft.service.sequencing",
    "roadmap": "dealcraft.service.sequencing",
    "SimulateOutput": "dealcraft.service.bargaining",
    "simulate": "dealcraft.service.bargaining",
    "CalibrateOutput": "dealcraft.service.uncertainty",
    "RobustOutput": "dealcraft.service.uncertainty",
    "SensitivityOutput": "dealcraft.service.uncertainty",
    "calibrate": "dealcraft.service.uncertainty",
    "robust": "dealcraft.service.uncertainty",
    "sensitivity": "dealcraft.service.uncertainty",
    "EvidenceCheckOutput": "dealcraft.service.evidence",
    "EvidenceSearchOutput": "dealcraft.service.evidence",
    "EvidenceShowOutput": "dealcraft.service.evidence",
    "EvidenceSuggestOutput": "dealcraft.service.evidence",
    "EvidenceWarnings": "dealcraft.service.evidence",
    "evidence_check": "dealcraft.service.evidence",
    "evidence_search": "dealcraft.service.evidence",
    "evidence_show": "dealcraft.service.evidence",
    "evidence_suggest": "dealcraft.service.evidence",
    "evidence_warnings": "dealcraft.service.evidence",
}
__all__ = [
    "AnalyzeOutput",
    "BridgeOutput",
    "CalibrateOutput",
    "EvaluateOutput",
    "EvidenceCheckOutput",
    "EvidenceSearchOutput",
    "EvidenceShowOutput",
    "EvidenceSuggestOutput",
    "EvidenceWarnings",
    "RoadmapOutput",
    "RobustOutput",
    "SILENT",
    "SensitivityOutput",
    "SimulateOutput",
    "Tracker",
    "analysis_json",
    "analyze",
    "bridge",
    "calibrate",
    "evaluate",
    "evidence_check",
    "evidence_search",
    "evidence_show",
    "evidence_suggest",
    "evidence_warnings",
    "json_text",
    "roadmap",
    "robust",
    "sensitivity",
    "simulate",
]

if TYPE_CHECKING:
    from dealcraft.service.analysis import AnalyzeOutput, analysis_json, analyze
    from dealcraft.service.bargaining import SimulateOutput, simulate
    from dealcraft.service.evidence import (
        EvidenceCheckOutput,
        EvidenceSearchOutput,
        EvidenceShowOutput,
        EvidenceSuggestOutput,
        EvidenceWarnings,
        evidence_check,
        evidence_search,
        evidence_show,
        evidence_suggest,
        evidence_warnings,
    )
    from dealcraft.service.output import json_text
    from dealcraft.service.package import BridgeOutput, EvaluateOutput, bridge, evaluate
    from dealcraft.service.progress import SILENT, Tracker
    from dealcraft.service.sequencing import RoadmapOutput, roadmap
    from dealcraft.service.uncertainty import (
        CalibrateOutput,
        RobustOutput,
        SensitivityOutput,
        calibrate,
        robust,
        sensitivity,
    )


__getattr__ = lazy_exports(__name__, _HOMES)
