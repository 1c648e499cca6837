//go:build amd64 && !purego

#include "textflag.h"

// Go assembler operand order is the
// reverse of Intel's: VFMADD231PD X, W, ACC is ACC = W·X + ACC, and
// VMAXPD V, Z, V is Intel's VMAXPD V, Z, V with Z first, which returns V when
// either is NaN or both are zero.

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv0() (eax uint32)
TEXT ·xgetbv0(SB), NOSPLIT, $0-4
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	RET

// func linear4AVX2(dst, src, w, bias *float64, nin, ld int, relu bool)
//
// Four outputs (weight rows w, w+nin, w+2nin, w+3nin; dst rows dst, dst+ld,
// dst+2ld, dst+3ld) over all ld lanes: twelve lanes per block (twelve
// accumulators, enough independent chains to cover the multiply-add latency on
// two ports), then eight (eight chains, still enough), then four. Sixteen
// lanes left go as two blocks of eight rather than twelve and a four-lane
// block, whose four chains would wait on the multiply-add latency. Every lane
// gets the same operations in the same order whichever block it falls in.
TEXT ·linear4AVX2(SB), NOSPLIT, $0-49
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ w+16(FP), DX
	MOVQ bias+24(FP), R8
	MOVQ nin+32(FP), CX
	MOVQ ld+40(FP), R9
	MOVBQZX relu+48(FP), R10
	SHLQ $3, R9      // panel row stride in bytes
	MOVQ CX, R11
	SHLQ $3, R11     // weight row stride in bytes
	XORQ BX, BX      // byte offset of the lane block

l4b12:
	MOVQ R9, AX
	SUBQ BX, AX
	CMPQ AX, $96
	JLT  l4b8
	CMPQ AX, $128
	JEQ  l4b8
	VBROADCASTSD 0(R8), Y0
	VBROADCASTSD 8(R8), Y3
	VBROADCASTSD 16(R8), Y6
	VBROADCASTSD 24(R8), Y9
	VMOVAPD Y0, Y1
	VMOVAPD Y0, Y2
	VMOVAPD Y3, Y4
	VMOVAPD Y3, Y5
	VMOVAPD Y6, Y7
	VMOVAPD Y6, Y8
	VMOVAPD Y9, Y10
	VMOVAPD Y9, Y11
	LEAQ (SI)(BX*1), R12  // input row r of the block
	MOVQ DX, R13          // weight rows 0, 1 at column r
	LEAQ (DX)(R11*2), R14 // weight rows 2, 3 at column r
	MOVQ CX, AX

l4r12:
	TESTQ AX, AX
	JEQ   l4s12
	VMOVUPD 0(R12), Y12
	VMOVUPD 32(R12), Y13
	VMOVUPD 64(R12), Y14
	VBROADCASTSD (R13), Y15
	VFMADD231PD Y12, Y15, Y0
	VFMADD231PD Y13, Y15, Y1
	VFMADD231PD Y14, Y15, Y2
	VBROADCASTSD (R13)(R11*1), Y15
	VFMADD231PD Y12, Y15, Y3
	VFMADD231PD Y13, Y15, Y4
	VFMADD231PD Y14, Y15, Y5
	VBROADCASTSD (R14), Y15
	VFMADD231PD Y12, Y15, Y6
	VFMADD231PD Y13, Y15, Y7
	VFMADD231PD Y14, Y15, Y8
	VBROADCASTSD (R14)(R11*1), Y15
	VFMADD231PD Y12, Y15, Y9
	VFMADD231PD Y13, Y15, Y10
	VFMADD231PD Y14, Y15, Y11
	ADDQ R9, R12
	ADDQ $8, R13
	ADDQ $8, R14
	DECQ AX
	JMP  l4r12

l4s12:
	TESTQ R10, R10
	JEQ   l4w12
	VXORPD Y15, Y15, Y15
	VMAXPD Y0, Y15, Y0
	VMAXPD Y1, Y15, Y1
	VMAXPD Y2, Y15, Y2
	VMAXPD Y3, Y15, Y3
	VMAXPD Y4, Y15, Y4
	VMAXPD Y5, Y15, Y5
	VMAXPD Y6, Y15, Y6
	VMAXPD Y7, Y15, Y7
	VMAXPD Y8, Y15, Y8
	VMAXPD Y9, Y15, Y9
	VMAXPD Y10, Y15, Y10
	VMAXPD Y11, Y15, Y11
	VADDPD Y15, Y0, Y0
	VADDPD Y15, Y1, Y1
	VADDPD Y15, Y2, Y2
	VADDPD Y15, Y3, Y3
	VADDPD Y15, Y4, Y4
	VADDPD Y15, Y5, Y5
	VADDPD Y15, Y6, Y6
	VADDPD Y15, Y7, Y7
	VADDPD Y15, Y8, Y8
	VADDPD Y15, Y9, Y9
	VADDPD Y15, Y10, Y10
	VADDPD Y15, Y11, Y11

l4w12:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Y0, 0(R12)
	VMOVUPD Y1, 32(R12)
	VMOVUPD Y2, 64(R12)
	ADDQ    R9, R12
	VMOVUPD Y3, 0(R12)
	VMOVUPD Y4, 32(R12)
	VMOVUPD Y5, 64(R12)
	ADDQ    R9, R12
	VMOVUPD Y6, 0(R12)
	VMOVUPD Y7, 32(R12)
	VMOVUPD Y8, 64(R12)
	ADDQ    R9, R12
	VMOVUPD Y9, 0(R12)
	VMOVUPD Y10, 32(R12)
	VMOVUPD Y11, 64(R12)
	ADDQ    $96, BX
	JMP     l4b12

l4b8:
	MOVQ R9, AX
	SUBQ BX, AX
	CMPQ AX, $64
	JLT  l4b4
	VBROADCASTSD 0(R8), Y0
	VBROADCASTSD 8(R8), Y2
	VBROADCASTSD 16(R8), Y4
	VBROADCASTSD 24(R8), Y6
	VMOVAPD Y0, Y1
	VMOVAPD Y2, Y3
	VMOVAPD Y4, Y5
	VMOVAPD Y6, Y7
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	LEAQ (DX)(R11*2), R14
	MOVQ CX, AX

l4r8:
	TESTQ AX, AX
	JEQ   l4s8
	VMOVUPD 0(R12), Y8
	VMOVUPD 32(R12), Y9
	VBROADCASTSD (R13), Y10
	VFMADD231PD Y8, Y10, Y0
	VFMADD231PD Y9, Y10, Y1
	VBROADCASTSD (R13)(R11*1), Y11
	VFMADD231PD Y8, Y11, Y2
	VFMADD231PD Y9, Y11, Y3
	VBROADCASTSD (R14), Y12
	VFMADD231PD Y8, Y12, Y4
	VFMADD231PD Y9, Y12, Y5
	VBROADCASTSD (R14)(R11*1), Y13
	VFMADD231PD Y8, Y13, Y6
	VFMADD231PD Y9, Y13, Y7
	ADDQ R9, R12
	ADDQ $8, R13
	ADDQ $8, R14
	DECQ AX
	JMP  l4r8

l4s8:
	TESTQ R10, R10
	JEQ   l4w8
	VXORPD Y15, Y15, Y15
	VMAXPD Y0, Y15, Y0
	VMAXPD Y1, Y15, Y1
	VMAXPD Y2, Y15, Y2
	VMAXPD Y3, Y15, Y3
	VMAXPD Y4, Y15, Y4
	VMAXPD Y5, Y15, Y5
	VMAXPD Y6, Y15, Y6
	VMAXPD Y7, Y15, Y7
	VADDPD Y15, Y0, Y0
	VADDPD Y15, Y1, Y1
	VADDPD Y15, Y2, Y2
	VADDPD Y15, Y3, Y3
	VADDPD Y15, Y4, Y4
	VADDPD Y15, Y5, Y5
	VADDPD Y15, Y6, Y6
	VADDPD Y15, Y7, Y7

l4w8:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Y0, 0(R12)
	VMOVUPD Y1, 32(R12)
	ADDQ    R9, R12
	VMOVUPD Y2, 0(R12)
	VMOVUPD Y3, 32(R12)
	ADDQ    R9, R12
	VMOVUPD Y4, 0(R12)
	VMOVUPD Y5, 32(R12)
	ADDQ    R9, R12
	VMOVUPD Y6, 0(R12)
	VMOVUPD Y7, 32(R12)
	ADDQ    $64, BX
	JMP     l4b8

l4b4:
	CMPQ BX, R9
	JGE  l4done
	VBROADCASTSD 0(R8), Y0
	VBROADCASTSD 8(R8), Y2
	VBROADCASTSD 16(R8), Y4
	VBROADCASTSD 24(R8), Y6
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	LEAQ (DX)(R11*2), R14
	MOVQ CX, AX

l4r4:
	TESTQ AX, AX
	JEQ   l4s4
	VMOVUPD 0(R12), Y8
	VBROADCASTSD (R13), Y10
	VFMADD231PD Y8, Y10, Y0
	VBROADCASTSD (R13)(R11*1), Y11
	VFMADD231PD Y8, Y11, Y2
	VBROADCASTSD (R14), Y12
	VFMADD231PD Y8, Y12, Y4
	VBROADCASTSD (R14)(R11*1), Y13
	VFMADD231PD Y8, Y13, Y6
	ADDQ R9, R12
	ADDQ $8, R13
	ADDQ $8, R14
	DECQ AX
	JMP  l4r4

l4s4:
	TESTQ R10, R10
	JEQ   l4w4
	VXORPD Y15, Y15, Y15
	VMAXPD Y0, Y15, Y0
	VMAXPD Y2, Y15, Y2
	VMAXPD Y4, Y15, Y4
	VMAXPD Y6, Y15, Y6
	VADDPD Y15, Y0, Y0
	VADDPD Y15, Y2, Y2
	VADDPD Y15, Y4, Y4
	VADDPD Y15, Y6, Y6

l4w4:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Y0, 0(R12)
	ADDQ    R9, R12
	VMOVUPD Y2, 0(R12)
	ADDQ    R9, R12
	VMOVUPD Y4, 0(R12)
	ADDQ    R9, R12
	VMOVUPD Y6, 0(R12)
	ADDQ    $32, BX
	JMP     l4b4

l4done:
	VZEROUPPER
	RET

// func linear1AVX2(dst, src, w, bias *float64, nin, ld int, relu bool)
//
// One output over all ld lanes: sixteen lanes (four independent chains) per
// block, then four.
TEXT ·linear1AVX2(SB), NOSPLIT, $0-49
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ w+16(FP), DX
	MOVQ bias+24(FP), R8
	MOVQ nin+32(FP), CX
	MOVQ ld+40(FP), R9
	MOVBQZX relu+48(FP), R10
	SHLQ $3, R9
	VXORPD Y15, Y15, Y15
	XORQ BX, BX

l1b16:
	MOVQ R9, AX
	SUBQ BX, AX
	CMPQ AX, $128
	JLT  l1b4
	VBROADCASTSD 0(R8), Y0
	VMOVAPD Y0, Y1
	VMOVAPD Y0, Y2
	VMOVAPD Y0, Y3
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	MOVQ CX, AX

l1r16:
	TESTQ AX, AX
	JEQ   l1s16
	VBROADCASTSD (R13), Y10
	VFMADD231PD 0(R12), Y10, Y0
	VFMADD231PD 32(R12), Y10, Y1
	VFMADD231PD 64(R12), Y10, Y2
	VFMADD231PD 96(R12), Y10, Y3
	ADDQ R9, R12
	ADDQ $8, R13
	DECQ AX
	JMP  l1r16

l1s16:
	TESTQ R10, R10
	JEQ   l1w16
	VMAXPD Y0, Y15, Y0
	VMAXPD Y1, Y15, Y1
	VMAXPD Y2, Y15, Y2
	VMAXPD Y3, Y15, Y3
	VADDPD Y15, Y0, Y0
	VADDPD Y15, Y1, Y1
	VADDPD Y15, Y2, Y2
	VADDPD Y15, Y3, Y3

l1w16:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Y0, 0(R12)
	VMOVUPD Y1, 32(R12)
	VMOVUPD Y2, 64(R12)
	VMOVUPD Y3, 96(R12)
	ADDQ    $128, BX
	JMP     l1b16

l1b4:
	CMPQ BX, R9
	JGE  l1done
	VBROADCASTSD 0(R8), Y0
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	MOVQ CX, AX

l1r4:
	TESTQ AX, AX
	JEQ   l1s4
	VBROADCASTSD (R13), Y10
	VFMADD231PD 0(R12), Y10, Y0
	ADDQ R9, R12
	ADDQ $8, R13
	DECQ AX
	JMP  l1r4

l1s4:
	TESTQ  R10, R10
	JEQ    l1w4
	VMAXPD Y0, Y15, Y0
	VADDPD Y15, Y0, Y0

l1w4:
	VMOVUPD Y0, (DI)(BX*1)
	ADDQ    $32, BX
	JMP     l1b4

l1done:
	VZEROUPPER
	RET

// func outer24AVX2(gw, d, a *float64, ld, nin int)
//
// gw[q·nin + k] = Σ_i d[q·ld + i]·a[k·ld + i] for q < 2, k < 4, each in four
// lane partial sums combined as (s₀ + s₁) + (s₂ + s₃).
TEXT ·outer24AVX2(SB), NOSPLIT, $0-40
	MOVQ gw+0(FP), DI
	MOVQ d+8(FP), SI
	MOVQ a+16(FP), DX
	MOVQ ld+24(FP), R9
	MOVQ nin+32(FP), R11
	SHLQ $3, R9
	SHLQ $3, R11
	LEAQ (SI)(R9*1), R8   // d row 1
	LEAQ (DX)(R9*1), R12  // a row 1
	LEAQ (DX)(R9*2), R10  // a row 2
	LEAQ (R10)(R9*1), R13 // a row 3
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ BX, BX

o24loop:
	CMPQ BX, R9
	JGE  o24done
	VMOVUPD (SI)(BX*1), Y8
	VMOVUPD (R8)(BX*1), Y9
	VMOVUPD (DX)(BX*1), Y10
	VFMADD231PD Y10, Y8, Y0
	VFMADD231PD Y10, Y9, Y4
	VMOVUPD (R12)(BX*1), Y11
	VFMADD231PD Y11, Y8, Y1
	VFMADD231PD Y11, Y9, Y5
	VMOVUPD (R10)(BX*1), Y12
	VFMADD231PD Y12, Y8, Y2
	VFMADD231PD Y12, Y9, Y6
	VMOVUPD (R13)(BX*1), Y13
	VFMADD231PD Y13, Y8, Y3
	VFMADD231PD Y13, Y9, Y7
	ADDQ $32, BX
	JMP  o24loop

o24done:
	// [s₀₀+s₀₁, s₁₀+s₁₁ | s₀₂+s₀₃, s₁₂+s₁₃] for the pairs (Y0, Y1), (Y2, Y3).
	VHADDPD    Y1, Y0, Y0
	VHADDPD    Y3, Y2, Y2
	VPERM2F128 $0x20, Y2, Y0, Y8
	VPERM2F128 $0x31, Y2, Y0, Y9
	VADDPD     Y9, Y8, Y8
	VMOVUPD    Y8, (DI)
	VHADDPD    Y5, Y4, Y4
	VHADDPD    Y7, Y6, Y6
	VPERM2F128 $0x20, Y6, Y4, Y10
	VPERM2F128 $0x31, Y6, Y4, Y11
	VADDPD     Y11, Y10, Y10
	VMOVUPD    Y10, (DI)(R11*1)
	VZEROUPPER
	RET

// func adamAVX2(w, grad, m, v *float64, n int, c *[7]float64)
//
// Adam's update four parameters at a time for n a multiple of 4, each
// operation rounded separately in adamGo's order, so the bits match adamGo.
// c holds β₁, 1−β₁, β₂, 1−β₂, the step size, √(1−β₂ᵗ) and ε.
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ v+24(FP), R8
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), AX
	VBROADCASTSD 0(AX), Y8   // β₁
	VBROADCASTSD 8(AX), Y9   // 1−β₁
	VBROADCASTSD 16(AX), Y10 // β₂
	VBROADCASTSD 24(AX), Y11 // 1−β₂
	VBROADCASTSD 32(AX), Y12 // step size
	VBROADCASTSD 40(AX), Y13 // √(1−β₂ᵗ)
	VBROADCASTSD 48(AX), Y14 // ε
	SHLQ $3, CX
	XORQ BX, BX

adamloop:
	CMPQ BX, CX
	JGE  adamdone
	VMOVUPD (SI)(BX*1), Y0    // g
	VMULPD  (DX)(BX*1), Y8, Y1 // m·β₁
	VMULPD  Y9, Y0, Y2         // g·(1−β₁)
	VADDPD  Y2, Y1, Y1         // m
	VMULPD  (R8)(BX*1), Y10, Y3 // v·β₂
	VMULPD  Y0, Y0, Y4         // g²
	VMULPD  Y11, Y4, Y4        // g²·(1−β₂)
	VADDPD  Y4, Y3, Y3         // v
	VMOVUPD Y1, (DX)(BX*1)
	VMOVUPD Y3, (R8)(BX*1)
	VSQRTPD Y3, Y5
	VDIVPD  Y13, Y5, Y5        // √v / √(1−β₂ᵗ)
	VADDPD  Y14, Y5, Y5        // + ε
	VDIVPD  Y5, Y1, Y6         // m / (…)
	VMULPD  Y6, Y12, Y6        // step size · …
	VMOVUPD (DI)(BX*1), Y7
	VSUBPD  Y6, Y7, Y7         // θ − …
	VMOVUPD Y7, (DI)(BX*1)
	ADDQ    $32, BX
	JMP     adamloop

adamdone:
	VZEROUPPER
	RET

// func reluMaskAVX2(d, h *float64, n int)
// d[i] = h[i] ≠ 0 ? d[i] : 0 for i < n, n a multiple of 4. The comparison is
// unordered-or-not-equal, so a NaN in h keeps its delta, as reluMaskGo does.
TEXT ·reluMaskAVX2(SB), NOSPLIT, $0-24
	MOVQ d+0(FP), DI
	MOVQ h+8(FP), SI
	MOVQ n+16(FP), CX
	VXORPD Y15, Y15, Y15
	SHLQ $3, CX
	XORQ BX, BX

rmloop:
	CMPQ    BX, CX
	JGE     rmdone
	VMOVUPD (SI)(BX*1), Y0
	VCMPPD  $4, Y15, Y0, Y1 // NEQ_UQ: all ones where h ≠ 0 or NaN
	VANDPD  (DI)(BX*1), Y1, Y2
	VMOVUPD Y2, (DI)(BX*1)
	ADDQ    $32, BX
	JMP     rmloop

rmdone:
	VZEROUPPER
	RET

// func mulAVX2(dst, a, b *float64, n int)
// dst[i] = a[i]·b[i] for i < n, n a multiple of 4.
TEXT ·mulAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	SHLQ $3, CX
	XORQ BX, BX

mulloop:
	CMPQ    BX, CX
	JGE     muldone
	VMOVUPD (SI)(BX*1), Y0
	VMULPD  (DX)(BX*1), Y0, Y0
	VMOVUPD Y0, (DI)(BX*1)
	ADDQ    $32, BX
	JMP     mulloop

muldone:
	VZEROUPPER
	RET

// func transposeIn4AVX2(dst, x *float64, blocks, cols, ld int)
//
// dst[p·ld + i] = x[i·cols + p] for i < 4·blocks, p < cols: rows four at a
// time, columns two at a time. Two 128-bit loads of rows i and i+2 make
// [x(i,p), x(i,p+1) | x(i+2,p), x(i+2,p+1)], two of rows i+1 and i+3 the like,
// and an unpack of the low and of the high halves gives the four lanes of
// columns p and p+1; an odd last column is assembled from scalar loads.
TEXT ·transposeIn4AVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ blocks+16(FP), CX
	MOVQ cols+24(FP), R9
	MOVQ ld+32(FP), R10
	SHLQ $3, R9           // row stride of x in bytes
	SHLQ $3, R10          // panel row stride of dst in bytes
	LEAQ (R10)(R10*1), R11 // two panel rows
	MOVQ R9, DX
	ANDQ $~15, DX         // bytes of x's rows in whole column pairs

tiblock:
	TESTQ CX, CX
	JEQ   tidone
	LEAQ  (SI)(R9*1), R12 // row i+1
	LEAQ  (SI)(R9*2), R13 // row i+2
	LEAQ  (R13)(R9*1), R14 // row i+3
	MOVQ  DI, AX          // dst at column p, lane i
	XORQ  BX, BX          // byte offset of column p in a row

tipair:
	CMPQ        BX, DX
	JGE         tiodd
	VMOVUPD     (SI)(BX*1), X0
	VINSERTF128 $1, (R13)(BX*1), Y0, Y0
	VMOVUPD     (R12)(BX*1), X1
	VINSERTF128 $1, (R14)(BX*1), Y1, Y1
	VUNPCKLPD   Y1, Y0, Y2
	VUNPCKHPD   Y1, Y0, Y3
	VMOVUPD     Y2, (AX)
	VMOVUPD     Y3, (AX)(R10*1)
	ADDQ        $16, BX
	ADDQ        R11, AX
	JMP         tipair

tiodd:
	CMPQ        BX, R9
	JGE         tinext
	VMOVSD      (SI)(BX*1), X0
	VMOVHPD     (R12)(BX*1), X0, X0
	VMOVSD      (R13)(BX*1), X1
	VMOVHPD     (R14)(BX*1), X1, X1
	VINSERTF128 $1, X1, Y0, Y0
	VMOVUPD     Y0, (AX)

tinext:
	LEAQ (SI)(R9*4), SI
	ADDQ $32, DI
	DECQ CX
	JMP  tiblock

tidone:
	VZEROUPPER
	RET
