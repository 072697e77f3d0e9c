"""Other tools' negotiation formats, in and out (GENIUS XML so far)."""
