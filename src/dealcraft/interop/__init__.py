"""Other tools' negotiation formats, in and out (GENIUS XML so far)."""

# Nothing is re-exported: import the format modules directly.
__all__: list[str] = []
