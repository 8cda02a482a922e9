"""`make bench`: the performance benchmark of issue 9 (not a test suite: pytest never
collects it, `.ci/run` never runs it). Run ``python -m bench --help``."""
