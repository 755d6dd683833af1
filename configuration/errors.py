"""The one error a configuration raises."""


class ConfigError(ValueError):
    """One line: the context key, what it must be, what it was."""
