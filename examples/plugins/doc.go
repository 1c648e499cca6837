// Package plugins holds example albench plugins written in Python (scikit-learn's
// SVC and a PyTorch MLP as models, a modAL-style query function as a strategy),
// their configs, and, behind the build tag pythonplugins, the test that
// `make test-python` runs: every example config through albench, the SVC plugin
// against albench's own svm learner and the modAL strategy against albench's own
// least_confidence and margin. See docs/plugin-protocol.md and
// python/albench_plugin.py.
package plugins
