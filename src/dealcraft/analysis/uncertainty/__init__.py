"""Honest uncertainty: Monte Carlo over the judgment numbers, robust proposals, sensitivity,
calibration on observations; sample batches run in-process or on Dask."""

from dealcraft.analysis.backend import backend
from dealcraft.analysis.uncertainty.calibrate import CalibrationResult, calibrate
from dealcraft.analysis.uncertainty.robust import RobustResult, robust
from dealcraft.analysis.uncertainty.sensitivity import SensitivityResult, sensitivity
from dealcraft.engine.sampling import ParameterSpace

__all__ = [
    "CalibrationResult",
    "ParameterSpace",
    "RobustResult",
    "SensitivityResult",
    "backend",
    "calibrate",
    "robust",
    "sensitivity",
]
