"""Compiled kernels called from Python, their named groups crossing over as plain tuples.

Numba types every argument of every call. For a NamedTuple it reads the class's name and
encodes the name of each field, every time: about 0.45 us a group and 0.04 us a field more than
for a plain tuple of the same arrays (measured here, Numba 0.68). The kernels of a day take about
150 arrays in named groups: calling them cost a year of ``typical_county`` about 12 ms (measured
by calling a kernel that does nothing with the same arguments), against 2 ms for the positional
arrays of the kernels before the groups. A kernel declared with
:func:`kernel` is called with its named groups as before, hands them to the compiled code as
plain tuples, and names them again in its first lines (``queues = Queues(*queues)``), which
costs nothing once compiled and changes nothing when it is given the named groups themselves
(from another kernel, or a test).
"""

from __future__ import annotations

import functools
import inspect

import numba


def kernel(fn):
    """Compile ``fn`` (cached on disk); called from Python, its tuple arguments go as plain tuples.

    Arguments may be given by position or by name. ``fn`` must name each group again before
    reading it (``Group(*group)``); the compiled function itself is ``.compiled``.
    """
    compiled = numba.njit(cache=True)(fn)
    names = tuple(inspect.signature(fn).parameters)

    @functools.wraps(fn)
    def call(*args, **kwargs):
        if kwargs:
            if len(args) + len(kwargs) != len(names):
                raise TypeError(f"{fn.__name__}() takes {', '.join(names)}; got "
                                f"{len(args)} by position and {', '.join(kwargs)} by name")
            args += tuple(map(kwargs.__getitem__, names[len(args):]))
        return compiled(*[tuple(a) if isinstance(a, tuple) else a for a in args])

    call.compiled = compiled
    return call
