"""The plugin side of albench's plugin protocol, version 1 (docs/plugin-protocol.md).

A plugin is a program albench runs as a subprocess: it trains a model, or it picks
the pool rows to label next. This module does the protocol (the framing, the
handshake, the message loop, the error replies), so that a plugin is a few lines:

    import sys; sys.path.insert(0, "path/to/albench/python")
    from albench_plugin import serve_model
    from sklearn.svm import SVC
    serve_model(lambda params, seed: SVC(**params, random_state=seed % 2**32))

    from albench_plugin import serve_strategy
    def select(pool, unlabeled, labeled, labels, batch, rng, probabilities):
        scores = 1 - probabilities.max(axis=1)        # least confidence
        return unlabeled[np.argsort(-scores, kind="stable")[:batch]]
    serve_strategy(select, needs=["probabilities"])

Only the standard library and numpy are used. Everything the plugin code prints
goes to stderr, which albench copies to the trial's log: serve_model and
serve_strategy move the protocol to private file descriptors and point file
descriptor 1 (stdout) at stderr, so a stray print() or a library's C-level output
cannot corrupt a frame. An exception raised by the plugin code is answered with an
{"type": "error"} reply carrying its message (the traceback goes to stderr), and
albench fails the trial with an error naming the call.
"""

import inspect
import json
import math
import os
import struct
import sys
import traceback

import numpy as np

PROTOCOL = 1
MAX_HEADER = 1 << 20
MAX_ARRAYS = 16
MAX_PAYLOAD = 16 << 30

_DTYPES = {"f8": np.dtype("<f8"), "i8": np.dtype("<i8")}
_MODEL_CAPS = ("predict_proba", "decision_function", "predict", "embed", "grad_embed")
_STRATEGY_NEEDS = ("probabilities", "decision", "embeddings")
# the reply array of each prediction call
_RESULT_NAME = {
    "predict_proba": "probabilities",
    "decision_function": "decision",
    "predict": "predictions",
    "embed": "embeddings",
    "grad_embed": "grad_embeddings",
}


class ProtocolError(Exception):
    """A frame or message that breaks the protocol (a short read, bad JSON, wrong sizes)."""


class PluginError(Exception):
    """An error the plugin code raises on purpose; its message is sent as is."""


def log(*args):
    """Print to stderr (the trial's log), never to the protocol's stdout."""
    print(*args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Framing: uint32 little-endian N | N bytes of UTF-8 JSON header | raw arrays.


def _read_exact(f, n):
    """Read n bytes from the binary stream f into a bytearray, fewer only when the
    stream ends first."""
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = f.readinto(view[got:])
        if not k:
            break
        got += k
    if got < n:
        return buf[:got]
    return buf


def _check_spec(spec):
    if not isinstance(spec, dict):
        raise ProtocolError("array spec %r is not an object" % (spec,))
    name, dtype, shape = spec.get("name"), spec.get("dtype"), spec.get("shape")
    if not isinstance(name, str) or not name:
        raise ProtocolError("array spec %r: name must be a non-empty string" % (spec,))
    if dtype not in _DTYPES:
        raise ProtocolError("array %s: dtype %r, want f8 or i8" % (name, dtype))
    if (not isinstance(shape, list) or len(shape) not in (1, 2)
            or any(type(s) is not int or s < 0 for s in shape)):
        raise ProtocolError("array %s: shape %r, want [n] or [r, c] of non-negative integers" % (name, shape))
    return name, _DTYPES[dtype], tuple(shape)


def read_message(f):
    """Read one frame from the binary stream f: (header dict, {name: ndarray}).

    The arrays are views of one buffer read from f, in the header's order, of dtype
    <f8 or <i8 and the declared shapes. Returns (None, None) at a clean end of input
    (no byte of a new frame); raises ProtocolError on a short or malformed frame."""
    head = _read_exact(f, 4)
    if len(head) == 0:
        return None, None
    if len(head) < 4:
        raise ProtocolError("end of input inside a frame length (%d of 4 bytes)" % len(head))
    (n,) = struct.unpack("<I", head)
    if n < 2 or n > MAX_HEADER:
        raise ProtocolError("header length %d out of [2, %d]" % (n, MAX_HEADER))
    raw = _read_exact(f, n)
    if len(raw) < n:
        raise ProtocolError("end of input inside a header (%d of %d bytes)" % (len(raw), n))
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ProtocolError("header is not UTF-8 JSON: %s" % e) from None
    if not isinstance(header, dict) or not isinstance(header.get("type"), str):
        raise ProtocolError("header is not an object with a string \"type\"")
    specs = header.get("arrays", [])
    if not isinstance(specs, list) or len(specs) > MAX_ARRAYS:
        raise ProtocolError("\"arrays\" must be a list of at most %d specs" % MAX_ARRAYS)
    parsed, total = [], 0
    for spec in specs:
        name, dtype, shape = _check_spec(spec)
        if any(p[0] == name for p in parsed):
            raise ProtocolError("array %s named twice" % name)
        count = math.prod(shape)
        parsed.append((name, dtype, shape, count))
        total += 8 * count
    if total > MAX_PAYLOAD:
        raise ProtocolError("payload of %d bytes exceeds %d" % (total, MAX_PAYLOAD))
    payload = _read_exact(f, total)
    if len(payload) < total:
        raise ProtocolError("end of input inside a payload (%d of %d bytes)" % (len(payload), total))
    arrays, off = {}, 0
    for name, dtype, shape, count in parsed:
        arrays[name] = np.frombuffer(payload, dtype=dtype, count=count, offset=off).reshape(shape)
        off += 8 * count
    return header, arrays


def write_message(f, header, arrays=()):
    """Write one frame to the binary stream f and flush it.

    header is a dict with "type"; arrays is a sequence of (name, ndarray): each is
    sent as <f8 when it has a floating dtype and as <i8 when it is integer or
    boolean, 1-D or 2-D, C order. The header's "arrays" key is filled in here."""
    header = dict(header)
    specs, bufs = [], []
    for name, a in arrays:
        a = np.asarray(a)
        if a.ndim not in (1, 2):
            raise ValueError("array %s has %d dimensions, want 1 or 2" % (name, a.ndim))
        if a.dtype.kind == "f":
            code = "f8"
        elif a.dtype.kind in "iub":
            code = "i8"
        else:
            raise ValueError("array %s has dtype %s, want a float or integer dtype" % (name, a.dtype))
        a = np.ascontiguousarray(a, dtype=_DTYPES[code])
        specs.append({"name": name, "dtype": code, "shape": list(a.shape)})
        bufs.append(a)
    if specs:
        header["arrays"] = specs
    raw = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if len(raw) > MAX_HEADER:
        raise ValueError("header of %d bytes exceeds %d" % (len(raw), MAX_HEADER))
    f.write(struct.pack("<I", len(raw)))
    f.write(raw)
    for a in bufs:
        if a.size:
            f.write(memoryview(a.reshape(-1).view(np.uint8)))
    f.flush()


# ---------------------------------------------------------------------------
# The message loop.


def _call_with(fn, args, extra):
    """fn(*args, **the entries of extra that fn accepts): all of them when fn has a
    **kwargs parameter, else those it names."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return fn(*args, **extra)
    ps = sig.parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in ps):
        return fn(*args, **extra)
    names = {p.name for p in ps if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return fn(*args, **{k: v for k, v in extra.items() if k in names})


def _require_finite(what, a):
    bad = ~np.isfinite(a)
    if bad.any():
        idx = np.argwhere(bad)[0]
        raise PluginError("%s returned a non-finite value %r at index %s"
                          % (what, float(a[tuple(idx)]), tuple(int(i) for i in idx)))


class _Server:
    """A plugin's state machine: hello, trial, then calls. Subclasses give role,
    hello_reply, trial_reply and the call handlers."""

    role = None

    def __init__(self, name):
        self.name = name
        self.params = None
        self.trial = None

    def run(self, fin, fout):
        """Answer the messages read from fin on fout until the end of input.
        Returns the exit status: 0 at a clean end, 1 after a protocol error."""
        stage = "hello"
        while True:
            try:
                header, arrays = read_message(fin)
            except ProtocolError as e:
                log("albench_plugin: protocol error reading a request: %s" % e)
                return 1
            if header is None:
                return 0
            typ = header["type"]
            try:
                if stage == "hello":
                    if typ != "hello":
                        raise PluginError("expected hello first, got %r" % typ)
                    reply = self._hello(header)
                    stage = "trial"
                elif typ == "trial":
                    reply = self._trial(header, arrays)
                    stage = "calls"
                elif stage == "trial":
                    raise PluginError("expected trial after hello, got %r" % typ)
                else:
                    reply = self.call(typ, header, arrays)
            except PluginError as e:
                reply = ({"type": "error", "message": str(e)}, ())
            except Exception as e:  # the plugin code's own failure
                log("albench_plugin: %s call raised:" % typ)
                traceback.print_exc(file=sys.stderr)
                sys.stderr.flush()
                reply = ({"type": "error", "message": "%s: %s: %s" % (typ, type(e).__name__, e)}, ())
            try:
                write_message(fout, reply[0], reply[1])
            except (BrokenPipeError, ValueError, OSError) as e:
                log("albench_plugin: cannot write the %s reply: %s" % (typ, e))
                return 1
            if stage == "hello":  # the hello itself was refused
                return 1

    def _hello(self, h):
        if h.get("protocol") != PROTOCOL:
            raise PluginError("this plugin speaks protocol %d, albench sent %r" % (PROTOCOL, h.get("protocol")))
        if h.get("role") != self.role:
            raise PluginError("this plugin is a %s plugin, albench asked for role %r" % (self.role, h.get("role")))
        params = h.get("params", {})
        self.params = {} if params is None else params
        reply = {"type": "hello", "protocol": PROTOCOL, "role": self.role, "name": self.name}
        reply.update(self.hello_reply())
        return reply, ()

    def _trial(self, h, arrays):
        if "pool" not in arrays or arrays["pool"].ndim != 2 or arrays["pool"].dtype != _DTYPES["f8"]:
            raise PluginError("trial without an f8 [n, d] pool")
        self.trial = {
            "dataset": h.get("dataset"), "label": h.get("label"), "seed": h.get("seed", 0),
            "classes": h.get("classes"), "pool": arrays["pool"], "test": arrays.get("test"),
        }
        reply = {"type": "ok"}
        reply.update(self.trial_reply())
        return reply, ()

    def hello_reply(self):
        return {}

    def trial_reply(self):
        return {}

    def call(self, typ, h, arrays):
        raise PluginError("unknown call %r" % typ)


def _rows(arrays, name, n):
    r = arrays.get(name)
    if r is None or r.ndim != 1 or r.dtype != _DTYPES["i8"]:
        raise PluginError("want an i8 [r] array %r" % name)
    if r.size and (r.min() < 0 or r.max() >= n):
        raise PluginError("%s: a row outside [0, %d)" % (name, n))
    return r


class _ConstantModel:
    """The model of a fit whose labels are all one class when the estimator's fit
    refuses it (scikit-learn's classifiers raise ValueError): probability 1 for
    that class; decision value ±1 toward it for two classes, else 0 for it and −1
    for the others, as albench's svm learner."""

    def __init__(self, cls, classes):
        self.cls, self.classes_ = cls, np.array([cls])
        self.k = classes

    def predict(self, x):
        return np.full(len(x), self.cls, dtype=np.int64)

    def predict_proba(self, x):
        return np.ones((len(x), 1))

    def decision_function(self, x):
        if self.k == 2:
            return np.full(len(x), 1.0 if self.cls == 1 else -1.0)
        return np.zeros((len(x), 1))  # no pair: no vote, no confidence


class _ModelServer(_Server):
    role = "model"

    def __init__(self, factory, name, capabilities, embed_dim, grad_embed_dim):
        super().__init__(name)
        self.factory = factory
        self.caps_arg = capabilities
        self.embed_dim_arg, self.grad_embed_dim_arg = embed_dim, grad_embed_dim
        self.caps = []
        self.model = None

    def _make(self, seed):
        return _call_with(self.factory, (self.params, seed), {"trial": self.trial})

    def hello_reply(self):
        if self.caps_arg is not None:
            caps = list(self.caps_arg)
            unknown = [c for c in caps if c not in _MODEL_CAPS]
            if unknown:
                raise PluginError("unknown capabilities %s (known: %s)" % (unknown, list(_MODEL_CAPS)))
        else:
            probe = self._make(0)
            caps = [c for c in ("predict_proba", "decision_function", "predict") if hasattr(probe, c)]
            if hasattr(probe, "embed") or (hasattr(probe, "transform") and self._dim_known("embed", probe)):
                caps.append("embed")
            elif hasattr(probe, "transform"):
                log("albench_plugin: the estimator has transform but no known dimension, so embed is not "
                    "declared: pass embed_dim= to serve_model to offer its output as embeddings")
            if hasattr(probe, "grad_embed"):
                caps.append("grad_embed")
        if not any(c in caps for c in ("predict_proba", "decision_function", "predict")):
            raise PluginError("the model offers none of predict_proba, decision_function, predict")
        self.caps = caps
        return {"capabilities": caps}

    def _dim_known(self, which, probe):
        arg = self.embed_dim_arg if which == "embed" else self.grad_embed_dim_arg
        return arg is not None or isinstance(getattr(probe, which + "_dim", None), int) or (
            which == "embed" and isinstance(getattr(probe, "n_components", None), int))

    def _dim(self, which):
        arg = self.embed_dim_arg if which == "embed" else self.grad_embed_dim_arg
        t = self.trial
        if callable(arg):
            arg = _call_with(arg, (self.params,), {"classes": t["classes"], "features": t["pool"].shape[1]})
        if arg is None:
            probe = self._make(t["seed"])
            arg = getattr(probe, which + "_dim", None)
            if arg is None and which == "embed":
                arg = getattr(probe, "n_components", None)
            if callable(arg):
                arg = _call_with(arg, (), {"classes": t["classes"], "features": t["pool"].shape[1]})
        if type(arg) is not int or arg <= 0:
            raise PluginError("%s declared but %s_dim is %r: pass %s_dim= to serve_model or give the "
                              "estimator an integer %s_dim attribute" % (which, which, arg, which, which))
        return arg

    def trial_reply(self):
        self.model = None
        out = {}
        for which in ("embed", "grad_embed"):
            if which in self.caps:
                d = self._dim(which)
                out[which + "_dim"] = d
                self.trial[which + "_dim"] = d
        return out

    def call(self, typ, h, arrays):
        t = self.trial
        if typ == "fit":
            rows = _rows(arrays, "rows", len(t["pool"]))
            y = arrays.get("y")
            if y is None or y.shape != rows.shape or y.dtype != _DTYPES["i8"]:
                raise PluginError("fit wants i8 arrays rows and y of one length")
            if len(y) == 0:
                raise PluginError("fit on no rows")
            m = self._make(t["seed"])
            present = np.unique(y)
            try:
                _call_with(m.fit, (t["pool"][rows], y), {})
            except Exception as e:
                if len(present) != 1:
                    raise
                log("albench_plugin: fit on class %d alone failed (%s: %s); a constant model answers this round"
                    % (present[0], type(e).__name__, e))
                m = _ConstantModel(int(present[0]), t["classes"])
            self.model = m
            return {"type": "ok"}, ()
        if typ not in _RESULT_NAME:
            raise PluginError("unknown call %r" % typ)
        if typ not in self.caps:
            raise PluginError("%s was not declared in the handshake" % typ)
        if self.model is None:
            raise PluginError("%s before any fit" % typ)
        x = self._points(h, arrays)
        out = self._predict(typ, x)
        return {"type": "result"}, ((_RESULT_NAME[typ], out),)

    def _points(self, h, arrays):
        t = self.trial
        which = h.get("set")
        if which == "x":
            x = arrays.get("x")
            if x is None or x.ndim != 2 or x.dtype != _DTYPES["f8"]:
                raise PluginError("set x wants an f8 [r, d] array x")
            return x
        if which not in ("pool", "test"):
            raise PluginError("set %r, want pool, test or x" % (which,))
        m = t[which]
        if m is None:
            raise PluginError("set %s: the trial sent no %s matrix" % (which, which))
        return m[_rows(arrays, "rows", len(m))]

    def _predict(self, typ, x):
        k, m, r = self.trial["classes"], self.model, len(x)
        present = getattr(m, "classes_", None)
        if typ == "predict_proba":
            p = np.asarray(m.predict_proba(x), dtype=np.float64)
            p = _widen_proba(p, present, k, r)
            _require_finite(typ, p)
            if r and (p.min() < 0 or p.max() > 1):
                raise PluginError("predict_proba returned a value outside [0, 1]")
            sums = p.sum(axis=1)
            bad = np.flatnonzero(np.abs(sums - 1) > 1e-5)
            if bad.size:
                raise PluginError("predict_proba row %d sums to %r, not 1" % (bad[0], float(sums[bad[0]])))
            return p
        if typ == "decision_function":
            d = np.asarray(m.decision_function(x), dtype=np.float64)
            d = _widen_decision(d, present, k, r)
            _require_finite(typ, d)
            return d
        if typ == "predict":
            y = np.asarray(m.predict(x))
            if y.shape != (r,):
                raise PluginError("predict returned shape %s for %d rows" % (y.shape, r))
            yi = y.astype(np.int64)
            if not np.array_equal(yi, y) or (r and (yi.min() < 0 or yi.max() >= k)):
                raise PluginError("predict returned a class outside 0..%d" % (k - 1))
            return yi
        fn = getattr(m, typ, None)
        if fn is None and typ == "embed":
            fn = getattr(m, "transform", None)
        if fn is None:  # the constant model of a single-class fit
            raise PluginError("%s: the model of this fit has no %s (a fit on a single class?)" % (typ, typ))
        e = np.asarray(fn(x), dtype=np.float64)
        d = self.trial[typ + "_dim"]
        if e.shape != (r, d):
            raise PluginError("%s returned shape %s, want (%d, %d)" % (typ, e.shape, r, d))
        _require_finite(typ, e)
        return e


def _widen_proba(p, present, k, r):
    """predict_proba's columns (one per class the fit saw, estimator.classes_) as
    [r, k]: an absent class gets probability 0."""
    if p.ndim != 2 or p.shape[0] != r:
        raise PluginError("predict_proba returned shape %s for %d rows" % (p.shape, r))
    if p.shape[1] == k:
        return p
    if present is None or len(present) != p.shape[1]:
        raise PluginError("predict_proba returned %d columns for %d classes" % (p.shape[1], k))
    out = np.zeros((r, k))
    out[:, np.asarray(present, dtype=np.int64)] = p
    return out


def _widen_decision(d, present, k, r):
    """decision_function as [r, 1] for two classes, else [r, k] one-vs-rest values.

    With fewer classes in the fit than in the data the estimator's values cover the
    present classes only; they are placed in their columns and an absent class gets
    −1 (below a present class's value when those exceed −1, as scikit-learn's SVC's
    do, else one below the row's smallest). A fit on two of k > 2 classes gives one
    binary value d per row (positive: classes_[1]); with f = −d, libsvm's value of
    the pair, it becomes scikit-learn's one-vs-rest form of that single pair,
    [f ≥ 0] + f/(3(|f|+1)) for classes_[0] and [f < 0] − f/(3(|f|+1)) for
    classes_[1], as albench's svm learner computes it."""
    if d.ndim == 1:
        if d.shape[0] != r:
            raise PluginError("decision_function returned shape %s for %d rows" % (d.shape, r))
        if k == 2:
            return d.reshape(r, 1)
        if present is None or len(present) != 2:
            raise PluginError("decision_function returned one value per row for %d classes" % k)
        f = -d  # libsvm's value of the pair (classes_[0], classes_[1]): positive, classes_[0]
        conf = f / (3 * (np.abs(f) + 1))
        d = np.empty((r, 2))
        d[:, 0] = (f >= 0) + conf
        d[:, 1] = (f < 0) - conf
    if d.ndim != 2 or d.shape[0] != r:
        raise PluginError("decision_function returned shape %s for %d rows" % (d.shape, r))
    want = 1 if k == 2 else k
    if d.shape[1] == want:
        return d
    if k == 2 or present is None or len(present) != d.shape[1]:
        raise PluginError("decision_function returned %d columns for %d classes" % (d.shape[1], k))
    low = d.min(axis=1, initial=0.0)
    fill = np.where(low > -1, -1.0, low - 1)
    out = np.repeat(fill[:, None], k, axis=1)
    out[:, np.asarray(present, dtype=np.int64)] = d
    return out


class _StrategyServer(_Server):
    role = "strategy"

    def __init__(self, select, needs, name):
        super().__init__(name)
        self.select = select
        unknown = [n for n in needs if n not in _STRATEGY_NEEDS]
        if unknown:
            raise ValueError("unknown needs %s (known: %s)" % (unknown, list(_STRATEGY_NEEDS)))
        self.needs = list(needs)

    def hello_reply(self):
        return {"needs": self.needs}

    def call(self, typ, h, arrays):
        if typ != "select":
            raise PluginError("unknown call %r for a strategy" % typ)
        t = self.trial
        n = len(t["pool"])
        unlabeled = _rows(arrays, "unlabeled", n)
        labeled = _rows(arrays, "labeled", n)
        labels = arrays.get("labels")
        if labels is None or labels.shape != labeled.shape:
            raise PluginError("select wants labels aligned with labeled")
        batch = h.get("batch")
        if type(batch) is not int or batch < 0:
            raise PluginError("select: batch %r is not a non-negative integer" % (batch,))
        extra = {}
        for need in self.needs:
            a = arrays.get(need)
            if a is None or a.ndim != 2 or a.shape[0] != len(unlabeled):
                raise PluginError("select: %s [%d, ·] missing" % (need, len(unlabeled)))
            extra[need] = a
        stream_seed = h.get("stream_seed", 0)
        extra.update({
            "params": self.params, "classes": t["classes"], "round": h.get("round"),
            "stream_seed": stream_seed, "seed": t["seed"], "dataset": t["dataset"],
        })
        rng = np.random.default_rng(stream_seed)
        rows = _call_with(self.select, (t["pool"], unlabeled, labeled, labels, batch, rng), extra)
        rows = np.asarray(rows)
        if rows.ndim != 1 or (rows.size and rows.dtype.kind not in "iu"):
            raise PluginError("select returned %s of shape %s, want a 1-D array of pool rows"
                              % (rows.dtype, rows.shape))
        return {"type": "selected"}, (("rows", rows.astype(np.int64)),)


# ---------------------------------------------------------------------------
# Entry points.


def _protocol_streams():
    """Move the protocol off fds 0 and 1: returns private binary streams for the
    requests and replies, and leaves fd 0 reading /dev/null and fd 1 writing to
    stderr, so nothing else in the process can read a request or write into a reply."""
    fin = os.fdopen(os.dup(0), "rb", buffering=1 << 16)
    fout = os.fdopen(os.dup(1), "wb", buffering=1 << 16)
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    return fin, fout


def _serve(server):
    fin, fout = _protocol_streams()
    status = server.run(fin, fout)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(status)


def serve_model(factory, name=None, capabilities=None, embed_dim=None, grad_embed_dim=None):
    """Serve a model plugin on stdin/stdout until albench closes stdin; never returns.

    factory(params, seed) returns a new, unfitted estimator: params is the config's
    `params` mapping, seed the trial's seed (an int; reduce it, seed % 2**32, for
    scikit-learn's random_state). It is called once per `fit`, so each round
    trains a fresh estimator from the same seed (a factory that also takes a
    `trial` argument gets the trial's dict: dataset, label, seed, classes, pool,
    test). The estimator is used as scikit-learn's are:

      fit(X, y)                   y in 0..classes-1 (when it raises on labels of
                                  one class, a constant model answers that round)
      predict_proba(X)            -> [r, len(classes_)], widened to [r, classes]
      decision_function(X)        -> [r] for two classes or [r, len(classes_)]
      predict(X)                  -> [r] classes
      embed(X) or transform(X)    -> [r, embed_dim]
      grad_embed(X)               -> [r, grad_embed_dim]

    capabilities: the calls to declare; by default those the estimator built by
    factory(params, 0) has (hasattr), embed when it has `embed`, or `transform`
    with a known dimension. embed_dim / grad_embed_dim: an int, a function
    (params, classes=, features=) -> int, or None to read the estimator's
    `embed_dim` / `grad_embed_dim` (or `n_components`) attribute.
    """
    if name is None:
        name = os.path.splitext(os.path.basename(sys.argv[0] or "model"))[0] or "model"
    _serve(_ModelServer(factory, name, capabilities, embed_dim, grad_embed_dim))


def serve_strategy(select, needs=(), name=None):
    """Serve a strategy plugin on stdin/stdout until albench closes stdin; never returns.

    select(pool, unlabeled, labeled, labels, batch, rng, **extra) returns the pool
    rows to label, best first (at most batch of them, distinct, all in unlabeled;
    albench checks). pool is the [n, d] matrix, unlabeled/labeled/labels int64
    arrays (unlabeled ascending), rng a numpy Generator seeded from the call's
    stream_seed. extra holds what select names among: probabilities [u, classes],
    decision [u, 1 or classes], embeddings [u, e] (those in needs, row i for pool
    row unlabeled[i]), params, classes, round, stream_seed, seed, dataset; a
    select with **kwargs gets them all.

    needs: a subset of "probabilities", "decision", "embeddings".
    """
    if name is None:
        name = os.path.splitext(os.path.basename(sys.argv[0] or "strategy"))[0] or "strategy"
    _serve(_StrategyServer(select, needs, name))
