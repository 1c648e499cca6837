package strategies

// lowBudgetSpecs are the low-budget and Bayesian strategies: expected error reduction, density-weighted uncertainty, TypiClust, ProbCover, ALBL.
var lowBudgetSpecs = []spec{}
