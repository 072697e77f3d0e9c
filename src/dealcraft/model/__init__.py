"""Model layer: the scenario file format, its validation and its compiled numeric form."""
