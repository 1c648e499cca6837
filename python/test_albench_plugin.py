"""Unit tests of albench_plugin (standard library and numpy only).

    /usr/bin/python3 -m unittest discover -s python -v     (from the repository root)
"""

import contextlib
import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import albench_plugin as ap  # noqa: E402


def frames(*messages):
    """The bytes of the messages, each (header, [(name, array)])."""
    b = io.BytesIO()
    for h, arrays in messages:
        ap.write_message(b, h, arrays)
    return b.getvalue()


def replies(data):
    """Every frame in data as (header, arrays)."""
    f = io.BytesIO(data)
    out = []
    while True:
        h, a = ap.read_message(f)
        if h is None:
            return out
        out.append((h, a))


class Centroid:
    """A numpy nearest-centroid classifier with scikit-learn's method names."""

    embed_dim = 2

    def __init__(self, params, seed):
        self.params, self.seed = params, seed

    def fit(self, x, y):
        if self.params.get("fail_fit"):
            raise RuntimeError("fit failed on purpose")
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError("one class only")  # as scikit-learn's classifiers
        self.mu = np.stack([x[y == c].mean(axis=0) for c in self.classes_])
        return self

    def _dist(self, x):
        return ((x[:, None, :] - self.mu[None, :, :]) ** 2).sum(axis=2)

    def predict_proba(self, x):
        if self.params.get("nan"):
            return np.full((len(x), len(self.classes_)), np.nan)
        e = np.exp(-self._dist(x))
        if self.params.get("unnormalized"):
            return e
        return e / e.sum(axis=1, keepdims=True)

    def decision_function(self, x):
        d = -self._dist(x)
        if len(self.classes_) == 2:
            return d[:, 1] - d[:, 0]
        return d

    def predict(self, x):
        return self.classes_[np.argmin(self._dist(x), axis=1)]

    def embed(self, x):
        return x[:, :2] * 2.0


POOL = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0], [10.0, 0.0], [10.0, 0.1]])
TEST = np.array([[0.0, 0.1], [5.0, 5.1], [9.9, 0.0]])


def hello(role, params=None, protocol=1):
    return {"type": "hello", "protocol": protocol, "role": role, "params": params or {}}, []


def trial(classes=3, test=True):
    arrays = [("pool", POOL)] + ([("test", TEST)] if test else [])
    return {"type": "trial", "dataset": "toy", "label": "t", "seed": 3, "classes": classes,
            "features": 2}, arrays


def fit(rows, y):
    return {"type": "fit", "stream_seed": 7}, [("rows", np.array(rows)), ("y", np.array(y))]


def call(typ, rows, which="pool"):
    return {"type": typ, "set": which, "stream_seed": 9}, [("rows", np.array(rows))]


def run_model(*messages, params=None, **kw):
    srv = ap._ModelServer(lambda p, seed: Centroid(p, seed), "centroid", kw.get("capabilities"),
                          kw.get("embed_dim"), None)
    return quiet_run(srv, frames(hello("model", params), *messages))


def quiet_run(srv, data):
    """srv.run on data, its stderr logs (tracebacks of the errors tested) dropped."""
    out = io.BytesIO()
    with contextlib.redirect_stderr(io.StringIO()):
        status = srv.run(io.BytesIO(data), out)
    return status, replies(out.getvalue())


class FramingTest(unittest.TestCase):
    def test_bytes_on_the_wire(self):
        # hand-computed: a 1-D i8 [2] and a 2-D f8 [1, 2]
        data = frames(({"type": "t"}, [("a", np.array([1, -2])), ("b", np.array([[0.5, -1.0]]))]))
        h = b'{"type":"t","arrays":[{"name":"a","dtype":"i8","shape":[2]},{"name":"b","dtype":"f8","shape":[1,2]}]}'
        want = (struct.pack("<I", len(h)) + h
                + (1).to_bytes(8, "little") + (-2).to_bytes(8, "little", signed=True)
                + struct.pack("<d", 0.5) + struct.pack("<d", -1.0))
        self.assertEqual(data, want)

    def test_round_trip(self):
        rng = np.random.default_rng(1)
        x = rng.standard_normal((7, 3))
        cases = [("x", x), ("xt", x.T), ("rows", np.arange(5, dtype=np.int32)),
                 ("empty", np.zeros((0, 4))), ("none", np.zeros(0, dtype=np.int64)),
                 ("big", np.array([2**62, -2**62])), ("special", np.array([-0.0, 5e-324, 1.7976931348623157e308]))]
        (h, a), = replies(frames(({"type": "m", "k": [1, "x"]}, cases)))
        self.assertEqual(h["type"], "m")
        self.assertEqual(h["k"], [1, "x"])
        self.assertEqual(list(a), [n for n, _ in cases])
        for name, want in cases:
            got = a[name]
            self.assertEqual(got.shape, want.shape, name)
            self.assertEqual(got.dtype, np.dtype("<f8") if want.dtype.kind == "f" else np.dtype("<i8"), name)
            self.assertEqual(got.tobytes(), want.astype(got.dtype).tobytes(), name)  # bit for bit

    def test_clean_eof(self):
        self.assertEqual(ap.read_message(io.BytesIO(b"")), (None, None))

    def test_broken_frames(self):
        good = frames(({"type": "t"}, [("a", np.arange(3))]))
        header = json.dumps({"type": "t", "arrays": [{"name": "a", "dtype": "f4", "shape": [1]}]}).encode()
        bad = {
            "short length": good[:3],
            "short header": good[:10],
            "short payload": good[:-1],
            "length too small": struct.pack("<I", 1) + b"{",
            "length too large": struct.pack("<I", ap.MAX_HEADER + 1),
            "not JSON": struct.pack("<I", 5) + b"hello",
            "not an object": struct.pack("<I", 2) + b"[]",
            "no type": struct.pack("<I", 2) + b"{}",
            "bad dtype": struct.pack("<I", len(header)) + header + b"\0" * 8,
        }
        for what, data in bad.items():
            with self.subTest(what):
                with self.assertRaises(ap.ProtocolError):
                    ap.read_message(io.BytesIO(data))

    def test_bad_shapes_and_names(self):
        for arrays in ([{"name": "a", "dtype": "f8", "shape": [1, 1, 1]}],
                       [{"name": "a", "dtype": "f8", "shape": [-1]}],
                       [{"name": "a", "dtype": "f8", "shape": [1.0]}],
                       [{"name": "", "dtype": "f8", "shape": [1]}],
                       [{"name": "a", "dtype": "i8", "shape": [0]}, {"name": "a", "dtype": "i8", "shape": [0]}]):
            h = json.dumps({"type": "t", "arrays": arrays}).encode()
            with self.subTest(arrays=arrays), self.assertRaises(ap.ProtocolError):
                ap.read_message(io.BytesIO(struct.pack("<I", len(h)) + h + b"\0" * 8))

    def test_refuses_nan_in_header(self):
        with self.assertRaises(ValueError):
            ap.write_message(io.BytesIO(), {"type": "t", "x": float("nan")})


class ModelTest(unittest.TestCase):
    def test_session(self):
        status, rs = run_model(trial(), fit([0, 2, 4], [0, 1, 2]), call("predict_proba", [1, 3]),
                               call("decision_function", [0, 1, 2], "test"), call("predict", [0, 1, 2], "test"),
                               call("embed", [5]),
                               ({"type": "predict", "set": "x", "stream_seed": 1}, [("x", np.array([[10.0, 0.0]]))]))
        self.assertEqual(status, 0)
        types = [h["type"] for h, _ in rs]
        self.assertEqual(types, ["hello", "ok", "ok", "result", "result", "result", "result", "result"])
        h = rs[0][0]
        self.assertEqual((h["protocol"], h["role"], h["name"]), (1, "model", "centroid"))
        self.assertEqual(h["capabilities"], ["predict_proba", "decision_function", "predict", "embed"])
        self.assertEqual(rs[1][0]["embed_dim"], 2)
        p = rs[3][1]["probabilities"]
        self.assertEqual(p.shape, (2, 3))
        np.testing.assert_allclose(p.sum(axis=1), 1)
        self.assertEqual(list(p.argmax(axis=1)), [0, 1])
        self.assertEqual(rs[4][1]["decision"].shape, (3, 3))
        self.assertEqual(list(rs[5][1]["predictions"]), [0, 1, 2])
        self.assertEqual(rs[6][1]["embeddings"].tolist(), [[20.0, 0.2]])
        self.assertEqual(list(rs[7][1]["predictions"]), [2])

    def test_factory_gets_trial_seed(self):
        seeds = []

        def factory(params, seed):
            seeds.append(seed)
            return Centroid(params, seed)
        srv = ap._ModelServer(factory, "c", None, None, None)
        srv.run(io.BytesIO(frames(hello("model"), trial(), fit([0, 2], [0, 1]), fit([0, 2, 4], [0, 1, 2]))), io.BytesIO())
        self.assertEqual(seeds, [0, 3, 3, 3])  # the hello probe, the embed_dim probe, then one per fit

    def test_absent_classes_widened(self):
        # a fit on classes 0 and 2 of 3: probability 0 for class 1; the binary decision
        # value becomes the one-vs-rest form of pair (0, 2), class 1 at -1
        _, rs = run_model(trial(), fit([0, 1, 4, 5], [0, 0, 2, 2]), call("predict_proba", [0, 4]),
                          call("decision_function", [0, 4]))
        p = rs[3][1]["probabilities"]
        self.assertEqual(p[:, 1].tolist(), [0.0, 0.0])
        d = rs[4][1]["decision"]
        m = Centroid({}, 0).fit(POOL[[0, 1, 4, 5]], np.array([0, 0, 2, 2]))
        f = -m.decision_function(POOL[[0, 4]])  # the pair's value: positive means class 0
        c = f / (3 * (np.abs(f) + 1))
        np.testing.assert_array_equal(d[:, 0], (f >= 0) + c)
        np.testing.assert_array_equal(d[:, 2], (f < 0) - c)
        np.testing.assert_array_equal(d[:, 1], [-1.0, -1.0])

    def test_single_class_fit_is_constant(self):
        _, rs = run_model(trial(classes=2), fit([0, 1], [1, 1]), call("predict_proba", [0, 4]),
                          call("decision_function", [0]), call("predict", [3]))
        self.assertEqual(rs[3][1]["probabilities"].tolist(), [[0.0, 1.0], [0.0, 1.0]])
        self.assertEqual(rs[4][1]["decision"].tolist(), [[1.0]])
        self.assertEqual(rs[5][1]["predictions"].tolist(), [1])

    def test_errors_are_replies(self):
        # the estimator's exception, a NaN, an undeclared call, a row out of range,
        # a call before fit and an unknown type each get an error reply; the loop goes on
        status, rs = run_model(trial(), call("predict", [0]), fit([0, 2], [0, 1]), call("grad_embed", [0]),
                               call("predict", [99]), ({"type": "frobnicate"}, []), call("predict", [0]),
                               params={"nan": True}, capabilities=["predict_proba", "predict"])
        self.assertEqual(status, 0)
        self.assertEqual([h["type"] for h, _ in rs], ["hello", "ok", "error", "ok", "error", "error", "error", "result"])
        self.assertIn("before any fit", rs[2][0]["message"])
        self.assertIn("not declared", rs[4][0]["message"])
        self.assertIn("outside", rs[5][0]["message"])
        self.assertIn("frobnicate", rs[6][0]["message"])
        _, rs = run_model(trial(), fit([0, 2], [0, 1]), call("predict_proba", [0]), params={"nan": True})
        self.assertEqual(rs[3][0]["type"], "error")
        self.assertIn("non-finite", rs[3][0]["message"])
        _, rs = run_model(trial(), fit([0, 2], [0, 1]), call("predict_proba", [1]), params={"unnormalized": True})
        self.assertIn("sums to", rs[3][0]["message"])
        _, rs = run_model(trial(), fit([0, 2], [0, 1]), params={"fail_fit": True})
        self.assertEqual(rs[2][0], {"type": "error", "message": "fit: RuntimeError: fit failed on purpose"})

    def test_hello_refused(self):
        srv = ap._ModelServer(lambda p, s: Centroid(p, s), "c", None, None, None)
        for h in (hello("model", protocol=2), hello("strategy"), trial()):
            status, rs = quiet_run(srv, frames(h))
            self.assertEqual(status, 1)
            (r, _), = rs
            self.assertEqual(r["type"], "error")

    def test_protocol_error_exits(self):
        srv = ap._ModelServer(lambda p, s: Centroid(p, s), "c", None, None, None)
        status, rs = quiet_run(srv, frames(hello("model")) + b"\x05\0\0\0ab")
        self.assertEqual(status, 1)
        self.assertEqual([h["type"] for h, _ in rs], ["hello"])


class StrategyTest(unittest.TestCase):
    def run_strategy(self, select, needs, *messages):
        srv = ap._StrategyServer(select, needs, "s")
        return quiet_run(srv, frames(hello("strategy", {"k": 1}), trial(test=False), *messages))

    def select_msg(self, batch=2, seed=5, **extra):
        arrays = [("unlabeled", np.array([1, 3, 5])), ("labeled", np.array([0, 2, 4])), ("labels", np.array([0, 1, 2]))]
        arrays += list(extra.items())
        return {"type": "select", "batch": batch, "stream_seed": seed, "round": 1}, arrays

    def test_select(self):
        seen = {}

        def select(pool, unlabeled, labeled, labels, batch, rng, probabilities, params, round):
            seen.update(pool=pool.shape, params=params, round=round, draw=rng.integers(1 << 30))
            scores = 1 - probabilities.max(axis=1)
            return unlabeled[np.argsort(-scores, kind="stable")[:batch]]
        probs = np.array([[0.9, 0.05, 0.05], [0.4, 0.3, 0.3], [0.5, 0.5, 0.0]])
        status, rs = self.run_strategy(select, ["probabilities"], self.select_msg(probabilities=probs))
        self.assertEqual(status, 0)
        self.assertEqual(rs[0][0]["needs"], ["probabilities"])
        self.assertEqual(rs[2][0]["type"], "selected")
        self.assertEqual(rs[2][1]["rows"].tolist(), [3, 5])
        self.assertEqual(seen["pool"], POOL.shape)
        self.assertEqual((seen["params"], seen["round"]), ({"k": 1}, 1))
        self.assertEqual(seen["draw"], np.random.default_rng(5).integers(1 << 30))

    def test_errors(self):
        def boom(*args):
            raise ValueError("no")
        _, rs = self.run_strategy(boom, [], self.select_msg())
        self.assertEqual(rs[2][0], {"type": "error", "message": "select: ValueError: no"})
        _, rs = self.run_strategy(lambda *a: [[1]], [], self.select_msg())
        self.assertEqual(rs[2][0]["type"], "error")
        _, rs = self.run_strategy(lambda *a, **k: [1], ["embeddings"], self.select_msg())
        self.assertIn("embeddings", rs[2][0]["message"])  # declared but not sent

    def test_unknown_need(self):
        with self.assertRaises(ValueError):
            ap._StrategyServer(lambda *a: [], ["labels"], "s")


class ProcessTest(unittest.TestCase):
    """A real plugin process: a print() to stdout and a C-level write to fd 1 land
    in stderr, not in the replies."""

    def test_stdout_is_kept_clean(self):
        here = os.path.dirname(os.path.abspath(__file__))
        script = textwrap.dedent("""
            import os, sys
            sys.path.insert(0, %r)
            from albench_plugin import serve_strategy
            def select(pool, unlabeled, labeled, labels, batch, rng):
                print("a stray print")
                os.write(1, b"a stray write\\n")
                return unlabeled[:batch]
            serve_strategy(select)
        """ % here)
        data = frames(hello("strategy"), trial(test=False), StrategyTest().select_msg(batch=1))
        p = subprocess.run([sys.executable, "-c", script], input=data, capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        rs = replies(p.stdout)
        self.assertEqual([h["type"] for h, _ in rs], ["hello", "ok", "selected"])
        self.assertEqual(rs[2][1]["rows"].tolist(), [1])
        self.assertIn(b"a stray print", p.stderr)
        self.assertIn(b"a stray write", p.stderr)


if __name__ == "__main__":
    unittest.main()
