"""Parameter constraints checked in ``fit``, and the not-fitted check, in one place.

Each estimator declares ``_parameter_constraints``: for every ``__init__``
parameter, the list of constraints any one of which the value may meet, in the
manner of scikit-learn's own (``sklearn.utils._param_validation`` is private,
so this is a small one of ours).  A constraint is

- an :class:`Interval` (``Interval(Integral, 1, None, closed="left")``: an int >= 1);
- an :class:`Options` (a value among a few);
- a type (``bool``, ``str``, :class:`~spindetect.text.normalize.NormConfig`, ...);
- ``None`` (the value may be None).

:func:`validate_params` raises :class:`InvalidParameterError` naming the
parameter, the value and what was expected.  :func:`check_fitted` wraps
scikit-learn's public :func:`~sklearn.utils.validation.check_is_fitted`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any, Literal

from sklearn.utils.validation import check_is_fitted

__all__ = ["Interval", "Options", "InvalidParameterError", "validate_params", "check_fitted", "check_texts", "reject_bare_str"]


class InvalidParameterError(ValueError, TypeError):
    """A parameter has a value of the wrong type or out of its range.

    Both a ValueError and a TypeError, as scikit-learn's own, so callers that
    catch either keep working.
    """


@dataclass(frozen=True)
class Interval:
    """Numbers of a type between two bounds (None: unbounded).

    Parameters
    ----------
    kind : type
        ``numbers.Integral`` or ``numbers.Real`` (bools are never numbers here).
    left, right : float or None
        Bounds.
    closed : {"left", "right", "both", "neither"}
        Which bounds belong to the interval.
    """

    kind: type
    left: float | None
    right: float | None
    closed: Literal["left", "right", "both", "neither"] = "both"

    def __contains__(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, self.kind):
            return False
        x = float(value)  # type: ignore[arg-type]  # a Real or Integral by the check above
        if math.isnan(x):
            return False
        if self.left is not None and (x < self.left or (x == self.left and self.closed in ("right", "neither"))):
            return False
        if self.right is not None and (x > self.right or (x == self.right and self.closed in ("left", "neither"))):
            return False
        return True

    def __str__(self) -> str:
        what = "an int" if self.kind is Integral else "a number"
        if self.right is None and self.left is not None:
            return f"{what} {'>=' if self.closed in ('left', 'both') else '>'} {self.left:g}"
        if self.left is None and self.right is not None:
            return f"{what} {'<=' if self.closed in ('right', 'both') else '<'} {self.right:g}"
        lo = "[" if self.closed in ("left", "both") else "("
        hi = "]" if self.closed in ("right", "both") else ")"
        left = "-inf" if self.left is None else f"{self.left:g}"
        right = "inf" if self.right is None else f"{self.right:g}"
        return f"{what} in {lo}{left}, {right}{hi}"


@dataclass(frozen=True)
class Options:
    """One of a few values."""

    values: tuple[Any, ...]

    def __contains__(self, value: object) -> bool:
        return any(value == v and type(value) is type(v) for v in self.values)

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


Constraint = Any  # Interval | Options | type | None


def _satisfies(value: object, constraint: Constraint) -> bool:
    if constraint is None:
        return value is None
    if isinstance(constraint, (Interval, Options)):
        return value in constraint
    if constraint is bool:
        return isinstance(value, bool)
    return isinstance(value, constraint)


def _describe(constraint: Constraint) -> str:
    if constraint is None:
        return "None"
    if isinstance(constraint, (Interval, Options)):
        return str(constraint)
    return f"a {constraint.__name__}"


def check_param(name: str, value: object, constraints: Sequence[Constraint], owner: str = "") -> None:
    """Raise :class:`InvalidParameterError` unless ``value`` meets one of ``constraints``.

    Parameters
    ----------
    name : str
        Parameter name, used in the message.
    value : object
        Its value.
    constraints : sequence
        Interval, Options, type or None; meeting any one is enough.
    owner : str, optional
        Class or function the parameter belongs to, used in the message.
    """
    if any(_satisfies(value, c) for c in constraints):
        return
    expected = " or ".join(_describe(c) for c in constraints)
    where = f"{owner}: " if owner else ""
    raise InvalidParameterError(f"{where}{name} must be {expected}, got {value!r}")


def validate_params(estimator: Any, constraints: Mapping[str, Sequence[Constraint]] | None = None) -> None:
    """Check every parameter of ``estimator`` against its ``_parameter_constraints``.

    Parameters
    ----------
    estimator : object
        An estimator with a ``_parameter_constraints`` class attribute (or pass
        ``constraints``); parameters without a constraint are not checked.
    constraints : mapping of str to sequence, optional
        Constraints to use instead of the estimator's.

    Raises
    ------
    InvalidParameterError
        Naming the estimator, the parameter, the value and the expected range.
    """
    table = estimator._parameter_constraints if constraints is None else constraints
    owner = type(estimator).__name__
    for name, allowed in table.items():
        check_param(name, getattr(estimator, name), allowed, owner)


def check_fitted(estimator: Any, attributes: str | Iterable[str], how: str = "call fit() first") -> None:
    """Raise :class:`~sklearn.exceptions.NotFittedError` unless ``estimator`` has ``attributes``.

    Parameters
    ----------
    estimator : object
        The estimator.
    attributes : str or iterable of str
        Attributes that :meth:`fit` sets.
    how : str, default="call fit() first"
        What to do about it, for the message.
    """
    names = [attributes] if isinstance(attributes, str) else list(attributes)
    check_is_fitted(
        estimator,
        names,
        msg=f"This %(name)s instance is not fitted yet ({', '.join(names)} not set); {how}.",
    )


def reject_bare_str(texts: object, owner: str) -> None:
    """Raise ``TypeError`` when ``texts`` is one str (or bytes) rather than a sequence of texts.

    A bare ``str`` is a sequence of characters: iterating it would treat every
    character as a document, silently.
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"{owner} expects a sequence of texts, not a single str")


def check_texts(texts: object, owner: str) -> list[str]:
    """``texts`` as a list after checking that it is a sequence of ``str``.

    Parameters
    ----------
    texts : iterable of str
        The documents (a list is returned as is, any other iterable copied).
    owner : str
        Function or method the texts were given to, used in the message.

    Returns
    -------
    list of str

    Raises
    ------
    TypeError
        If ``texts`` is a single ``str`` (or bytes), or names the first
        document that is not a ``str``.
    """
    reject_bare_str(texts, owner)
    out = texts if isinstance(texts, list) else list(texts)  # type: ignore[call-overload]
    for i, t in enumerate(out):
        if not isinstance(t, str):
            raise TypeError(f"{owner}: document {i} is {type(t).__name__}, not str")
    return out
