"""Benchmarks run by `make bench`: a province-scale data set in a scratch database, figures as ratios."""
