"""``python -m sim.calibrate FILE.yaml``: the command; see :mod:`sim.analysis.calibrate`."""

from sim.analysis.calibrate import main

if __name__ == "__main__":
    raise SystemExit(main())
