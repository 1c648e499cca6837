package nets

import "fmt"

// Matrix is a dense row-major matrix of float64: element (i, j) is Data[i*Cols+j].
// It is a plain value so that callers can wrap an existing slice without copying.
type Matrix struct {
	Rows, Cols int
	Data       []float64
}

// NewMatrix returns a zeroed rows×cols matrix.
func NewMatrix(rows, cols int) *Matrix {
	return &Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
}

// Row returns row i as a slice of Data (not a copy).
func (m *Matrix) Row(i int) []float64 { return m.Data[i*m.Cols : (i+1)*m.Cols] }

// Resize makes m rows×cols, reusing Data's capacity when it suffices.
// The contents after a resize are unspecified.
func (m *Matrix) Resize(rows, cols int) {
	n := rows * cols
	if cap(m.Data) < n {
		m.Data = make([]float64, n)
	}
	m.Data = m.Data[:n]
	m.Rows, m.Cols = rows, cols
}

// Gather sets m to the rows idx of src, in that order, reusing m's storage.
// A run of consecutive indices is copied at once: the unlabeled rows of a pool
// are mostly such runs, and one copy per row cost more than the bytes it moved.
func (m *Matrix) Gather(src *Matrix, idx []int) {
	m.Resize(len(idx), src.Cols)
	c := src.Cols
	for k := 0; k < len(idx); {
		i, e := idx[k], k+1
		for e < len(idx) && idx[e] == i+(e-k) {
			e++
		}
		copy(m.Data[k*c:e*c], src.Data[i*c:(i+e-k)*c])
		k = e
	}
}

// rowsOf returns the rows idx of m, in that order: view set to a matrix on
// m's own storage when they are consecutive, else buf set to their copy.
func (m *Matrix) rowsOf(idx []int, buf, view *Matrix) *Matrix {
	if consecutive(idx) {
		*view = within(m, idx[0], idx[0]+len(idx))
		return view
	}
	buf.Gather(m, idx)
	return buf
}

// consecutive reports whether idx is a nonempty run i, i+1, i+2, ….
func consecutive(idx []int) bool {
	if len(idx) == 0 || idx[len(idx)-1]-idx[0] != len(idx)-1 {
		return false
	}
	for k, i := range idx {
		if i != idx[0]+k {
			return false
		}
	}
	return true
}

func (m *Matrix) check() {
	if len(m.Data) != m.Rows*m.Cols {
		panic(fmt.Sprintf("nets: matrix %d×%d has %d elements", m.Rows, m.Cols, len(m.Data)))
	}
}
