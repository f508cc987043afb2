"""Optional dependencies, imported only when a feature needs them."""

from __future__ import annotations

from types import ModuleType

__all__ = ["require_pandas"]


def require_pandas() -> ModuleType:
    """Import pandas, or raise an ImportError that names the extra to install."""
    try:
        import pandas
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "this feature needs pandas; install it with `pip install spindetect[pandas]`"
        ) from err
    return pandas
