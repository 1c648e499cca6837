#!/usr/bin/python3
"""A small PyTorch MLP as an albench model plugin, with embeddings.

params (all optional): hidden (list of widths, default [32]), lr (0.01), epochs
(50), weight_decay (0). Each round trains a fresh net, full batch with Adam, from
initial weights drawn from the trial's seed, so every strategy of a seed starts
from the same net and a rerun gives the same bits (one CPU thread). It declares
predict_proba, predict, embed (the last hidden layer) and grad_embed (BADGE's
(p - e_yhat) x h, classes x last width), so badge, coreset and the uncertainty
strategies can all use it.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from albench_plugin import serve_model  # noqa: E402

torch.set_num_threads(1)


class MLP:
    def __init__(self, params, seed, trial):
        self.hidden = list(params.get("hidden", [32]))
        self.lr = float(params.get("lr", 0.01))
        self.epochs = int(params.get("epochs", 50))
        self.weight_decay = float(params.get("weight_decay", 0))
        self.seed = seed
        self.classes = trial["classes"] if trial else 2
        self.embed_dim = self.hidden[-1]
        self.grad_embed_dim = self.classes * self.hidden[-1]

    def fit(self, X, y):
        g = torch.Generator().manual_seed(self.seed)
        layers, width = [], X.shape[1]
        for h in self.hidden:
            layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
            width = h
        self.body = torch.nn.Sequential(*layers).double()
        self.head = torch.nn.Linear(width, self.classes).double()
        with torch.no_grad():  # initial weights from the trial's seed, as nn.Linear draws them
            for lin in [m for m in self.body if isinstance(m, torch.nn.Linear)] + [self.head]:
                bound = 1 / np.sqrt(lin.in_features)
                lin.weight.copy_(torch.rand(lin.weight.shape, generator=g, dtype=torch.float64) * 2 * bound - bound)
                lin.bias.copy_(torch.rand(lin.bias.shape, generator=g, dtype=torch.float64) * 2 * bound - bound)
        params = list(self.body.parameters()) + list(self.head.parameters())
        opt = torch.optim.Adam(params, lr=self.lr, weight_decay=self.weight_decay)
        xt, yt = torch.from_numpy(np.ascontiguousarray(X)), torch.from_numpy(y)
        for _ in range(self.epochs):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(self.head(self.body(xt)), yt)
            loss.backward()
            opt.step()
        return self

    def _forward(self, X):
        with torch.no_grad():
            h = self.body(torch.from_numpy(np.ascontiguousarray(X)))
            return h, torch.softmax(self.head(h), dim=1)

    def predict_proba(self, X):
        return self._forward(X)[1].numpy()

    def predict(self, X):
        return self.predict_proba(X).argmax(axis=1)

    def embed(self, X):
        return self._forward(X)[0].numpy()

    def grad_embed(self, X):
        h, p = self._forward(X)
        g = p.clone()
        g[torch.arange(len(g)), p.argmax(dim=1)] -= 1  # p - e_yhat
        return (g[:, :, None] * h[:, None, :]).reshape(len(X), -1).numpy()


serve_model(lambda params, seed, trial: MLP(params, seed, trial), name="torch-mlp")
