"""Prediction sets side by side (issue 24): the time MAPIE 1.5 and crepes take to build the sets of N test rows of
1,000-class probabilities, per row, to set beside logits4j's `ConformalBenchmarks.predictOneRow` (JMH, one core).
Same shape of data as the JMH benchmark: 1,000 classes, the true class the top one in 97 % of rows, its logit lead
12 (a confident model) or 6 (a flat one); 10,000 calibration rows, alpha 0.1.

Neither library is on the package mirror: put their sources on PYTHONPATH (MAPIE: github scikit-learn-contrib/MAPIE
@ 60031ac7 (1.5.0); crepes: github henrikbostrom/crepes @ 3f9c6b9b, its src/ directory), and run it on one thread:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 PYTHONPATH=<MAPIE>:<crepes>/src \\
        testdata/generate/.venv/bin/python benchmarks/conformal_compare.py
"""

import sys
import time

import numpy as np


def data(seed, n, classes, peak):
    rng = np.random.default_rng(seed)
    hot = rng.integers(0, classes, n)
    logits = rng.normal(size=(n, classes))
    logits[np.arange(n), hot] += peak
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = np.where(rng.random(n) < 0.97, hot, rng.integers(0, classes, n))
    return p, y


def best_of(fn, repeats=3):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    from sklearn.base import BaseEstimator, ClassifierMixin

    classes, n_cal, n_test = 1000, 10_000, 2_000
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}; {n_test} test rows of {classes} classes,"
          f" {n_cal} calibration rows, alpha 0.1; microseconds per test row, best of 3")
    for peak in (12, 6):
        p, y = data(7, n_cal + n_test, classes, peak)

        class Prefit(ClassifierMixin, BaseEstimator):
            def fit(self, X, y=None):
                self.classes_ = np.arange(classes)
                self.n_features_in_ = 1
                return self

            def predict_proba(self, X):
                return p[np.asarray(X)[:, 0].astype(int)]

            def predict(self, X):
                return np.argmax(self.predict_proba(X), axis=1)

        x_cal = np.arange(n_cal).reshape(-1, 1)
        x_test = np.arange(n_cal, n_cal + n_test).reshape(-1, 1)
        from mapie.classification import SplitConformalClassifier
        for score in ("lac", "aps", "raps"):
            clf = SplitConformalClassifier(estimator=Prefit().fit(x_cal), confidence_level=0.9,
                                           conformity_score=score, prefit=True, random_state=1)
            clf.conformalize(x_cal, y[:n_cal])
            seconds = best_of(lambda: clf.predict_set(x_test))
            print(f"peak {peak:2d}  MAPIE  {score:4s} {seconds / n_test * 1e6:10.2f} us/row")
        from crepes import ConformalClassifier
        cc = ConformalClassifier()
        cc.fit(1.0 - p[np.arange(n_cal), y[:n_cal]], seed=1)
        test_scores = 1.0 - p[n_cal:]
        seconds = best_of(lambda: cc.predict_set(test_scores, confidence=0.9, smoothing=False))
        print(f"peak {peak:2d}  crepes lac  {seconds / n_test * 1e6:10.2f} us/row")


if __name__ == "__main__":
    main()
