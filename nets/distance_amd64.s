//go:build amd64 && !purego

#include "textflag.h"

DATA minTwoOne<>+0(SB)/8, $1.0
GLOBL minTwoOne<>(SB), RODATA, $8

// func minTwoAVX2(w *float64, ld, k, lanes int, m1, m2, arg *float64)
//
// For each lane i < lanes (a multiple of 4), over the k rows j of w
// (w[j·ld + i]): if v < m2 { if v < m1 { m1, m2, arg = v, m1, j } else { m2 = v } },
// four lanes at a time with compares and blends; m1, m2 and arg are read
// first and written back. Comparisons are ordered (a NaN v changes nothing).
// Go's operand order is the reverse of Intel's: VCMPPD $1, B, A, M is M = A < B;
// VBLENDVPD M, T, F, D is D = M ? T : F.
TEXT ·minTwoAVX2(SB), NOSPLIT, $0-56
	MOVQ w+0(FP), SI
	MOVQ ld+8(FP), R8
	MOVQ k+16(FP), R9
	MOVQ lanes+24(FP), CX
	MOVQ m1+32(FP), R10
	MOVQ m2+40(FP), R11
	MOVQ arg+48(FP), R12
	SHLQ $3, R8
	SHLQ $3, CX
	VBROADCASTSD minTwoOne<>(SB), Y8
	XORQ BX, BX

mtblock:
	CMPQ BX, CX
	JGE  mtdone
	VMOVUPD (R10)(BX*1), Y0 // m1
	VMOVUPD (R11)(BX*1), Y1 // m2
	VMOVUPD (R12)(BX*1), Y2 // arg
	VXORPD  Y3, Y3, Y3      // j
	LEAQ    (SI)(BX*1), DI
	MOVQ    R9, DX

mtinner:
	TESTQ     DX, DX
	JEQ       mtstore
	VMOVUPD   (DI), Y4
	VCMPPD    $1, Y0, Y4, Y5 // v < m1
	VCMPPD    $1, Y1, Y4, Y6 // v < m2
	VBLENDVPD Y6, Y4, Y1, Y7 // v < m2 ? v : m2
	VBLENDVPD Y5, Y0, Y7, Y1 // v < m1 ? m1 : that
	VBLENDVPD Y5, Y4, Y0, Y0 // v < m1 ? v : m1
	VBLENDVPD Y5, Y3, Y2, Y2 // v < m1 ? j : arg
	VADDPD    Y8, Y3, Y3
	ADDQ      R8, DI
	DECQ      DX
	JMP       mtinner

mtstore:
	VMOVUPD Y0, (R10)(BX*1)
	VMOVUPD Y1, (R11)(BX*1)
	VMOVUPD Y2, (R12)(BX*1)
	ADDQ    $32, BX
	JMP     mtblock

mtdone:
	VZEROUPPER
	RET
