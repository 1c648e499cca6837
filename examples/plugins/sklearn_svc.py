#!/usr/bin/python3
"""scikit-learn's SVC as an albench model plugin.

The config's params are SVC's keyword arguments, for example
    model: {kind: external, command: [python3, sklearn_svc.py], params: {kernel: rbf, C: 1, gamma: auto}}
Without probability: true the plugin declares decision_function and predict (no
predict_proba), so test accuracy is libsvm's own vote and margin ranks by decision
values, exactly as albench's svm learner does.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from albench_plugin import serve_model  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

serve_model(lambda params, seed: SVC(**params, random_state=seed % 2**32), name="sklearn-svc")
