"""Analysis: comparing sweeps, sensitivity, the benchmark and its naive baseline, Erlang C."""
