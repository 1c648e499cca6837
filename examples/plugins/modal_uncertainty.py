#!/usr/bin/python3
"""A modAL-style query strategy as an albench strategy plugin.

modAL users write a query strategy as a function of the classifier and the pool,
returning the indices (into X_pool) of the instances to label:

    def uncertainty_sampling(classifier, X_pool, n_instances=1): ...

albench owns the model, so the plugin asks for the model's probabilities on the
unlabeled rows (needs: probabilities) and hands the query function a stand-in
classifier whose predict_proba answers with them. params.measure picks the query
function: uncertainty (least confidence, 1 - max p), margin (p1 - p2, smallest
first) or entropy. Ties go to the earlier unlabeled row (albench's own strategies
break ties by a random permutation; with continuous probabilities ties are rare).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from albench_plugin import serve_strategy  # noqa: E402


# --- written as in modAL (modAL.uncertainty), on any classifier with predict_proba ---

def multi_argmax(values, n_instances=1):
    """The indices of the n_instances largest values, largest first (stable on ties)."""
    return np.argsort(-values, kind="stable")[:n_instances]


def classifier_uncertainty(classifier, X):
    return 1 - np.max(classifier.predict_proba(X), axis=1)


def classifier_margin(classifier, X):
    p = classifier.predict_proba(X)
    if p.shape[1] == 1:
        return np.zeros(len(p))
    top2 = -np.partition(-p, 1, axis=1)[:, :2]
    return top2[:, 0] - top2[:, 1]


def classifier_entropy(classifier, X):
    p = classifier.predict_proba(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.where(p > 0, p * np.log(p), 0.0).sum(axis=1)


def uncertainty_sampling(classifier, X_pool, n_instances=1):
    idx = multi_argmax(classifier_uncertainty(classifier, X_pool), n_instances)
    return idx, X_pool[idx]


def margin_sampling(classifier, X_pool, n_instances=1):
    idx = multi_argmax(-classifier_margin(classifier, X_pool), n_instances)
    return idx, X_pool[idx]


def entropy_sampling(classifier, X_pool, n_instances=1):
    idx = multi_argmax(classifier_entropy(classifier, X_pool), n_instances)
    return idx, X_pool[idx]


QUERIES = {"uncertainty": uncertainty_sampling, "margin": margin_sampling, "entropy": entropy_sampling}


# --- the albench side: ten lines ---

class Answered:
    """A classifier whose predict_proba is albench's answer for the unlabeled rows."""

    def __init__(self, probabilities):
        self.p = probabilities

    def predict_proba(self, X):
        assert len(X) == len(self.p)
        return self.p


def select(pool, unlabeled, labeled, labels, batch, rng, probabilities, params):
    query = QUERIES[params.get("measure", "uncertainty")]
    idx, _ = query(Answered(probabilities), pool[unlabeled], n_instances=batch)
    return unlabeled[idx]


serve_strategy(select, needs=["probabilities"], name="modal-uncertainty")
