#!/usr/bin/python3
"""Fixtures for albench/learners/svm from scikit-learn's SVC (libsvm).

Run from the repository root or anywhere:
    /usr/bin/python3 learners/svm/testdata/gen_fixtures.py
It reads /work/shared/datasets/{iris,wine,breast_cancer}.csv (label column
"label"), standardizes the features (mean 0, std 1 over the whole set), splits
70/30 stratified with random_state=0, and writes one JSON file per dataset with
the data and, per SVC setting, what scikit-learn computes. Also platt.json: a
reference Platt fit by scipy on fixed decision values.
"""
import json
import os
import sys

import numpy as np
import scipy
import scipy.optimize
import sklearn
from sklearn.datasets import make_moons
from sklearn.metrics.pairwise import linear_kernel, polynomial_kernel, rbf_kernel
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = "/work/shared/datasets"

SETTINGS = [
    ("rbf_auto", dict(kernel="rbf", gamma="auto", C=1.0)),
    ("rbf_scale", dict(kernel="rbf", gamma="scale", C=1.0)),
    ("linear", dict(kernel="linear", C=0.5)),
    ("poly", dict(kernel="poly", degree=3, coef0=1.0, C=1.0)),
]


def load(name):
    if name == "moons":
        return make_moons(n_samples=200, noise=0.2, random_state=0)
    with open(os.path.join(SRC, name + ".csv")) as f:
        header = f.readline().strip().split(",")
    assert header[-1] == "label", header
    d = np.loadtxt(os.path.join(SRC, name + ".csv"), delimiter=",", skiprows=1)
    x, y = d[:, :-1], d[:, -1].astype(int)
    std = x.std(axis=0)
    std[std == 0] = 1
    return (x - x.mean(axis=0)) / std, y


def kernel_matrix(clf, a, b):
    g = clf._gamma
    if clf.kernel == "linear":
        return linear_kernel(a, b)
    if clf.kernel == "poly":
        return polynomial_kernel(a, b, degree=clf.degree, gamma=g, coef0=clf.coef0)
    return rbf_kernel(a, b, gamma=g)


def pairs_of(clf, xtr):
    """Per binary problem (i, j): its support vectors (training rows) and libsvm
    coefficients alpha*y (class i = +1), and the dual objective."""
    k = len(clf.classes_)
    nsv = clf.n_support_
    start = np.concatenate([[0], np.cumsum(nsv)])
    out = []
    p = 0
    # clf._dual_coef_ and clf._intercept_ are libsvm's unflipped values
    dc = clf._dual_coef_
    for i in range(k):
        for j in range(i + 1, k):
            ci = dc[j - 1, start[i]:start[i + 1]]
            cj = dc[i, start[j]:start[j + 1]]
            idx = np.concatenate([clf.support_[start[i]:start[i + 1]], clf.support_[start[j]:start[j + 1]]])
            coef = np.concatenate([ci, cj])
            keep = coef != 0
            idx, coef = idx[keep], coef[keep]
            kk = kernel_matrix(clf, xtr[idx], xtr[idx])
            obj = 0.5 * coef @ kk @ coef - np.abs(coef).sum()
            out.append(dict(i=i, j=j, support=idx.tolist(), coef=coef.tolist(),
                            rho=float(-clf._intercept_[p]), objective=float(obj)))
            p += 1
    return out


def case(name, params, xtr, ytr, xte, prob=False):
    clf = SVC(probability=prob, random_state=0, **params).fit(xtr, ytr)
    c = dict(name=name, params=params, gamma=float(clf._gamma),
             support=clf.support_.tolist(), intercept=clf.intercept_.tolist(),
             n_iter=np.atleast_1d(clf.n_iter_).tolist(),
             decision=clf.decision_function(xte).tolist(),
             predict=clf.predict(xte).tolist(), pairs=pairs_of(clf, xtr))
    if len(clf.classes_) > 2:
        clf.decision_function_shape = "ovo"
        c["decision_ovo"] = clf.decision_function(xte).tolist()
    if prob:
        c["probability"] = True
        c["predict_proba"] = clf.predict_proba(xte).tolist()
        c["probA"] = clf.probA_.tolist()
        c["probB"] = clf.probB_.tolist()
    return c


def platt_reference():
    """Decision values and labels with the minimiser of the smoothed Platt
    cross-entropy found by scipy (an independent solver)."""
    x, y = load("breast_cancer")
    clf = SVC(kernel="rbf", gamma="auto").fit(x[::2], y[::2])
    f = -clf.decision_function(x[1::2])  # libsvm sign: positive => class 0
    lab = np.where(y[1::2] == 0, 1, -1)
    n1 = (lab > 0).sum()
    n0 = len(lab) - n1
    t = np.where(lab > 0, (n1 + 1) / (n1 + 2), 1 / (n0 + 2))

    def F(ab):
        z = f * ab[0] + ab[1]
        return np.sum(t * z + np.logaddexp(0, -z))

    def G(ab):
        z = f * ab[0] + ab[1]
        p = 1 / (1 + np.exp(z))
        return np.array([np.sum(f * (t - p)), np.sum(t - p)])

    r = scipy.optimize.minimize(F, [0.0, np.log((n0 + 1) / (n1 + 1))], jac=G,
                                method="BFGS", options=dict(gtol=1e-10))
    return dict(dec=f.tolist(), label=lab.tolist(), A=float(r.x[0]), B=float(r.x[1]),
                grad=G(r.x).tolist())


def main():
    for ds in ["iris", "wine", "breast_cancer", "moons"]:
        x, y = load(ds)
        xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.3, random_state=0, stratify=y)
        cases = [case(n, p, xtr, ytr, xte) for n, p in SETTINGS]
        if ds in ("iris", "breast_cancer"):
            cases.append(case("rbf_scale_prob", dict(kernel="rbf", gamma="scale", C=1.0),
                              xtr, ytr, xte, prob=True))
        out = dict(dataset=ds, classes=int(y.max()) + 1, x_train=xtr.tolist(),
                   y_train=ytr.tolist(), x_test=xte.tolist(), y_test=yte.tolist(),
                   sklearn=sklearn.__version__, cases=cases)
        with open(os.path.join(HERE, ds + ".json"), "w") as f:
            json.dump(out, f)
    with open(os.path.join(HERE, "platt.json"), "w") as f:
        json.dump(platt_reference(), f)
    print("wrote fixtures with scikit-learn", sklearn.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()
