"""``python -m sim``: see :mod:`sim.runners.cli`."""

from sim.runners.cli import main

if __name__ == "__main__":
    main()
