"""``python -m sim.sensitivity``: the command; the code is :mod:`sim.analysis.sensitivity`."""

from sim.analysis.sensitivity import main

if __name__ == "__main__":
    raise SystemExit(main())
