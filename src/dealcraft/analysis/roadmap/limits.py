"""Solver limits shared by the roadmap analysis and the command line (no solver import here)."""

EXACT_UP_TO = 10  # steps: "auto" uses the exact DP up to here, CP-SAT above
DEFAULT_TIME_LIMIT = 20.0  # CP-SAT seconds for all stages together
DEFAULT_THREADS = 1  # CP-SAT search workers
