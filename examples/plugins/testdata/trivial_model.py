#!/usr/bin/python3
"""A model plugin that does no work (uniform probabilities), for timing the protocol
and the Python helper: BenchmarkPythonRoundTrip in ../plugins_test.go."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "python"))
from albench_plugin import serve_model  # noqa: E402


class Trivial:
    def __init__(self, classes):
        self.k = classes

    def fit(self, x, y):
        return self

    def predict_proba(self, x):
        return np.full((len(x), self.k), 1.0 / self.k)


serve_model(lambda params, seed, trial: Trivial(trial["classes"] if trial else 2), name="trivial")
