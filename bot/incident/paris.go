package incident

import (
	"time"
	_ "time/tzdata" // Europe/Paris must load on images without zoneinfo
)

// Paris is the time zone deadlines are shown in. Instants are stored in UTC.
var Paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is embedded: this cannot fail
	}
	return loc
}
