"""``python -m sim.province aggregate DIR``: the command; see :mod:`sim.runners.province`."""

from sim.runners.province import main

if __name__ == "__main__":
    raise SystemExit(main())
