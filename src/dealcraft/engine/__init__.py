"""Engine: vectorised numpy computations over the package space. No pydantic in here."""
