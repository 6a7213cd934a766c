"""Benchmarks (not timed tests): `make bench` runs them all and prints one table each."""
