//go:build !amd64 || purego

package nets

// kernelModes lists the ways this CPU can run kernel set k: one here.
func kernelModes(k *kernelSet) []kernelMode {
	return []kernelMode{{k.name, func() func() { return func() {} }}}
}
