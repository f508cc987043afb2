"""Work on independent batches in several threads, results in input order.

The heavy per-batch steps of a scan (analysing a batch of pages for the
boilerplate scorer, the character n-gram rows of a block of documents) are
numpy and scipy operations on large arrays, which release the GIL: threads
run them side by side without copying the corpus into other processes.
:func:`ordered_map` hands out the batches and gives their results back in
input order, so whatever consumes them sees exactly what one thread would
give: the output does not depend on ``n_jobs``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from numbers import Integral
from typing import TypeVar

from ._validation import Interval, check_param

__all__ = ["N_JOBS", "ordered_map", "resolve_jobs"]

#: ``n_jobs``: None (one thread), a count, or -1 for every CPU, -2 for all but one, ...
N_JOBS = [Interval(Integral, 1, None, closed="left"), Interval(Integral, None, -1, closed="right"), None]

_In = TypeVar("_In")
_Out = TypeVar("_Out")


def _cpus() -> int:
    """CPUs this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_jobs(n_jobs: int | None) -> int:
    """Threads for ``n_jobs``: None is 1, -1 every CPU, -2 all but one, ... (at least 1)."""
    check_param("n_jobs", n_jobs, N_JOBS)
    if n_jobs is None:
        return 1
    return int(n_jobs) if n_jobs > 0 else max(_cpus() + 1 + int(n_jobs), 1)


def ordered_map(fn: Callable[[_In], _Out], items: Iterable[_In], n_jobs: int | None) -> Iterator[_Out]:
    """``fn(item)`` for every item, in input order, computed in ``n_jobs`` threads.

    At most two results per thread wait to be consumed, so memory holds a few
    batches, not the corpus.  An error raised by ``fn`` is raised here, at
    its item.
    """
    jobs = resolve_jobs(n_jobs)
    if jobs == 1:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[_Out]] = deque()
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
