#include "textflag.h"

// func scanLowPairs(g, yf, lowMask, qd []float64, qi []float32, gmax, qdi, yi2 float64) (gm0, gm1, om0 float64, oi0 int, om1 float64, oi1 int)
//
// SSE2, two lanes (t even, t odd) over the first len(g) &^ 1 entries; see
// scanLowPairsGo for the meaning. Only IEEE add, subtract, multiply, divide and
// ordered compares on the values the scalar scan uses: the same bits.
TEXT ·scanLowPairs(SB), NOSPLIT, $0-192
	MOVQ g_base+0(FP), AX
	MOVQ g_len+8(FP), CX
	MOVQ yf_base+24(FP), BX
	MOVQ lowMask_base+48(FP), DX
	MOVQ qd_base+72(FP), SI
	MOVQ qi_base+96(FP), DI
	MOVSD gmax+120(FP), X0
	UNPCKLPD X0, X0
	MOVSD qdi+128(FP), X1
	UNPCKLPD X1, X1
	MOVSD yi2+136(FP), X2
	UNPCKLPD X2, X2
	XORPD X3, X3                    // 0
	MOVQ $0x3d719799812dea11, R8    // tau = 1e-12
	MOVQ R8, X4
	UNPCKLPD X4, X4
	MOVQ $0x8000000000000000, R8    // sign bit
	MOVQ R8, X5
	UNPCKLPD X5, X5
	MOVQ $0xfff0000000000000, R8    // gmax2 = −∞
	MOVQ R8, X6
	UNPCKLPD X6, X6
	MOVQ $0x7ff0000000000000, R8    // objMin = +∞
	MOVQ R8, X7
	UNPCKLPD X7, X7
	PCMPEQL X8, X8                  // index = −1
	MOVQ $1, R8                     // t = [0, 1]
	MOVQ R8, X9
	PSLLDQ $8, X9
	MOVQ $2, R8
	MOVQ R8, X10
	PUNPCKLQDQ X10, X10             // [2, 2]
	ANDQ $-2, CX
	XORQ R9, R9

loop:
	CMPQ R9, CX
	JGE  done
	MOVUPD (AX)(R9*8), X11          // g
	MOVUPD (BX)(R9*8), X12          // yf
	MULPD  X12, X11
	MOVUPD (DX)(R9*8), X13
	ADDPD  X13, X11                 // w = yf·g + lowMask
	MAXPD  X11, X6                  // gmax2 = w if w ≥ gmax2
	MOVAPD X0, X13
	ADDPD  X11, X13                 // gd = gmax + w
	MOVUPD (SI)(R9*8), X14
	ADDPD  X1, X14                  // qdi + qd
	MULPD  X2, X12                  // yi2·yf
	MOVSD  (DI)(R9*4), X15
	CVTPS2PD X15, X15               // qi
	MULPD  X15, X12
	SUBPD  X12, X14                 // quad
	MOVAPD X3, X15
	CMPPD  X14, X15, $1             // 0 < quad
	ANDPD  X15, X14
	ANDNPD X4, X15
	ORPD   X15, X14                 // quad if quad > 0, else tau
	MOVAPD X13, X12
	MULPD  X13, X12
	XORPD  X5, X12
	DIVPD  X14, X12                 // od = −gd²/quad
	MOVAPD X3, X15
	CMPPD  X13, X15, $1             // 0 < gd
	MOVAPD X12, X14
	CMPPD  X7, X14, $2              // od ≤ objMin
	ANDPD  X15, X14                 // take
	ANDPD  X14, X12
	MOVAPD X14, X15
	ANDNPD X7, X15
	ORPD   X15, X12
	MOVAPD X12, X7                  // objMin = od where taken
	MOVAPD X14, X15
	ANDPD  X9, X15
	ANDNPD X8, X14
	ORPD   X15, X14
	MOVAPD X14, X8                  // index = t where taken
	PADDQ  X10, X9
	ADDQ   $2, R9
	JMP    loop

done:
	MOVLPD X6, gm0+144(FP)
	MOVHPD X6, gm1+152(FP)
	MOVLPD X7, om0+160(FP)
	MOVHPD X7, om1+176(FP)
	MOVQ   X8, R8
	MOVQ   R8, oi0+168(FP)
	PSRLDQ $8, X8
	MOVQ   X8, R8
	MOVQ   R8, oi1+184(FP)
	RET
