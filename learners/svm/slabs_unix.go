//go:build unix

package svm

import "syscall"

// mapSlab maps size bytes of zeroed anonymous memory outside the Go heap, or
// returns nil when it cannot.
func mapSlab(size int) []byte {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	return b
}

func unmapSlab(b []byte) { _ = syscall.Munmap(b) }
