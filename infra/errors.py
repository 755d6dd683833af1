"""Problems the user fixes in their files: synth prints the message, without a trace, and stops."""


class StopSynth(Exception):
    """Raised while building the app; `app.py` prints str(error) and exits 1."""
