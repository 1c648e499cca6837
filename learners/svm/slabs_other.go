//go:build !unix

package svm

// mapSlab has no anonymous mappings to offer here: slabs live on the heap.
func mapSlab(int) []byte { return nil }

func unmapSlab([]byte) {}
