// Package check validates the training data a learner is given, one rule for every
// learner package, so their errors read alike.
package check

import (
	"errors"
	"fmt"

	"albench/nets"
)

// Data reports the first problem with training data x, y for a model of classes
// outputs: no rows or columns, a malformed matrix, a label count that does not
// match, a label outside [0, classes) or a value that is not finite. pkg prefixes
// the message ("lda: ...").
func Data(pkg string, x *nets.Matrix, y []int, classes int) error {
	return DataFrom(pkg, x, y, classes, 0)
}

// DataFrom is Data for training data whose rows before from were checked already
// (by an earlier call on a prefix of x and y): the shape is checked in full,
// labels and values only from row from on, with Data's messages and indices. A
// learner refitted on a growing labeled set so checks each row once.
func DataFrom(pkg string, x *nets.Matrix, y []int, classes, from int) error {
	if classes < 1 {
		return fmt.Errorf("%s: %d classes", pkg, classes)
	}
	if x.Rows == 0 || x.Cols == 0 {
		return errors.New(pkg + ": no training data")
	}
	if len(x.Data) != x.Rows*x.Cols {
		return fmt.Errorf("%s: matrix %d×%d has %d elements", pkg, x.Rows, x.Cols, len(x.Data))
	}
	if len(y) != x.Rows {
		return fmt.Errorf("%s: %d labels for %d rows", pkg, len(y), x.Rows)
	}
	from = min(max(from, 0), x.Rows)
	for i := from; i < len(y); i++ {
		if c := y[i]; c < 0 || c >= classes {
			return fmt.Errorf("%s: label %d of row %d outside [0, %d)", pkg, c, i, classes)
		}
	}
	for i := from * x.Cols; i < len(x.Data); i++ {
		// v − v is 0 for a finite v and NaN for ±Inf or NaN: one test for both.
		if v := x.Data[i]; v-v != 0 {
			return fmt.Errorf("%s: x[%d][%d] = %v", pkg, i/x.Cols, i%x.Cols, v)
		}
	}
	return nil
}
