"""``python -m sim.explore``: the command; the code is :mod:`sim.analysis.explore`."""

from sim.analysis.explore import main

if __name__ == "__main__":
    raise SystemExit(main())
