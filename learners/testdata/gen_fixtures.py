#!/usr/bin/python3
"""Generate the scikit-learn fixtures of the learners/* packages.

Run from the repository root:  /usr/bin/python3 learners/testdata/gen_fixtures.py

For each dataset (iris, wine, breast_cancer from /work/shared/datasets, and
make_moons(n_samples=200, noise=0.2, random_state=0)) the features are standardized
(mean 0, population std 1 over the whole dataset), rounded to 4 decimals so the JSON
stays small and exact, and split by a fixed permutation into at most 150 training
rows and a held-out set. Each learner package gets testdata/<dataset>.json holding
the data and scikit-learn's outputs on the held-out rows.
"""
import json
import os
import sys

import numpy as np
import scipy
import sklearn
from scipy import optimize
from sklearn.datasets import make_moons
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model._linear_loss import LinearModelLoss
from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SHARED = "/work/shared/datasets"

# name -> (training rows, held-out rows)
SIZES = {"iris": (100, 50), "wine": (118, 60), "breast_cancer": (100, 50), "moons": (140, 60)}


def load(name):
    if name == "moons":
        x, y = make_moons(n_samples=200, noise=0.2, random_state=0)
    else:
        raw = np.genfromtxt(os.path.join(SHARED, name + ".csv"), delimiter=",", names=True)
        cols = raw.dtype.names
        assert cols[-1] == "label", cols
        x = np.column_stack([raw[c] for c in cols[:-1]])
        y = raw["label"].astype(int)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    x = np.round(x, 4)
    perm = np.random.RandomState(0).permutation(len(y))
    ntr, nte = SIZES[name]
    tr, te = perm[:ntr], perm[ntr:ntr + nte]
    return x[tr], y[tr], x[te], y[te]


def lists(a):
    return np.asarray(a, dtype=float).tolist()


def recent_lbfgs(x, y, classes, C, tol, max_iter):
    """LogisticRegression(solver='lbfgs') as scikit-learn >= 1.4 runs it.

    Those versions scale the objective by 1/n (sample weights 1/n, L2 strength
    1/(C n)) and call L-BFGS-B with gtol=tol, ftol=64 eps, maxls=50. The installed
    scikit-learn (1.2) sums the losses instead, so its own fit would stop at a
    different point for the same tol; this reproduces the recent code path with
    the installed loss objects.
    """
    n, d = x.shape
    sw = np.full(n, 1.0 / n)
    if classes == 2:
        loss = LinearModelLoss(base_loss=HalfBinomialLoss(), fit_intercept=True)
        w0 = np.zeros(d + 1)
        target = y.astype(float)
    else:
        loss = LinearModelLoss(base_loss=HalfMultinomialLoss(n_classes=classes), fit_intercept=True)
        w0 = np.zeros((classes, d + 1), order="F").ravel(order="F")
        target = y.astype(float)
    res = optimize.minimize(
        loss.loss_gradient, w0, method="L-BFGS-B", jac=True,
        args=(x, target, sw, 1.0 / (C * n), 1),
        options={"maxiter": max_iter, "maxls": 50, "gtol": tol, "ftol": 64 * np.finfo(float).eps})
    if classes == 2:
        coef, icpt = res.x[:d].reshape(1, d), res.x[d:]
    else:
        w = res.x.reshape((classes, d + 1), order="F")
        coef, icpt = w[:, :d], w[:, d]
    return coef, icpt, int(res.nit)


def optimum(x, y, classes, C):
    n, d = x.shape
    if classes == 2:
        loss = LinearModelLoss(base_loss=HalfBinomialLoss(), fit_intercept=True)
        w0 = np.zeros(d + 1)
    else:
        loss = LinearModelLoss(base_loss=HalfMultinomialLoss(n_classes=classes), fit_intercept=True)
        w0 = np.zeros(classes * (d + 1))
    args = (x, y.astype(float), np.ones(n), 1.0 / C, 1)
    res = optimize.minimize(loss.loss_gradient, w0, method="L-BFGS-B", jac=True, args=args,
                            options={"maxiter": 100000, "maxls": 50, "gtol": 1e-10, "ftol": 0.0})
    gmax = float(np.abs(loss.loss_gradient(res.x, *args)[1]).max())
    if classes == 2:
        return res.x[:d].reshape(1, d), res.x[d:], gmax
    w = res.x.reshape((classes, d + 1), order="F")
    return w[:, :d], w[:, d], gmax


def logreg_probs(coef, icpt, x):
    z = x @ coef.T + icpt
    if coef.shape[0] == 1:
        p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
        return np.column_stack([1 - p1, p1]), z
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True), x @ coef.T + icpt


def logreg_cases(xtr, ytr, xte, classes):
    cases = []
    for C in (1.0, 0.1):
        # The optimum itself: the unscaled objective (sum of losses + |w|^2/(2C)), run
        # until its gradient is below 1e-9 with the function test disabled.
        coef, icpt, gmax = optimum(xtr, ytr, classes, C)
        assert gmax < 1e-7, gmax
        p, z = logreg_probs(coef, icpt, xte)
        est = LogisticRegression(C=C, tol=1e-12, max_iter=100000).fit(xtr, ytr)
        # The installed estimator stops earlier (its ftol test); report how far.
        print("  C=%g: installed LogisticRegression(tol=1e-12) vs optimum: coef %.1e probs %.1e"
              % (C, np.abs(est.coef_ - coef).max(), np.abs(est.predict_proba(xte) - p).max()))
        cases.append({
            "C": C, "tol": 1e-10, "max_iter": 100000, "kind": "optimum", "max_grad": gmax,
            "coef": lists(coef), "intercept": lists(icpt),
            "probs": lists(p), "pred": np.argmax(p, axis=1).tolist(), "decision": lists(z),
        })
        # Default tol and max_iter through the recent (1/n-scaled) code path.
        coef, icpt, nit = recent_lbfgs(xtr, ytr, classes, C, 1e-4, 100)
        p, z = logreg_probs(coef, icpt, xte)
        cases.append({
            "C": C, "tol": 1e-4, "max_iter": 100, "kind": "recent_default", "n_iter": nit,
            "coef": lists(coef), "intercept": lists(icpt),
            "probs": lists(p), "pred": np.argmax(p, axis=1).tolist(), "decision": lists(z),
        })
    # max_iter reached: three iterations at C = 1.
    coef, icpt, nit = recent_lbfgs(xtr, ytr, classes, 1.0, 1e-4, 3)
    p, z = logreg_probs(coef, icpt, xte)
    cases.append({
        "C": 1.0, "tol": 1e-4, "max_iter": 3, "kind": "recent_max_iter", "n_iter": nit,
        "coef": lists(coef), "intercept": lists(icpt),
        "probs": lists(p), "pred": np.argmax(p, axis=1).tolist(), "decision": lists(z),
    })
    return cases


def lda_cases(xtr, ytr, xte, classes):
    m = LinearDiscriminantAnalysis(solver="svd").fit(xtr, ytr)
    return [{"tol": 1e-4, "probs": lists(m.predict_proba(xte)), "pred": m.predict(xte).tolist(),
             "decision": lists(np.atleast_2d(m.decision_function(xte).T).T),
             "coef": lists(m.coef_), "intercept": lists(m.intercept_)}]


def nb_cases(xtr, ytr, xte, classes):
    m = GaussianNB(var_smoothing=1e-9).fit(xtr, ytr)
    return [{"var_smoothing": 1e-9, "probs": lists(m.predict_proba(xte)),
             "pred": m.predict(xte).tolist(), "theta": lists(m.theta_), "var": lists(m.var_),
             "jll": lists(m.predict_joint_log_proba(xte)) if hasattr(m, "predict_joint_log_proba") else None}]


def knn_cases(xtr, ytr, xte, classes, ks=(1, 5, 15)):
    cases = []
    for k in ks:
        for w in ("uniform", "distance"):
            m = KNeighborsClassifier(n_neighbors=k, weights=w, algorithm="brute").fit(xtr, ytr)
            for on, xq in (("test", xte), ("train", xtr)):
                dist, ind = m.kneighbors(xq)
                cases.append({"n_neighbors": k, "weights": w, "on": on,
                              "probs": lists(m.predict_proba(xq)), "pred": m.predict(xq).tolist(),
                              "neighbors": ind.tolist()})
    return cases


def main():
    print("scikit-learn", sklearn.__version__, "scipy", scipy.__version__, "numpy", np.__version__)
    gens = {"logreg": logreg_cases, "lda": lda_cases, "gaussiannb": nb_cases, "knn": knn_cases}
    for name in SIZES:
        xtr, ytr, xte, yte = load(name)
        classes = int(max(ytr.max(), yte.max())) + 1
        for pkg, gen in gens.items():
            doc = {"generator": "learners/testdata/gen_fixtures.py",
                   "sklearn": sklearn.__version__, "dataset": name, "classes": classes,
                   "x_train": lists(xtr), "y_train": ytr.tolist(), "x_test": lists(xte),
                   "cases": gen(xtr, ytr, xte, classes)}
            path = os.path.join(ROOT, pkg, "testdata", name + ".json")
            with open(path, "w") as f:
                json.dump(doc, f, separators=(",", ":"))
                f.write("\n")
            print(path, os.path.getsize(path))
    # kNN ties: a 1-D integer grid where many neighbours are equidistant.
    xtr = np.array([[0.0], [2.0], [1.0], [1.0], [3.0], [-1.0], [2.0], [0.0], [4.0], [1.0]])
    ytr = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 1])
    xte = np.array([[1.0], [0.5], [1.5], [2.5], [-3.0], [10.0], [0.0]])
    doc = {"generator": "learners/testdata/gen_fixtures.py", "sklearn": sklearn.__version__,
           "dataset": "ties", "classes": 3, "x_train": lists(xtr), "y_train": ytr.tolist(),
           "x_test": lists(xte), "cases": knn_cases(xtr, ytr, xte, 3, ks=(1, 2, 3, 4, 5))}
    path = os.path.join(ROOT, "knn", "testdata", "ties.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(path, os.path.getsize(path))


if __name__ == "__main__":
    sys.exit(main())
