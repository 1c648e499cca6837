#!/usr/bin/env python3
"""The PyTorch side of `make compare`: albench's two protocols written the way a
PyTorch user writes them, single-threaded, timing only the active-learning loop.

Usage:
    python3 compare/torch_al.py --config compare/sound.yaml [--seeds 5]
    python3 compare/torch_al.py --standardize --batch 10 --budget 100 \
        --optimizer adam --epochs 200 --no-warm-start --dropout 0.1 \
        --strategies random,least_confidence --seeds 5 --protocol sound

--config needs PyYAML (Debian: python3-yaml); without it, give the protocol as flags
(their defaults are configs/tutorial.yaml's). Flags given with --config override it.

Per trial (dataset seed s, strategy q) it does what albench's trial does
(design §3): scikit-learn's make_classification(random_state=s); a stratified
hold-out (train_test_split(stratify=y)); StandardScaler fitted on the pool if asked;
`initial` labels drawn uniformly from the pool; a 20-32-16-2 ReLU MLP with dropout
after each hidden activation when the config has it (where albench puts it), in
float64 as albench computes; then rounds 0..budget/batch of: train on the labeled
set (full batch, CrossEntropyLoss), evaluate test accuracy, and, but in the last
round, query `batch` points by least confidence (1 - max softmax over the unlabeled
pool, whole-pool tensor operations, topk), margin or entropy (likewise), uniformly
at random, by coreset (k-center greedy on the penultimate-layer embeddings, the
labeled rows the initial centres, distances by ‖a‖² + ‖b‖² − 2a·b matrix products
and a running minimum) or by badge (k-means++ seeding on the last-layer gradient
embeddings (p − e_ŷ) ⊗ h, first the longest, then torch.multinomial on D²), as
albench's strategies/coreset.go and badge.go define them.

Training follows the config: warm start keeps one net and one optimizer for the
whole trial (the tutorial: SGD, one step per round); without warm start each round
restarts from the trial's initial weights with a fresh optimizer (the sound
protocol: Adam, 200 full-batch epochs).

The data are scikit-learn's, not albench's (albench ports the generator with its own
random streams), so the two sides see different draws of the same distribution:
mean final accuracies should agree within noise, per-seed values will not.

Prints one JSON line per trial:
    {"protocol", "strategy", "seed", "seconds", "accuracy", "query_seconds"}
seconds covers the round loop only (not imports, data generation, the split or
building the net), as albench's timings.csv does; query_seconds is the part of it
spent choosing the queries (albench's query_ms).
"""

import argparse
import json
import sys
import time


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", help="an albench YAML config (needs PyYAML)")
    ap.add_argument("--protocol", help="label printed in the output (default: the config's name, else 'tutorial')")
    ap.add_argument("--seeds", type=int, help="run seeds 0..N-1 (default: the config's, else 20)")
    ap.add_argument("--strategies", help="comma-separated: random, least_confidence, margin, entropy, coreset, badge")
    ap.add_argument("--n-samples", type=int)
    ap.add_argument("--n-features", type=int)
    ap.add_argument("--n-informative", type=int)
    ap.add_argument("--n-classes", type=int)
    ap.add_argument("--test-fraction", type=float)
    ap.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=None)
    ap.add_argument("--initial", type=int)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--budget", type=int)
    ap.add_argument("--hidden", help="comma-separated widths, e.g. 32,16")
    ap.add_argument("--dropout", type=float)
    ap.add_argument("--optimizer", choices=["sgd", "adam"])
    ap.add_argument("--lr", type=float)
    ap.add_argument("--momentum", type=float)
    ap.add_argument("--weight-decay", type=float)
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--warm-start", action=argparse.BooleanOptionalAction, default=None)
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                    help="float64 (default) computes as albench does; float32 is PyTorch's default")
    return ap.parse_args(argv)


# configs/tutorial.yaml, the defaults when neither a config nor a flag says otherwise.
DEFAULTS = dict(
    protocol="tutorial", seeds=20, strategies=["random", "least_confidence"],
    n_samples=1000, n_features=20, n_informative=15, n_classes=2,
    test_fraction=0.3, standardize=False, initial=10, batch=1, budget=30,
    hidden=[32, 16], dropout=0.0, optimizer="sgd", lr=0.01, momentum=0.0,
    weight_decay=0.0, epochs=1, warm_start=True,
)

# Appended only: a strategy's index seeds its generator, so the first two keep their draws.
SUPPORTED = ("random", "least_confidence", "margin", "entropy", "coreset", "badge")


def from_config(path):
    """The settings of an albench config: its first dataset, which must be
    make_classification, and those of its strategies this file implements (SUPPORTED)."""
    try:
        import yaml
    except ImportError:
        sys.exit("torch_al.py: --config needs PyYAML (apt-get install python3-yaml); "
                 "or give the protocol as flags (see --help)")
    with open(path) as f:
        c = yaml.safe_load(f)
    ds = c["datasets"][0]
    if ds.get("source") != "make_classification":
        sys.exit(f"torch_al.py: {path}: dataset {ds.get('name')} is {ds.get('source')}; only make_classification is implemented")
    pr = dict(c.get("protocol") or {})
    pr.update(ds.get("protocol") or {})
    if pr.get("initial_sampling", "uniform") != "uniform":
        sys.exit(f"torch_al.py: {path}: only initial_sampling uniform is implemented")
    m = c.get("model") or {}
    tr = m.get("train") or {}
    if m.get("kind", "mlp") != "mlp" or m.get("activation", "relu") != "relu":
        sys.exit(f"torch_al.py: {path}: only a ReLU mlp is implemented")
    if tr.get("batch_size", 0) not in (0, None):
        sys.exit(f"torch_al.py: {path}: only full-batch training is implemented")
    seeds = c.get("seeds", DEFAULTS["seeds"])
    if isinstance(seeds, list):
        sys.exit(f"torch_al.py: {path}: give seeds as a count")
    names = []
    for s in c.get("strategies") or []:
        n = s if isinstance(s, str) else s["name"]
        if n in SUPPORTED and n not in names:
            names.append(n)
    p = ds.get("params") or {}
    out = dict(
        protocol=c.get("name"), seeds=seeds, strategies=names,
        n_samples=p.get("n_samples"), n_features=p.get("n_features"),
        n_informative=p.get("n_informative"), n_classes=p.get("n_classes"),
        test_fraction=pr.get("test_fraction"), standardize=pr.get("standardize"),
        initial=pr.get("initial"), batch=pr.get("batch"), budget=pr.get("budget"),
        hidden=m.get("hidden"), dropout=m.get("dropout"),
        optimizer=tr.get("optimizer"), lr=tr.get("lr"), momentum=tr.get("momentum"),
        weight_decay=tr.get("weight_decay"), epochs=tr.get("epochs"),
        warm_start=tr.get("warm_start"),
    )
    return {k: v for k, v in out.items() if v is not None}


def settings(args):
    s = dict(DEFAULTS)
    if args.config:
        s.update(from_config(args.config))
    for k in DEFAULTS:
        v = getattr(args, k, None)
        if v is None:
            continue
        if k == "strategies":
            v = [x.strip() for x in v.split(",") if x.strip()]
        elif k == "hidden":
            v = [int(x) for x in v.split(",")]
        s[k] = v
    for name in s["strategies"]:
        if name not in SUPPORTED:
            sys.exit(f"torch_al.py: strategy {name} is not implemented (only {', '.join(SUPPORTED)})")
    if s["budget"] % s["batch"]:
        sys.exit("torch_al.py: batch must divide budget")
    return s


def uncertainty(name, p):
    """The score to maximise of each row of class probabilities p (rows × classes):
    least_confidence 1 − max p, margin 1 − (p₁ − p₂) of the two largest, entropy
    −Σ p log p (0 log 0 = 0)."""
    import torch
    if name == "least_confidence":
        return 1 - p.max(dim=1).values
    if name == "margin":
        top = torch.topk(p, 2, dim=1).values
        return 1 - (top[:, 0] - top[:, 1])
    return -torch.special.xlogy(p, p).sum(dim=1)


def sq_dists(a, b, a_norms=None):
    """Squared Euclidean distances between the rows of a and of b (len(a) × len(b))
    by ‖a‖² + ‖b‖² − 2a·b, one matrix product, clamped at 0 against rounding."""
    import torch
    if a_norms is None:
        a_norms = (a * a).sum(dim=1)
    return torch.addmm(a_norms[:, None] + (b * b).sum(dim=1)[None, :], a, b.T, alpha=-2).clamp_min_(0)


def kcenter(emb, centres, k):
    """Core-set's k-center greedy (Sener & Savarese 2018, Algorithm 1) on the
    embeddings emb of the unlabeled rows with the labeled rows' embeddings as the
    initial centres: k times, the row farthest from its nearest centre is picked
    and becomes a centre. Returns positions in emb."""
    import torch
    norms = (emb * emb).sum(dim=1)
    d = sq_dists(emb, centres, norms).min(dim=1).values
    picks = []
    for _ in range(k):
        i = int(torch.argmax(d))
        picks.append(i)
        d = torch.minimum(d, sq_dists(emb, emb[i:i + 1], norms).squeeze(1))
        d[i] = -1  # picked
    return torch.tensor(picks)


def grad_embed(net, x):
    """BADGE's gradient embeddings (Ash et al. 2020): the gradient of the
    cross-entropy at the predicted label ŷ with respect to the last layer's weights,
    (p − e_ŷ) ⊗ h with h the penultimate embedding, one row per point."""
    import torch
    h = net[:-1](x)
    p = torch.softmax(net[-1](h), dim=1)
    p[torch.arange(len(p)), p.argmax(dim=1)] -= 1
    return (p[:, :, None] * h[:, None, :]).reshape(len(x), -1)


def badge(g, k, gen):
    """BADGE's k-means++ seeding (Arthur & Vassilvitskii 2007) on the gradient
    embeddings g: first the row of largest norm, then each pick drawn with
    probability D(x)² / Σ D², D the distance to the nearest pick so far. Returns
    positions in g."""
    import torch
    norms = (g * g).sum(dim=1)
    i = int(torch.argmax(norms))
    picks = [i]
    d2 = torch.full_like(norms, float("inf"))
    while len(picks) < k:
        d2 = torch.minimum(d2, sq_dists(g, g[i:i + 1], norms).squeeze(1))
        d2[picks] = 0
        if float(d2.sum()) > 0:
            i = int(torch.multinomial(d2, 1, generator=gen))
        else:  # every row left duplicates a pick: the first one left
            left = torch.ones(len(g), dtype=torch.bool)
            left[picks] = False
            i = int(left.nonzero()[0])
        picks.append(i)
    return torch.tensor(picks)


def main(argv):
    args = parse_args(argv)
    s = settings(args)

    import numpy as np
    import torch
    from torch import nn
    from sklearn.datasets import make_classification
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    torch.set_num_threads(1)
    # albench computes in float64 throughout; so does this side by default, to do the
    # same work (--dtype float32 shows what PyTorch's default precision changes).
    torch.set_default_dtype(getattr(torch, args.dtype))

    def build_net(features, classes):
        layers, width = [], features
        for h in s["hidden"]:
            layers += [nn.Linear(width, h), nn.ReLU()]
            if s["dropout"] > 0:
                layers.append(nn.Dropout(s["dropout"]))
            width = h
        layers.append(nn.Linear(width, classes))
        return nn.Sequential(*layers)

    def make_optimizer(net):
        if s["optimizer"] == "adam":
            return torch.optim.Adam(net.parameters(), lr=s["lr"], weight_decay=s["weight_decay"])
        return torch.optim.SGD(net.parameters(), lr=s["lr"], momentum=s["momentum"],
                               weight_decay=s["weight_decay"])

    rounds = s["budget"] // s["batch"]
    for seed in range(s["seeds"]):
        # Data, split, initial set and initial weights depend on the seed only, so
        # every strategy of a seed starts alike (as in albench).
        x, y = make_classification(n_samples=s["n_samples"], n_features=s["n_features"],
                                   n_informative=s["n_informative"], n_classes=s["n_classes"],
                                   random_state=seed)
        xp, xt, yp, yt = train_test_split(x, y, test_size=s["test_fraction"], stratify=y,
                                          random_state=seed)
        if s["standardize"]:
            sc = StandardScaler().fit(xp)
            xp, xt = sc.transform(xp), sc.transform(xt)
        dt = torch.get_default_dtype()
        xp, xt = torch.tensor(xp, dtype=dt), torch.tensor(xt, dtype=dt)
        yp, yt = torch.tensor(yp, dtype=torch.long), torch.tensor(yt, dtype=torch.long)
        initial = np.random.default_rng(seed).choice(len(yp), s["initial"], replace=False)
        torch.manual_seed(seed)
        init_state = {k: v.clone() for k, v in build_net(xp.shape[1], s["n_classes"]).state_dict().items()}

        for strategy in s["strategies"]:
            net = build_net(xp.shape[1], s["n_classes"])
            net.load_state_dict(init_state)
            opt = make_optimizer(net)
            loss_fn = nn.CrossEntropyLoss()
            gen = torch.Generator().manual_seed(seed * 1000 + SUPPORTED.index(strategy))
            torch.manual_seed(seed)  # dropout masks
            labeled = torch.zeros(len(yp), dtype=torch.bool)
            labeled[torch.as_tensor(initial)] = True

            query = 0.0
            t0 = time.perf_counter()
            for r in range(rounds + 1):
                if r > 0 and not s["warm_start"]:
                    net.load_state_dict(init_state)
                    opt = make_optimizer(net)
                idx = labeled.nonzero().squeeze(1)
                xl, yl = xp[idx], yp[idx]
                net.train()
                for _ in range(s["epochs"]):
                    opt.zero_grad()
                    loss = loss_fn(net(xl), yl)
                    loss.backward()
                    opt.step()
                net.eval()
                with torch.no_grad():
                    acc = (net(xt).argmax(1) == yt).sum().item() / len(yt)
                if r == rounds:
                    break
                tq = time.perf_counter()
                unl = (~labeled).nonzero().squeeze(1)
                if strategy == "random":
                    pick = unl[torch.randperm(len(unl), generator=gen)[:s["batch"]]]
                elif strategy == "coreset":
                    with torch.no_grad():
                        pick = unl[kcenter(net[:-1](xp[unl]), net[:-1](xp[idx]), s["batch"])]
                elif strategy == "badge":
                    with torch.no_grad():
                        pick = unl[badge(grad_embed(net, xp[unl]), s["batch"], gen)]
                else:
                    with torch.no_grad():
                        p = torch.softmax(net(xp[unl]), dim=1)
                    pick = unl[torch.topk(uncertainty(strategy, p), s["batch"]).indices]
                labeled[pick] = True
                query += time.perf_counter() - tq
            seconds = time.perf_counter() - t0

            print(json.dumps(dict(protocol=s["protocol"], strategy=strategy, seed=seed,
                                  seconds=seconds, accuracy=acc,
                                  query_seconds=query)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
