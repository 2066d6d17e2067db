"""``python -m sim.bench``: the command; the code is :mod:`sim.analysis.bench`."""

from sim.analysis.bench import main

if __name__ == "__main__":
    raise SystemExit(main())
