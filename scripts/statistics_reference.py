#!/usr/bin/env python3
"""Reference values for Tests/UringBenchTests/StatisticsTests.swift, computed once with SciPy.

Run: python3 scripts/statistics_reference.py   (needs scipy; pip install scipy)
Prints Swift literals; the test keeps the vectors and the values this printed.
"""
import math
import numpy as np
import scipy
from scipy import stats

print(f"// SciPy {scipy.__version__}, NumPy {np.__version__}")

print("// Student t: (p, df, quantile) and (t, df, cdf)")
for df in [1, 2, 3, 4, 5, 9, 29, 200]:
    for p in [0.9, 0.975, 0.995]:
        print(f"({p}, {df}, {float(stats.t.ppf(p, df))!r}),")
for t, df in [(0.5, 3), (-1.7, 4), (2.2, 9), (10.0, 2), (0.0, 7)]:
    print(f"({t}, {df}, {float(stats.t.cdf(t, df))!r}),")

print("// Ratio interval: t interval on log ratios, 95%: (values, baselines, estimate, lower, upper)")
ratio_cases = [
    ([105.0, 103.0], [100.0, 100.0]),                                  # n = 2
    ([94100.0, 95300.0, 93800.0], [90200.0, 91000.0, 90800.0]),        # 3 interleaved rounds
    ([1.92, 1.95, 1.90, 2.40, 1.93], [2.10, 2.08, 2.12, 2.61, 2.09]),  # CPU µs/IO, one busy round
    ([88000.0, 91000.0, 90500.0, 89700.0], [90000.0, 90200.0, 89800.0, 90600.0]),  # no clear effect
]
for v, b in ratio_cases:
    logs = np.log(np.array(v)) - np.log(np.array(b))
    n = len(logs)
    lo, hi = stats.t.interval(0.95, n - 1, loc=logs.mean(), scale=stats.sem(logs))
    print(f"({v}, {b}, {math.exp(logs.mean())!r}, {math.exp(lo)!r}, {math.exp(hi)!r}),")

print("// Mann-Whitney U, two-sided: (x, y, U of x, p); exact = exhaustive permutation test")
def mwu_stat(x, y, axis):
    return stats.mannwhitneyu(x, y, axis=axis).statistic
exact_cases = [
    ([10.0, 11.0, 12.0], [20.0, 21.0, 22.0]),                 # 3 vs 3, separated: p can't go below 0.1
    ([10.0, 11.0, 12.0, 13.0], [20.0, 21.0, 22.0, 23.0]),     # 4 vs 4, separated
    ([1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0]),  # 5 vs 5, separated
    ([1.0, 2.0], [3.0, 4.0]),                                 # n = 2
    ([1.0, 2.0, 2.0, 3.0, 4.0], [2.0, 3.0, 3.0, 5.0, 6.0]),   # ties across samples
    ([5.0, 5.0, 5.0], [5.0, 5.0, 5.0]),                       # equal samples
    ([3.1, 2.9, 3.3, 3.0], [3.2, 3.6, 3.4, 3.5, 3.8, 3.0]),   # 4 vs 6 with a tie
    ([7.0, 7.0, 8.0, 9.0, 9.0, 10.0, 12.0, 12.0], [6.0, 7.0, 8.0, 8.0, 11.0, 12.0, 13.0, 14.0]),  # 8 vs 8, many ties
]
for x, y in exact_cases:
    u = float(stats.mannwhitneyu(x, y).statistic)
    res = stats.permutation_test((x, y), mwu_stat, permutation_type="independent", vectorized=True,
                                 n_resamples=np.inf, alternative="two-sided")
    print(f"({x}, {y}, {u!r}, {float(res.pvalue)!r}),")
print("// asymptotic (normal, tie and continuity corrections): 50 vs 50 integers with ties")
x = [float(i * 7919 % 101) for i in range(50)]
y = [float(i * 7919 % 103 + 5) for i in range(50)]
r = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)
print(f"// x[i] = i*7919 % 101, y[i] = i*7919 % 103 + 5, i in 0..<50: U {float(r.statistic)!r}, p {float(r.pvalue)!r}")
