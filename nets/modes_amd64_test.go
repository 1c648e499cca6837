//go:build amd64 && !purego

package nets

// kernelModes lists the ways this CPU can run kernel set k: for avx2-fma,
// with and without its AVX-512 path when the CPU has AVX-512F. Each mode's
// set function selects it; the returned function restores the previous mode.
func kernelModes(k *kernelSet) []kernelMode {
	if k != &avx2 {
		return []kernelMode{{k.name, func() func() { return func() {} }}}
	}
	set := func(on bool) func() func() {
		return func() func() {
			old := useAVX512
			useAVX512 = on
			return func() { useAVX512 = old }
		}
	}
	modes := []kernelMode{{k.name, set(false)}}
	if hasAVX512F() {
		modes = append(modes, kernelMode{k.name + "+avx512", set(true)})
	}
	return modes
}
