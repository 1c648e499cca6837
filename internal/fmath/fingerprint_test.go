package fmath

import (
	"fmt"
	"runtime"
	"testing"
)

func TestFingerprint(t *testing.T) {
	want := fmt.Sprintf("kernel=portable;goarch=%s;fma=false;numeric=%d", runtime.GOARCH, NumericVersion)
	if got := Fingerprint("portable"); got != want {
		t.Errorf("Fingerprint(portable) = %q, want %q", got, want)
	}
	if got := Fingerprint("avx2-fma"); got != fmt.Sprintf("kernel=avx2-fma;goarch=%s;fma=true;numeric=%d", runtime.GOARCH, NumericVersion) {
		t.Errorf("Fingerprint(avx2-fma) = %q", got)
	}
}

func ExampleFingerprint() {
	fmt.Println(Fingerprint("portable")[:len("kernel=portable;")])
	// Output: kernel=portable;
}
