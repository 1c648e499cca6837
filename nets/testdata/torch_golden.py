"""Writes torch_golden.json: PyTorch's SGD and Adam steps on a fixed tiny MLP.

Run from this directory with /usr/bin/python3 (PyTorch 1.13, float64):

    python3 torch_golden.py > torch_golden.json

Each case starts from the same parameters, listed in albench's order (layer by
layer: weight out x in row-major, then bias), takes full-batch steps with
nn.CrossEntropyLoss, and records the loss before each step and the parameters
after it. The Go test TestTorchGolden replays the steps and compares.
"""
import json

import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)

INPUTS, HIDDEN, CLASSES, ROWS = 3, [4, 3], 3, 5


def flat(model):
    return [v for p in model.parameters() for v in p.detach().reshape(-1).tolist()]


def build(act):
    sizes = [INPUTS] + HIDDEN + [CLASSES]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU() if act == "relu" else torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


x = torch.randn(ROWS, INPUTS)
y = torch.tensor([0, 2, 1, 2, 0])
base = {a: build(a) for a in ("relu", "tanh")}

cases = []
for act in ("relu", "tanh"):
    for opt, kw, steps in (
        ("sgd", dict(lr=0.1, momentum=0.9, weight_decay=0.01), 2),
        ("sgd", dict(lr=0.1, momentum=0.0, weight_decay=0.0), 2),
        ("adam", dict(lr=0.01, weight_decay=0.01), 3),
    ):
        model = build(act)
        model.load_state_dict(base[act].state_dict())
        start = flat(model)
        optim = (torch.optim.SGD if opt == "sgd" else torch.optim.Adam)(model.parameters(), **kw)
        losses, params = [], []
        for _ in range(steps):
            optim.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optim.step()
            losses.append(loss.item())
            params.append(flat(model))
        cases.append(dict(activation=act, optimizer=opt, lr=kw["lr"],
                          momentum=kw.get("momentum", 0.0), weight_decay=kw["weight_decay"],
                          start=start, losses=losses, params=params))

json.dump(dict(
    comment="Made by testdata/torch_golden.py with PyTorch " + torch.__version__ + " in float64.",
    inputs=INPUTS, hidden=HIDDEN, classes=CLASSES,
    x=x.reshape(-1).tolist(), y=y.tolist(), cases=cases), __import__("sys").stdout, indent=1)
