"""Analyses built on the engine: evaluation, proposals, bridges, observations, roadmaps..."""
