package svm

// slots maps keys in [0, keys) to at most n slots, evicting the least recently
// used key when a new key needs a slot. The caller owns the slot storage.
type slots struct {
	slotOf     []int32 // key → slot, −1 when absent
	owner      []int   // slot → key
	prev, next []int   // circular LRU list over slots, sentinel n
	n, used    int
}

func newSlots(keys, n int) slots {
	s := slots{slotOf: make([]int32, keys), owner: make([]int, n),
		prev: make([]int, n+1), next: make([]int, n+1), n: n}
	s.flush()
	return s
}

// flush forgets every key.
func (s *slots) flush() {
	for k := range s.slotOf {
		s.slotOf[k] = -1
	}
	s.used = 0
	s.prev[s.n], s.next[s.n] = s.n, s.n
}

func (s *slots) unlink(h int) {
	s.next[s.prev[h]] = s.next[h]
	s.prev[s.next[h]] = s.prev[h]
}

func (s *slots) pushBack(h int) {
	t := s.n
	s.next[h] = t
	s.prev[h] = s.prev[t]
	s.next[s.prev[h]] = h
	s.prev[t] = h
}

// get returns key's slot, making it the most recently used; hit is false when
// the slot was just assigned (its contents are stale).
func (s *slots) get(key int) (slot int, hit bool) {
	if sl := s.slotOf[key]; sl >= 0 {
		s.unlink(int(sl))
		s.pushBack(int(sl))
		return int(sl), true
	}
	if s.used < s.n {
		slot = s.used
		s.used++
	} else {
		slot = s.next[s.n]
		s.unlink(slot)
		s.slotOf[s.owner[slot]] = -1
	}
	s.owner[slot] = key
	s.slotOf[key] = int32(slot)
	s.pushBack(slot)
	return slot, false
}
