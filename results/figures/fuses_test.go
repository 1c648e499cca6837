//go:build amd64.v3 || arm64 || ppc64 || ppc64le || s390x || riscv64 || loong64

package figures

// compilerFuses reports whether the compiler may fuse x*y + z into an FMA in
// this build: on amd64 from GOAMD64=v3 (build tag amd64.v3), and on the
// architectures whose base instruction set has FMA.
const compilerFuses = true
