package strategies

// kernelSpecs are the strategies that need an SVM or MC samples: QUIRE, HintSVM, BatchBALD.
var kernelSpecs = []spec{}
