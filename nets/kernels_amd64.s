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

// func outer24AVX2(acc, d, a *float64, ld, nin int)
//
// For q < 2, k < 4 and lane l < 4, the running lane sum
// acc[(q·nin + k)·4 + l] += Σ_i d[q·ld + i]·a[k·ld + i] over i ≡ l (mod 4),
// one fused multiply-add per i in order of i, so that a sum carried over
// panels of rows is the sum of one panel holding them all.
TEXT ·outer24AVX2(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ d+8(FP), SI
	MOVQ a+16(FP), DX
	MOVQ ld+24(FP), R9
	MOVQ nin+32(FP), R11
	SHLQ $3, R9
	SHLQ $5, R11          // bytes from acc row q to row q+1: nin·4 lanes·8
	LEAQ (SI)(R9*1), R8   // d row 1
	LEAQ (DX)(R9*1), R12  // a row 1
	LEAQ (DX)(R9*2), R10  // a row 2
	LEAQ (R10)(R9*1), R13 // a row 3
	LEAQ (DI)(R11*1), R14 // acc row 1
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	VMOVUPD 0(R14), Y4
	VMOVUPD 32(R14), Y5
	VMOVUPD 64(R14), Y6
	VMOVUPD 96(R14), Y7
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
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 0(R14)
	VMOVUPD Y5, 32(R14)
	VMOVUPD Y6, 64(R14)
	VMOVUPD Y7, 96(R14)
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

// func linear4AVX512(dst, src, w, bias *float64, nin, ld int, relu bool)
//
// linear4AVX2 with eight lanes per vector: four outputs over all ld lanes,
// thirty-two lanes per block (sixteen ZMM accumulators), then sixteen, then
// eight, and a last four lanes in YMM as linear4AVX2 does them. Each lane gets
// the same fused multiply-adds in the same order as in linear4AVX2, so the
// bits are the same.
TEXT ·linear4AVX512(SB), NOSPLIT, $0-49
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
	VPXORQ Z31, Z31, Z31
	XORQ BX, BX      // byte offset of the lane block

x4b32b:
	MOVQ R9, AX
	SUBQ BX, AX
	CMPQ AX, $256
	JLT  x4b16b
	VBROADCASTSD 0(R8), Z0
	VBROADCASTSD 8(R8), Z4
	VBROADCASTSD 16(R8), Z8
	VBROADCASTSD 24(R8), Z12
	VMOVAPD Z0, Z1
	VMOVAPD Z0, Z2
	VMOVAPD Z0, Z3
	VMOVAPD Z4, Z5
	VMOVAPD Z4, Z6
	VMOVAPD Z4, Z7
	VMOVAPD Z8, Z9
	VMOVAPD Z8, Z10
	VMOVAPD Z8, Z11
	VMOVAPD Z12, Z13
	VMOVAPD Z12, Z14
	VMOVAPD Z12, Z15
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	LEAQ (DX)(R11*2), R14
	MOVQ CX, AX

x4b32r:
	TESTQ AX, AX
	JEQ   x4b32s
	VMOVUPD 0(R12), Z16
	VMOVUPD 64(R12), Z17
	VMOVUPD 128(R12), Z18
	VMOVUPD 192(R12), Z19
	VBROADCASTSD (R13), Z20
	VFMADD231PD Z16, Z20, Z0
	VFMADD231PD Z17, Z20, Z1
	VFMADD231PD Z18, Z20, Z2
	VFMADD231PD Z19, Z20, Z3
	VBROADCASTSD (R13)(R11*1), Z21
	VFMADD231PD Z16, Z21, Z4
	VFMADD231PD Z17, Z21, Z5
	VFMADD231PD Z18, Z21, Z6
	VFMADD231PD Z19, Z21, Z7
	VBROADCASTSD (R14), Z22
	VFMADD231PD Z16, Z22, Z8
	VFMADD231PD Z17, Z22, Z9
	VFMADD231PD Z18, Z22, Z10
	VFMADD231PD Z19, Z22, Z11
	VBROADCASTSD (R14)(R11*1), Z23
	VFMADD231PD Z16, Z23, Z12
	VFMADD231PD Z17, Z23, Z13
	VFMADD231PD Z18, Z23, Z14
	VFMADD231PD Z19, Z23, Z15
	ADDQ R9, R12
	ADDQ $8, R13
	ADDQ $8, R14
	DECQ AX
	JMP  x4b32r

x4b32s:
	TESTQ R10, R10
	JEQ   x4b32w
	VMAXPD Z0, Z31, Z0
	VMAXPD Z1, Z31, Z1
	VMAXPD Z2, Z31, Z2
	VMAXPD Z3, Z31, Z3
	VMAXPD Z4, Z31, Z4
	VMAXPD Z5, Z31, Z5
	VMAXPD Z6, Z31, Z6
	VMAXPD Z7, Z31, Z7
	VMAXPD Z8, Z31, Z8
	VMAXPD Z9, Z31, Z9
	VMAXPD Z10, Z31, Z10
	VMAXPD Z11, Z31, Z11
	VMAXPD Z12, Z31, Z12
	VMAXPD Z13, Z31, Z13
	VMAXPD Z14, Z31, Z14
	VMAXPD Z15, Z31, Z15
	VADDPD Z31, Z0, Z0
	VADDPD Z31, Z1, Z1
	VADDPD Z31, Z2, Z2
	VADDPD Z31, Z3, Z3
	VADDPD Z31, Z4, Z4
	VADDPD Z31, Z5, Z5
	VADDPD Z31, Z6, Z6
	VADDPD Z31, Z7, Z7
	VADDPD Z31, Z8, Z8
	VADDPD Z31, Z9, Z9
	VADDPD Z31, Z10, Z10
	VADDPD Z31, Z11, Z11
	VADDPD Z31, Z12, Z12
	VADDPD Z31, Z13, Z13
	VADDPD Z31, Z14, Z14
	VADDPD Z31, Z15, Z15

x4b32w:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Z0, 0(R12)
	VMOVUPD Z1, 64(R12)
	VMOVUPD Z2, 128(R12)
	VMOVUPD Z3, 192(R12)
	ADDQ    R9, R12
	VMOVUPD Z4, 0(R12)
	VMOVUPD Z5, 64(R12)
	VMOVUPD Z6, 128(R12)
	VMOVUPD Z7, 192(R12)
	ADDQ    R9, R12
	VMOVUPD Z8, 0(R12)
	VMOVUPD Z9, 64(R12)
	VMOVUPD Z10, 128(R12)
	VMOVUPD Z11, 192(R12)
	ADDQ    R9, R12
	VMOVUPD Z12, 0(R12)
	VMOVUPD Z13, 64(R12)
	VMOVUPD Z14, 128(R12)
	VMOVUPD Z15, 192(R12)
	ADDQ    $256, BX
	JMP     x4b32b

x4b16b:
	MOVQ R9, AX
	SUBQ BX, AX
	CMPQ AX, $128
	JLT  x4b8b
	VBROADCASTSD 0(R8), Z0
	VBROADCASTSD 8(R8), Z2
	VBROADCASTSD 16(R8), Z4
	VBROADCASTSD 24(R8), Z6
	VMOVAPD Z0, Z1
	VMOVAPD Z2, Z3
	VMOVAPD Z4, Z5
	VMOVAPD Z6, Z7
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	LEAQ (DX)(R11*2), R14
	MOVQ CX, AX

x4b16r:
	TESTQ AX, AX
	JEQ   x4b16s
	VMOVUPD 0(R12), Z16
	VMOVUPD 64(R12), Z17
	VBROADCASTSD (R13), Z20
	VFMADD231PD Z16, Z20, Z0
	VFMADD231PD Z17, Z20, Z1
	VBROADCASTSD (R13)(R11*1), Z21
	VFMADD231PD Z16, Z21, Z2
	VFMADD231PD Z17, Z21, Z3
	VBROADCASTSD (R14), Z22
	VFMADD231PD Z16, Z22, Z4
	VFMADD231PD Z17, Z22, Z5
	VBROADCASTSD (R14)(R11*1), Z23
	VFMADD231PD Z16, Z23, Z6
	VFMADD231PD Z17, Z23, Z7
	ADDQ R9, R12
	ADDQ $8, R13
	ADDQ $8, R14
	DECQ AX
	JMP  x4b16r

x4b16s:
	TESTQ R10, R10
	JEQ   x4b16w
	VMAXPD Z0, Z31, Z0
	VMAXPD Z1, Z31, Z1
	VMAXPD Z2, Z31, Z2
	VMAXPD Z3, Z31, Z3
	VMAXPD Z4, Z31, Z4
	VMAXPD Z5, Z31, Z5
	VMAXPD Z6, Z31, Z6
	VMAXPD Z7, Z31, Z7
	VADDPD Z31, Z0, Z0
	VADDPD Z31, Z1, Z1
	VADDPD Z31, Z2, Z2
	VADDPD Z31, Z3, Z3
	VADDPD Z31, Z4, Z4
	VADDPD Z31, Z5, Z5
	VADDPD Z31, Z6, Z6
	VADDPD Z31, Z7, Z7

x4b16w:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Z0, 0(R12)
	VMOVUPD Z1, 64(R12)
	ADDQ    R9, R12
	VMOVUPD Z2, 0(R12)
	VMOVUPD Z3, 64(R12)
	ADDQ    R9, R12
	VMOVUPD Z4, 0(R12)
	VMOVUPD Z5, 64(R12)
	ADDQ    R9, R12
	VMOVUPD Z6, 0(R12)
	VMOVUPD Z7, 64(R12)
	ADDQ    $128, BX
	JMP     x4b16b

x4b8b:
	MOVQ R9, AX
	SUBQ BX, AX
	CMPQ AX, $64
	JLT  x4b4b
	VBROADCASTSD 0(R8), Z0
	VBROADCASTSD 8(R8), Z1
	VBROADCASTSD 16(R8), Z2
	VBROADCASTSD 24(R8), Z3
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	LEAQ (DX)(R11*2), R14
	MOVQ CX, AX

x4b8r:
	TESTQ AX, AX
	JEQ   x4b8s
	VMOVUPD 0(R12), Z16
	VBROADCASTSD (R13), Z20
	VFMADD231PD Z16, Z20, Z0
	VBROADCASTSD (R13)(R11*1), Z21
	VFMADD231PD Z16, Z21, Z1
	VBROADCASTSD (R14), Z22
	VFMADD231PD Z16, Z22, Z2
	VBROADCASTSD (R14)(R11*1), Z23
	VFMADD231PD Z16, Z23, Z3
	ADDQ R9, R12
	ADDQ $8, R13
	ADDQ $8, R14
	DECQ AX
	JMP  x4b8r

x4b8s:
	TESTQ R10, R10
	JEQ   x4b8w
	VMAXPD Z0, Z31, Z0
	VMAXPD Z1, Z31, Z1
	VMAXPD Z2, Z31, Z2
	VMAXPD Z3, Z31, Z3
	VADDPD Z31, Z0, Z0
	VADDPD Z31, Z1, Z1
	VADDPD Z31, Z2, Z2
	VADDPD Z31, Z3, Z3

x4b8w:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Z0, 0(R12)
	ADDQ    R9, R12
	VMOVUPD Z1, 0(R12)
	ADDQ    R9, R12
	VMOVUPD Z2, 0(R12)
	ADDQ    R9, R12
	VMOVUPD Z3, 0(R12)
	ADDQ    $64, BX
	JMP     x4b8b

x4b4b:
	MOVQ R9, AX
	SUBQ BX, AX
	CMPQ AX, $32
	JLT  x4done
	VBROADCASTSD 0(R8), Y0
	VBROADCASTSD 8(R8), Y1
	VBROADCASTSD 16(R8), Y2
	VBROADCASTSD 24(R8), Y3
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	LEAQ (DX)(R11*2), R14
	MOVQ CX, AX

x4b4r:
	TESTQ AX, AX
	JEQ   x4b4s
	VMOVUPD 0(R12), Y8
	VBROADCASTSD (R13), Y10
	VFMADD231PD Y8, Y10, Y0
	VBROADCASTSD (R13)(R11*1), Y11
	VFMADD231PD Y8, Y11, Y1
	VBROADCASTSD (R14), Y12
	VFMADD231PD Y8, Y12, Y2
	VBROADCASTSD (R14)(R11*1), Y13
	VFMADD231PD Y8, Y13, Y3
	ADDQ R9, R12
	ADDQ $8, R13
	ADDQ $8, R14
	DECQ AX
	JMP  x4b4r

x4b4s:
	TESTQ R10, R10
	JEQ   x4b4w
	VXORPD Y15, Y15, Y15
	VMAXPD Y0, Y15, Y0
	VMAXPD Y1, Y15, Y1
	VMAXPD Y2, Y15, Y2
	VMAXPD Y3, Y15, Y3
	VADDPD Y15, Y0, Y0
	VADDPD Y15, Y1, Y1
	VADDPD Y15, Y2, Y2
	VADDPD Y15, Y3, Y3

x4b4w:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Y0, 0(R12)
	ADDQ    R9, R12
	VMOVUPD Y1, 0(R12)
	ADDQ    R9, R12
	VMOVUPD Y2, 0(R12)
	ADDQ    R9, R12
	VMOVUPD Y3, 0(R12)
	ADDQ    $32, BX
	JMP     x4b4b

x4done:
	VZEROUPPER
	RET


// func linear1AVX512(dst, src, w, bias *float64, nin, ld int, relu bool)
//
// linear1AVX2 with eight lanes per vector: one output over all ld lanes,
// thirty-two lanes (four ZMM chains) per block, then eight, and a last four
// lanes in YMM, each lane in linear1AVX2's order.
TEXT ·linear1AVX512(SB), NOSPLIT, $0-49
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ w+16(FP), DX
	MOVQ bias+24(FP), R8
	MOVQ nin+32(FP), CX
	MOVQ ld+40(FP), R9
	MOVBQZX relu+48(FP), R10
	SHLQ $3, R9
	VPXORQ Z31, Z31, Z31
	VXORPD Y15, Y15, Y15
	XORQ BX, BX

x1b32b:
	MOVQ R9, AX
	SUBQ BX, AX
	CMPQ AX, $256
	JLT  x1b8b
	VBROADCASTSD 0(R8), Z0
	VMOVAPD Z0, Z1
	VMOVAPD Z0, Z2
	VMOVAPD Z0, Z3
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	MOVQ CX, AX

x1b32r:
	TESTQ AX, AX
	JEQ   x1b32s
	VBROADCASTSD (R13), Z20
	VFMADD231PD 0(R12), Z20, Z0
	VFMADD231PD 64(R12), Z20, Z1
	VFMADD231PD 128(R12), Z20, Z2
	VFMADD231PD 192(R12), Z20, Z3
	ADDQ R9, R12
	ADDQ $8, R13
	DECQ AX
	JMP  x1b32r

x1b32s:
	TESTQ R10, R10
	JEQ   x1b32w
	VMAXPD Z0, Z31, Z0
	VMAXPD Z1, Z31, Z1
	VMAXPD Z2, Z31, Z2
	VMAXPD Z3, Z31, Z3
	VADDPD Z31, Z0, Z0
	VADDPD Z31, Z1, Z1
	VADDPD Z31, Z2, Z2
	VADDPD Z31, Z3, Z3

x1b32w:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Z0, 0(R12)
	VMOVUPD Z1, 64(R12)
	VMOVUPD Z2, 128(R12)
	VMOVUPD Z3, 192(R12)
	ADDQ    $256, BX
	JMP     x1b32b

x1b8b:
	MOVQ R9, AX
	SUBQ BX, AX
	CMPQ AX, $64
	JLT  x1b4b
	VBROADCASTSD 0(R8), Z0
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	MOVQ CX, AX

x1b8r:
	TESTQ AX, AX
	JEQ   x1b8s
	VBROADCASTSD (R13), Z20
	VFMADD231PD 0(R12), Z20, Z0
	ADDQ R9, R12
	ADDQ $8, R13
	DECQ AX
	JMP  x1b8r

x1b8s:
	TESTQ R10, R10
	JEQ   x1b8w
	VMAXPD Z0, Z31, Z0
	VADDPD Z31, Z0, Z0

x1b8w:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Z0, 0(R12)
	ADDQ    $64, BX
	JMP     x1b8b

x1b4b:
	MOVQ R9, AX
	SUBQ BX, AX
	CMPQ AX, $32
	JLT  x1done
	VBROADCASTSD 0(R8), Y0
	LEAQ (SI)(BX*1), R12
	MOVQ DX, R13
	MOVQ CX, AX

x1b4r:
	TESTQ AX, AX
	JEQ   x1b4s
	VBROADCASTSD (R13), Y10
	VFMADD231PD 0(R12), Y10, Y0
	ADDQ R9, R12
	ADDQ $8, R13
	DECQ AX
	JMP  x1b4r

x1b4s:
	TESTQ R10, R10
	JEQ   x1b4w
	VMAXPD Y0, Y15, Y0
	VADDPD Y15, Y0, Y0

x1b4w:
	LEAQ    (DI)(BX*1), R12
	VMOVUPD Y0, 0(R12)
	ADDQ    $32, BX
	JMP     x1b4b

x1done:
	VZEROUPPER
	RET

// func quadChunksAVX2(a *float64, units, ld int, keys *[4]uint64, c *[8]uint64, last *[4]uint64) bool
//
// quadChunksGo's masks for four rows, one row's SplitMix64 stream per lane:
// for u < units, the four lanes a[u·ld .. u·ld+3] get keep's bits where the
// unit's first chunk exceeds P_1 and 0 otherwise (a tie gets 0 here; the
// result reports whether any happened, and the caller redoes the rows with
// quadChunksGo). c holds γ, M₁ mod 2³², M₁ >> 32, M₂ mod 2³², M₂ >> 32, P_1,
// keep's bits and 0xffff; 64-bit products are assembled from three 32-bit
// ones, (a·b) mod 2⁶⁴ = lo·lo + ((hi_a·lo_b + lo_a·hi_b) << 32). last gets
// each lane's last output. Integer operations only: the bits are
// quadChunksGo's.
TEXT ·quadChunksAVX2(SB), NOSPLIT, $0-49
	MOVQ a+0(FP), DI
	MOVQ units+8(FP), CX
	MOVQ ld+16(FP), R9
	SHLQ $3, R9
	MOVQ keys+24(FP), SI
	MOVQ c+32(FP), DX
	MOVQ last+40(FP), R8
	VMOVDQU (SI), Y0
	VPBROADCASTQ 0(DX), Y1
	VPBROADCASTQ 8(DX), Y2
	VPBROADCASTQ 16(DX), Y3
	VPBROADCASTQ 24(DX), Y4
	VPBROADCASTQ 32(DX), Y5
	VPBROADCASTQ 40(DX), Y6
	VPBROADCASTQ 48(DX), Y7
	VPBROADCASTQ 56(DX), Y8
	VPXOR Y9, Y9, Y9
	VPXOR Y15, Y15, Y15

qcloop:
	TESTQ CX, CX
	JLE   qcdone
	// z = state += γ; z = (z ^ z>>30)·M₁; z = (z ^ z>>27)·M₂; w = z ^ z>>31
	VPADDQ   Y1, Y0, Y0
	VPSRLQ   $30, Y0, Y10
	VPXOR    Y0, Y10, Y10
	VPMULUDQ Y2, Y10, Y11
	VPSRLQ   $32, Y10, Y12
	VPMULUDQ Y2, Y12, Y12
	VPMULUDQ Y3, Y10, Y13
	VPADDQ   Y13, Y12, Y12
	VPSLLQ   $32, Y12, Y12
	VPADDQ   Y12, Y11, Y10
	VPSRLQ   $27, Y10, Y11
	VPXOR    Y11, Y10, Y10
	VPMULUDQ Y4, Y10, Y11
	VPSRLQ   $32, Y10, Y12
	VPMULUDQ Y4, Y12, Y12
	VPMULUDQ Y5, Y10, Y13
	VPADDQ   Y13, Y12, Y12
	VPSLLQ   $32, Y12, Y12
	VPADDQ   Y12, Y11, Y10
	VPSRLQ   $31, Y10, Y11
	VPXOR    Y11, Y10, Y15

	// chunk 0
	VPAND    Y8, Y15, Y12
	VPCMPGTQ Y6, Y12, Y13
	VPCMPEQQ Y6, Y12, Y14
	VPOR     Y14, Y9, Y9
	VPAND    Y7, Y13, Y13
	VMOVDQU  Y13, (DI)
	ADDQ     R9, DI
	DECQ     CX
	JZ       qcdone
	// chunk 1
	VPSRLQ   $16, Y15, Y12
	VPAND    Y8, Y12, Y12
	VPCMPGTQ Y6, Y12, Y13
	VPCMPEQQ Y6, Y12, Y14
	VPOR     Y14, Y9, Y9
	VPAND    Y7, Y13, Y13
	VMOVDQU  Y13, (DI)
	ADDQ     R9, DI
	DECQ     CX
	JZ       qcdone
	// chunk 2
	VPSRLQ   $32, Y15, Y12
	VPAND    Y8, Y12, Y12
	VPCMPGTQ Y6, Y12, Y13
	VPCMPEQQ Y6, Y12, Y14
	VPOR     Y14, Y9, Y9
	VPAND    Y7, Y13, Y13
	VMOVDQU  Y13, (DI)
	ADDQ     R9, DI
	DECQ     CX
	JZ       qcdone
	// chunk 3
	VPSRLQ   $48, Y15, Y12
	VPCMPGTQ Y6, Y12, Y13
	VPCMPEQQ Y6, Y12, Y14
	VPOR     Y14, Y9, Y9
	VPAND    Y7, Y13, Y13
	VMOVDQU  Y13, (DI)
	ADDQ     R9, DI
	DECQ     CX
	JMP      qcloop

qcdone:
	VMOVDQU Y15, (R8)
	VPTEST  Y9, Y9
	SETNE   ret+48(FP)
	VZEROUPPER
	RET

// func laneTotals4AVX2(dst, s *float64, quads int)
//
// dst[q] = (s[4q] + s[4q+1]) + (s[4q+2] + s[4q+3]) for q < 4·quads, four weights
// at a time: VHADDPD of the lane vectors of weights q, q+1 gives
// [s0+s1 of q, s0+s1 of q+1 | s2+s3 of q, s2+s3 of q+1], the same for q+2, q+3;
// the low halves of the two and the high halves, added, are the four totals
// with the additions of laneTotals (addition commutes exactly).
TEXT ·laneTotals4AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ s+8(FP), SI
	MOVQ quads+16(FP), CX

ltloop:
	TESTQ CX, CX
	JZ    ltdone
	VMOVUPD    (SI), Y0
	VMOVUPD    32(SI), Y1
	VMOVUPD    64(SI), Y2
	VMOVUPD    96(SI), Y3
	VHADDPD    Y1, Y0, Y0         // [a01, b01 | a23, b23]
	VHADDPD    Y3, Y2, Y2         // [c01, d01 | c23, d23]
	VPERM2F128 $0x20, Y2, Y0, Y4  // [a01, b01, c01, d01]
	VPERM2F128 $0x31, Y2, Y0, Y5  // [a23, b23, c23, d23]
	VADDPD     Y5, Y4, Y4
	VMOVUPD    Y4, (DI)
	ADDQ       $128, SI
	ADDQ       $32, DI
	DECQ       CX
	JMP        ltloop

ltdone:
	VZEROUPPER
	RET
