package strategies

// oracleSpecs are the oracles (Info.Oracle): upper bounds that read the test labels.
var oracleSpecs = []spec{}
