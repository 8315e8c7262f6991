package incident

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// ExercisePrefix starts the ID of an exercise (EX-2026-0001). Exercises
// are numbered apart, from their own counter, so that the real incidents
// of a year keep numbers without gaps (2026-0001, 2026-0002…) and an
// exercise's ID alone says it is one, wherever it is quoted.
const ExercisePrefix = "EX-"

// FormatID writes the ID of the n-th incident of year, or of the n-th
// exercise: four digits at least, more when a year needs them.
func FormatID(year int, n uint64, exercise bool) string {
	id := fmt.Sprintf("%04d-%04d", year, n)
	if exercise {
		return ExercisePrefix + id
	}
	return id
}

// SeqKey names the counter IDs are allocated from: the year for
// incidents ("2026", the only counter databases made before exercises
// have), the prefixed year for exercises ("EX-2026").
func SeqKey(year int, exercise bool) string {
	if exercise {
		return ExercisePrefix + strconv.Itoa(year)
	}
	return strconv.Itoa(year)
}

// IsExerciseID reports whether id is an exercise's.
func IsExerciseID(id string) bool { return strings.HasPrefix(id, ExercisePrefix) }

// CompareIDs orders IDs by year, then a year's incidents before its
// exercises, then by number (2026-9999 before 2026-10000). IDs that do
// not have this shape sort by their text.
func CompareIDs(a, b string) int {
	ea, ya, na := splitID(a)
	eb, yb, nb := splitID(b)
	if c := cmp.Or(cmp.Compare(len(ya), len(yb)), cmp.Compare(ya, yb)); c != 0 {
		return c
	}
	if ea != eb {
		if ea {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(len(na), len(nb)), cmp.Compare(na, nb))
}

// splitID cuts an ID into its exercise mark, year and number.
func splitID(id string) (exercise bool, year, n string) {
	rest, exercise := strings.CutPrefix(id, ExercisePrefix)
	year, n, _ = strings.Cut(rest, "-")
	return exercise, year, n
}
