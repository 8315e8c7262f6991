package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests run a structure outside Nouvelle-Aquitaine end to end: its
// configuration names its region (and, where Vigie ships no contacts for
// it, its ARS's), it opens an incident on a national chain in the console,
// and the card, the checklist, vigie doctor and the reflex sheet show its
// region's ARS, or say what to configure.

// writeConfig writes a configuration file and returns its path.
func writeConfig(t *testing.T, yaml string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "vigie.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// regionNight is the night of the scenarios, 02:30 in Paris.
var regionNight = time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC)

// auraScript is a hospital of Auvergne-Rhône-Alpes on the national chain:
// it reports to CERT Santé, then, the portal down, phones its ARS.
const auraScript = `ouvrir Rançongiciel sur le PACS t0=02:10
repondre capacity_impact non
repondre malicious oui
repondre insured non
repondre personal_data_breach non
repondre esms non
fait cert-sante via=telephone ref="CERT Santé 02:20" at=02:20
fait ars via=telephone ref="PFR 02:24" at=02:24 portail inaccessible
statut complet
`

func TestNationalChainInAuvergneRhoneAlpes(t *testing.T) {
	conf := writeConfig(t, "region: auvergne-rhone-alpes\norganisation: {name: CH Exemple, finess: \"690000000\", chain: national/es-esms}\n")
	db := filepath.Join(t.TempDir(), "vigie.db")
	got := runConsoleScript(t, db, regionNight, auraScript, "--config", conf, "--sweep", "0")
	checkGolden(t, "console-region-aura", got)
	for _, want := range []string{
		"national/es-esms v2023-04.1",
		"ARS Auvergne-Rhône-Alpes (point focal régional)",
		"ars69-alerte@ars.sante.fr",
		"0 800 32 42 62",
		"17Cyber", // the police or the gendarmerie, the malicious branch
		"« Alerter l'ARS (point focal régional) » faite, réf. PFR 02:24",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the transcript lacks %q", want)
		}
	}
	for _, wrong := range []string{"ARS concernée", "à configurer", "ars33-alerte", "cybermenaces-bordeaux"} {
		if strings.Contains(got, wrong) {
			t.Errorf("the transcript shows %q", wrong)
		}
	}
}

// TestNationalChainInBretagne: Vigie ships no contacts for Bretagne (no
// public page read for it gave them). With the ARS's contact in the
// configuration, the chain goes to it; without, the card and vigie doctor
// say what to configure, and the step names the ARS generically.
func TestNationalChainInBretagne(t *testing.T) {
	const script = "ouvrir Rançongiciel t0=02:10\n"
	t.Run("contact in the configuration", func(t *testing.T) {
		yaml := "region: bretagne\norganisation: {chain: national/ose}\ncontacts:\n  ars: {name: \"ARS Bretagne (point focal régional)\", email: ars-alerte@example.org, phone: \"09 00 00 00 00\"}\n"
		got := runConsoleScript(t, filepath.Join(t.TempDir(), "vigie.db"), regionNight, script, "--config", writeConfig(t, yaml), "--sweep", "0")
		for _, want := range []string{"national/ose", "ARS Bretagne (point focal régional) — E-mail : ars-alerte@example.org · Téléphone : 09 00 00 00 00 [secours]"} {
			if !strings.Contains(got, want) {
				t.Errorf("the transcript lacks %q:\n%s", want, got)
			}
		}
		if strings.Contains(got, "à configurer") || strings.Contains(got, "ARS concernée") {
			t.Errorf("the card asks to configure a contact the configuration gives:\n%s", got)
		}
		code, out, _ := runDoctor(t, t.TempDir(), yaml)
		if mark, line := checkLine(out, "contacts"); code != ExitOK || mark != "✓" || !strings.Contains(line, "ars-alerte@example.org, 09 00 00 00 00 (from the configuration)") {
			t.Errorf("doctor: exit %d, contacts %q", code, line)
		}
	})
	t.Run("no contact", func(t *testing.T) {
		yaml := "region: bretagne\norganisation: {chain: national/es-esms}\n"
		got := runConsoleScript(t, filepath.Join(t.TempDir(), "vigie.db"), regionNight, script+"statut complet\n", "--config", writeConfig(t, yaml), "--sweep", "0")
		for _, want := range []string{
			"⚠️ Coordonnées régionales à configurer",
			"ARS concernée (point focal régional) : Vigie n'a pas son adresse pour votre région",
			"(contacts.ars : email, phone)",
			"Destinataire : ARS concernée (point focal régional)",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("the transcript lacks %q:\n%s", want, got)
			}
		}
		code, out, _ := runDoctor(t, t.TempDir(), yaml)
		if mark, line := checkLine(out, "contacts"); code != ExitFailure || mark != "✗" ||
			!strings.Contains(line, "region bretagne (Vigie ships no contacts for it)") || !strings.Contains(line, "add contacts.ars.email and contacts.ars.phone") {
			t.Errorf("doctor: exit %d, contacts %q", code, line)
		}
	})
	t.Run("in English", func(t *testing.T) {
		yaml := "region: bretagne\norganisation: {chain: national/es-esms}\n"
		got := runConsoleScript(t, filepath.Join(t.TempDir(), "vigie.db"), regionNight, "open Ransomware t0=02:10\n", "--config", writeConfig(t, yaml), "--sweep", "0", "--lang", "en")
		if !strings.Contains(got, "Regional contacts to configure") || !strings.Contains(got, "(contacts.ars: email, phone)") {
			t.Errorf("the English card does not say what to configure:\n%s", got)
		}
	})
	t.Run("structure picker", func(t *testing.T) {
		got := runConsoleScript(t, filepath.Join(t.TempDir(), "vigie.db"), regionNight, script, "--config", writeConfig(t, "region: bretagne\n"), "--sweep", "0")
		for _, id := range []string{"`national/es-esms`", "`national/ose`", "`national/ps-liberal`"} {
			if !strings.Contains(got, id) {
				t.Errorf("the picker does not offer %s:\n%s", id, got)
			}
		}
		if strings.Contains(got, "nouvelle-aquitaine/") {
			t.Errorf("the picker of a structure in Bretagne offers the Nouvelle-Aquitaine charts:\n%s", got)
		}
	})
}

// TestDoctorContacts: vigie doctor says, for the chains a structure may
// follow, which ARS and CSIRT they go to and where from, and what is
// missing: an ARS without address, or without a number to call when the
// portal is down.
func TestDoctorContacts(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		mark       string
		want       []string
	}{
		{"region shipped", "region: pays-de-la-loire\n", "✓",
			[]string{"region pays-de-la-loire", "ars: ARS Pays de la Loire (point focal régional) — ars44-alerte@ars.sante.fr, 0 800 277 303 (shipped with Vigie, checked 2026-12-06)", "csirt: none for this region"}},
		{"region shipped without the ARS's phone", "region: centre-val-de-loire\norganisation: {chain: national/es-esms}\n", "✗",
			[]string{"ars45-alerte@ars.sante.fr (shipped with Vigie, checked 2026-12-06), without phone", "add contacts.ars.phone to the configuration"}},
		{"the configuration completes the region's", "region: centre-val-de-loire\norganisation: {chain: national/es-esms}\ncontacts: {ars: {phone: \"02.00.00.00.00\"}}\n", "✓",
			[]string{"ARS Centre-Val de Loire (point focal régional) — ars45-alerte@ars.sante.fr, 02 00 00 00 00 (from the configuration)"}},
		{"the region's CSIRT, no ARS needed", "region: occitanie\norganisation: {chain: national/ps-liberal}\n", "✓",
			[]string{"csirt: Cyber'Occ (CSIRT régional d'Occitanie) — 0 800 71 13 13, csirt@cyberocc.fr"}},
		{"a region with a CSIRT but no ARS", "region: occitanie\norganisation: {chain: national/ose}\n", "✗",
			[]string{"ars: none", "add contacts.ars.email and contacts.ars.phone"}},
		{"a regional chain", "organisation: {chain: nouvelle-aquitaine/es-esms}\n", "✓",
			[]string{"region nouvelle-aquitaine (that of organisation.chain); the chain nouvelle-aquitaine/es-esms goes to its region's own contacts"}},
		{"CRIC-NA is the CSIRT of Nouvelle-Aquitaine", "region: nouvelle-aquitaine\norganisation: {chain: national/ps-liberal}\n", "✓",
			[]string{"csirt: CRIC-NA (CSIRT régional) — cric-na@campuscyber-na.fr, 0 805 29 29 40"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, out, _ := runDoctor(t, t.TempDir(), tc.yaml)
			mark, line := checkLine(out, "contacts")
			if mark != tc.mark {
				t.Errorf("contacts: %q, want %s", line, tc.mark)
			}
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("contacts: %q lacks %q", line, w)
				}
			}
		})
	}
	// A region the organisation's chain contradicts is a configuration error.
	_, out, _ := runDoctor(t, t.TempDir(), "region: bretagne\norganisation: {chain: nouvelle-aquitaine/ose}\n")
	if mark, line := checkLine(out, "configuration"); mark != "✗" || !strings.Contains(line, `region: "bretagne", but organisation.chain nouvelle-aquitaine/ose is the chain of region nouvelle-aquitaine`) {
		t.Errorf("configuration: %q", line)
	}
}

// TestFicheOfARegion: the reflex sheet of a national chain prints the
// region's ARS, with its number for the night the network is down.
func TestFicheOfARegion(t *testing.T) {
	useTestClock(t)
	out := mustRun(t, "--config", writeConfig(t, "region: auvergne-rhone-alpes\n"), "fiche", "--flow", "national/es-esms")
	for _, want := range []string{"ars69-alerte@ars.sante.fr", "**0 800 32 42 62** — ARS Auvergne-Rhône-Alpes (point focal régional)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, out)
		}
	}
	generic := mustRun(t, "fiche", "--flow", "national/es-esms")
	if strings.Contains(generic, "ars69-alerte") || !strings.Contains(generic, "ARS concernée") {
		t.Errorf("without a region, the sheet is not the generic one")
	}
}
