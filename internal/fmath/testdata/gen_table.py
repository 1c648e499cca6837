#!/usr/bin/env python3
"""Writes exp.csv and log.csv: inputs and their correctly rounded exp / log,
computed with mpmath at 200 bits and rounded to nearest double by mpmath's
conversion. Each line is `x,f(x)` as 16-hex-digit IEEE-754 bit patterns.

Run from this directory: python3 gen_table.py (needs python3-mpmath). The
inputs come from a fixed seed, so reruns give the same files."""

import random
import struct

import mpmath

mpmath.mp.prec = 200


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def frombits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def cr(v):
    # mpmath rounds to nearest on conversion to a Python float.
    return float(v)


rng = random.Random(20261201)

exp_in = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 10.0, -10.0, 700.0, -700.0, 709.0, -744.0,
          709.782712893383973096, -745.13321910194110842, -708.39641853226408,
          -708.4, -720.0, -740.0, 5e-324, -5e-324, 1e-300, 2**-54, 2**-28, 1e-10]
for _ in range(600):
    exp_in.append(rng.uniform(-745.0, 709.78))
for _ in range(600):
    exp_in.append(rng.uniform(-1.0, 1.0))
for _ in range(200):
    exp_in.append(rng.uniform(-40.0, 40.0))
for _ in range(100):
    exp_in.append(rng.uniform(-745.13, -708.4))  # subnormal results
for e in range(-60, 10):
    exp_in.append(2.0**e)
    exp_in.append(-(2.0**e))

log_in = [1.0, 2.0, 0.5, 10.0, 5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
          1.7976931348623157e308, 1 + 2**-52, 1 - 2**-53, 0.999, 1.001, 0.75, 1.5, 1.9999999]
for _ in range(600):
    b = rng.randrange(1, 0x7FF0000000000000)  # any positive finite double
    log_in.append(frombits(b))
for _ in range(600):
    log_in.append(rng.uniform(0.5, 2.0))
for _ in range(200):
    log_in.append(1 + rng.uniform(-1e-3, 1e-3))
for _ in range(100):
    log_in.append(frombits(rng.randrange(1, 1 << 52)))  # subnormals
for e in range(-1074, 1024, 7):
    log_in.append(2.0**e)

for name, f, xs in (("exp.csv", mpmath.exp, exp_in), ("log.csv", mpmath.log, log_in)):
    with open(name, "w") as out:
        for x in xs:
            out.write("%016x,%016x\n" % (bits(x), bits(cr(f(mpmath.mpf(x))))))
