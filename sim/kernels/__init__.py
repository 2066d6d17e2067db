"""Compiled kernels (Numba): the working day and the departments' answers, on named arrays."""
