package learners

// TEMPORARY while the learner packages are written: remove before landing.

func buildLogreg(p map[string]any) Learner {
	if _, lbfgs := p["solver"]; !lbfgs {
		return newNetLearner("logreg", p)
	}
	return nil
}
func buildSVM(map[string]any) Learner    { return nil }
func buildForest(map[string]any) Learner { return nil }
func buildKNN(map[string]any) Learner    { return nil }
func buildGNB(map[string]any) Learner    { return nil }
func buildLDA(map[string]any) Learner    { return nil }
