package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// cellScript is a night of a crisis cell with its roles, in the terminal
// (the user is @rssi): roles taken, given and released, a declaration the
// DPO must confirm, a note kept with a NIR at the person's request (no
// log line on the terminal; the hand-over masks it), hand-overs and a
// message for the direction.
const cellScript = `ouvrir Fuite de données t0=02:10
role
role rssi
role directeur-crise @cmoreau
role dpo suppleant @amartin
repondre personal_data_breach oui
repondre high_risk non
fait cnil via=portail ref=CNIL-7
confirmer cnil
point conditions="fuite confirmée" actions="serveur isolé" besoins="avocat"
note forcer=oui rappel de la famille du patient 1 84 12 75 123 456 40
releve
message direction
role directeur-crise -
releve
`

// TestConsoleCrisisCell: the crisis cell's organisation as the terminal
// shows it, with the DPO named by the configuration and declarations
// their owner confirms (golden file).
func TestConsoleCrisisCell(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "vigie.yaml")
	yaml := "roles: [{key: dpo, holder: \"@jdupont\"}]\ndeclarations: {owner: propose}\n"
	if err := os.WriteFile(conf, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	night := time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC) // 02:30 in Paris
	got := runConsoleScript(t, filepath.Join(dir, "vigie.db"), night, cellScript,
		"--config", conf, "--flow", "nouvelle-aquitaine/es-esms", "--sweep", "0")
	checkGolden(t, "console-crisis-cell", got)
	// The DPO, in a terminal of their own on the same file, reads the
	// hand-over (whole, though the card comes first on a new terminal)
	// and confirms.
	got = runConsoleScript(t, filepath.Join(dir, "vigie.db"), night.Add(20*time.Minute), "releve\nconfirmer cnil\nstatut\n",
		"--config", conf, "--flow", "nouvelle-aquitaine/es-esms", "--sweep", "0", "--user", "jdupont")
	checkGolden(t, "console-crisis-cell-dpo", got)
}
