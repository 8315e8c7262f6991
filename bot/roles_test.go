package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// TestRoles: a role is taken, given, given to someone else and released;
// each change is one entry of the main courante, shows on the card, and
// is what CheckRecord finds when it replays the entries.
func TestRoles(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	steps := []struct {
		cmd, reply, entry string
		want              map[string]incident.User
	}{
		{"role rssi", "Vous tenez le rôle RSSI sur l'incident #2026-0001 : Conduit la réponse technique", "Rôle RSSI : @rssi",
			map[string]incident.User{"rssi": {ID: "u1", Name: "rssi"}}},
		{"role dpo @jdupont", "@jdupont tient le rôle DPO sur l'incident #2026-0001.", "Rôle DPO : @jdupont",
			map[string]incident.User{"rssi": {ID: "u1", Name: "rssi"}, "dpo": {Name: "jdupont"}}},
		{"rôle DPD @amartin", "@amartin tient le rôle DPO", "Rôle DPO : @amartin (à la place de @jdupont)",
			map[string]incident.User{"rssi": {ID: "u1", Name: "rssi"}, "dpo": {Name: "amartin"}}},
		{"role ciso -", "Rôle RSSI libéré sur l'incident #2026-0001 (tenu par @rssi).", "Rôle RSSI libéré (tenu par @rssi)",
			map[string]incident.User{"dpo": {Name: "amartin"}}},
		{"role directeur-crise <@U0G9QF9C6|cmoreau>", "@cmoreau tient le rôle Directeur de crise", "Rôle Directeur de crise : @cmoreau",
			map[string]incident.User{"dpo": {Name: "amartin"}, "directeur-crise": {ID: "U0G9QF9C6", Name: "cmoreau"}}},
	}
	for i, s := range steps {
		h.now = t0.Add(time.Duration(i+1) * time.Minute)
		r := h.ok(s.cmd)
		if !strings.Contains(r.Text, s.reply) {
			t.Errorf("%q: reply %q, want it to contain %q", s.cmd, r.Text, s.reply)
		}
		inc := h.incident("2026-0001")
		if len(inc.Roles) != len(s.want) {
			t.Errorf("%q: roles %v, want %v", s.cmd, inc.Roles, s.want)
		}
		for k, u := range s.want {
			if inc.Roles[k] != u {
				t.Errorf("%q: role %s held by %+v, want %+v", s.cmd, k, inc.Roles[k], u)
			}
		}
		es := h.entries("2026-0001")
		last := es[len(es)-1]
		if last.Kind != incident.KindRole || last.Text != s.entry || !last.Time.Equal(h.now) || last.Actor != "@rssi" {
			t.Errorf("%q: entry %+v, want a role entry %q at %v by @rssi", s.cmd, last, s.entry, h.now)
		}
		if err := incident.CheckRecord(inc, es); err != nil {
			t.Errorf("%q: %v", s.cmd, err)
		}
	}
	card := render(h.chat.Message(h.incident("2026-0001").Messages[bot.RoleCard]))
	if !strings.Contains(card, "Rôles: Directeur de crise @cmoreau · DPO @amartin") {
		t.Errorf("card does not show the holders:\n%s", card)
	}
	list := h.ok("role")
	text := render(*list.Message)
	for _, want := range []string{"Rôles de la cellule de crise — incident #2026-0001", "• DPO (dpo) : @amartin — Qualifie la violation de données",
		"• RSSI (rssi) : personne", "/incident role ROLE - pour le libérer"} {
		if !strings.Contains(text, want) {
			t.Errorf("role list lacks %q:\n%s", want, text)
		}
	}
}

// TestRolesRefused: each refusal names what was wrong and what is
// accepted, and changes nothing.
func TestRolesRefused(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.ok("role dpo @jdupont")
	for _, tc := range []struct{ cmd, want string }{
		{"role pompier", "Rôle inconnu : « pompier ». Rôles : directeur-crise, rssi, dsi, dpo, communication, direction-soins, main-courante."},
		{"role dpo jdupont", "« jdupont » ne désigne personne : écrivez @identifiant (par exemple @jdupont), ou « - » pour libérer le rôle."},
		{"role dpo @", "« @ » ne désigne personne"},
		{"role dpo @a b", "Usage : role ROLE [@personne|-]"},
		{"role dpo @JDupont", "@jdupont tient déjà le rôle DPO."},
		{"role rssi -", "Le rôle RSSI n'est tenu par personne : rien à libérer."},
	} {
		h.refused("2026-0001", tc.cmd, tc.want)
	}
}

// TestRolesNoIncident: the list of roles and duties is there before any
// incident; taking one needs an incident.
func TestRolesNoIncident(t *testing.T) {
	h := newHarness(t, bot.Config{Lang: "en"})
	r := h.ok("roles")
	if text := render(*r.Message); !strings.Contains(text, "no incident open in this channel") || !strings.Contains(text, "DPO (dpo): nobody — Assesses the data breach") {
		t.Errorf("role list without incident:\n%s", text)
	}
	if r := h.do("role dpo"); !r.Error || !strings.Contains(r.Text, "No open incident in this channel") {
		t.Errorf("role taken without incident: %+v", r)
	}
}

// TestRolesConfigured: the configuration's roles replace the defaults,
// and the holders it names hold them from the opening, each recorded.
func TestRolesConfigured(t *testing.T) {
	roles := append([]bot.Role(nil), bot.DefaultRoles...)
	roles[3].Holder = "@jdupont" // dpo
	roles = append(roles, bot.Role{Key: "juridique", Name: textFR("Juridique"), Duties: textFR("Conseille la direction, prépare la plainte."), Holder: "@avocat"})
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Roles: roles})
	h.ok("ouvrir Rançongiciel")
	inc := h.incident("2026-0001")
	if inc.Roles["dpo"] != (incident.User{Name: "jdupont"}) || inc.Roles["juridique"] != (incident.User{Name: "avocat"}) {
		t.Fatalf("roles at opening: %v", inc.Roles)
	}
	es := h.entries("2026-0001")
	if len(es) != 3 || es[1].Text != "Rôle DPO : @jdupont (configuration)" || es[2].Data["role"] != "juridique" {
		t.Fatalf("entries at opening: %+v", es)
	}
	if err := incident.CheckRecord(inc, es); err != nil {
		t.Fatal(err)
	}
	h.ok("role juridique")
	if r := h.do("role pompier"); !strings.Contains(r.Text, "main-courante, juridique.") {
		t.Errorf("refusal does not list the configured roles: %q", r.Text)
	}
}

// TestCheckRecordRoles: a holder changed in the record without an entry
// is found.
func TestCheckRecordRoles(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.ok("role dpo @jdupont")
	inc, es := h.incident("2026-0001"), h.entries("2026-0001")
	inc.Roles["dpo"] = incident.User{Name: "intrus"}
	err := incident.CheckRecord(inc, es)
	if err == nil || !strings.Contains(err.Error(), `roles.dpo is "@intrus" but entry 2 says "@jdupont"`) {
		t.Errorf("altered holder: %v", err)
	}
	inc.Roles["rssi"] = incident.User{Name: "rssi"}
	delete(inc.Roles, "dpo")
	if err := incident.CheckRecord(inc, es); err == nil || !strings.Contains(err.Error(), "roles.") {
		t.Errorf("holders not given by any entry: %v", err)
	}
}

func textFR(s string) flows.Text { return flows.Text{FR: s, EN: s} }

// TestDeputies: a role's deputy is taken, given and released like the
// role, apart from its holder, and shows beside it.
func TestDeputies(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.ok("role dpo @jdupont")
	if r := h.ok("role dpo suppleant"); !strings.Contains(r.Text, "Vous êtes suppléant du rôle DPO sur l'incident #2026-0001") {
		t.Errorf("deputy taken: %q", r.Text)
	}
	inc := h.incident("2026-0001")
	if inc.Deputies["dpo"] != (incident.User{ID: "u1", Name: "rssi"}) || inc.Roles["dpo"] != (incident.User{Name: "jdupont"}) {
		t.Fatalf("holder %v, deputy %v", inc.Roles, inc.Deputies)
	}
	card := render(h.chat.Message(inc.Messages[bot.RoleCard]))
	if !strings.Contains(card, "Rôles: DPO @jdupont (suppléant @rssi)") {
		t.Errorf("card:\n%s", card)
	}
	if r := h.do("role dpo deputy @RSSI"); !r.Error || !strings.Contains(r.Text, "@rssi est déjà suppléant du rôle DPO.") {
		t.Errorf("same deputy again: %+v", r)
	}
	h.ok("role dpo -")
	card = render(h.chat.Message(inc.Messages[bot.RoleCard]))
	if !strings.Contains(card, "Rôles: DPO : personne (suppléant @rssi)") {
		t.Errorf("card with a deputy alone:\n%s", card)
	}
	if r := h.ok("role dpo suppléant -"); !strings.Contains(r.Text, "Suppléant du rôle DPO libéré sur l'incident #2026-0001 (c'était @rssi).") {
		t.Errorf("deputy released: %q", r.Text)
	}
	if r := h.do("role dpo suppleant -"); !r.Error || !strings.Contains(r.Text, "Le rôle DPO n'a pas de suppléant") {
		t.Errorf("no deputy to release: %+v", r)
	}
	if r := h.do("role dpo suppleant @a @b"); !r.Error || !strings.Contains(r.Text, "Usage : role ROLE") {
		t.Errorf("two deputies: %+v", r)
	}
	inc, es := h.incident("2026-0001"), h.entries("2026-0001")
	if len(inc.Roles)+len(inc.Deputies) != 0 {
		t.Errorf("after releases: %v %v", inc.Roles, inc.Deputies)
	}
	if err := incident.CheckRecord(inc, es); err != nil {
		t.Error(err)
	}
	inc.Deputies = map[string]incident.User{"dpo": {Name: "fantome"}}
	if err := incident.CheckRecord(inc, es); err == nil || !strings.Contains(err.Error(), `deputies.dpo is "@fantome"`) {
		t.Errorf("deputy without entry: %v", err)
	}
}

// TestUnknownVerbListsEveryCommand: the refusal of an unknown command
// names every command the help shows, the crisis cell's included.
func TestUnknownVerbListsEveryCommand(t *testing.T) {
	h := newHarness(t, bot.Config{})
	unknown := h.do("frobnicate").Text
	help := render(*h.ok("aide").Message)
	n := 0
	for _, line := range strings.Split(help, "\n") {
		rest, ok := strings.CutPrefix(line, "/incident ")
		if !ok {
			continue
		}
		verb := strings.Fields(rest)[0]
		n++
		if !strings.Contains(unknown, " "+verb+",") && !strings.Contains(unknown, " "+verb+".") {
			t.Errorf("the refusal of an unknown command does not name %q: %s", verb, unknown)
		}
	}
	if n < 15 {
		t.Fatalf("read %d commands from the help:\n%s", n, help)
	}
}

// TestRoleReassigned: whoever held a role is named when it passes to
// another; one person is not holder and deputy of one role; with
// declarations confirmed by their owner, a held role passes to another
// only at the word of its holder, its deputy or the crisis director.
func TestRoleReassigned(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.ok("role dpo @jdupont")
	if r := h.ok("role dpo"); r.Text != "✅ @rssi tient le rôle DPO sur l'incident #2026-0001, à la place de @jdupont." {
		t.Errorf("taken from someone: %q", r.Text)
	}
	h.refused("2026-0001", "role dpo suppleant", "@rssi ne peut pas être à la fois titulaire et suppléant du rôle DPO.")
	h.ok("role dpo suppleant @amartin")
	h.ok("role dpo @amartin") // the deputy stands in, and is no longer the deputy
	if inc := h.incident("2026-0001"); inc.Roles["dpo"] != (incident.User{Name: "amartin"}) || len(inc.Deputies) != 0 {
		t.Errorf("the deputy stood in: %v %v", inc.Roles, inc.Deputies)
	}
	if err := incident.CheckRecord(h.incident("2026-0001"), h.entries("2026-0001")); err != nil {
		t.Error(err)
	}

	h = newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Declarations: bot.Declarations{Owner: bot.OwnerPropose}})
	h.ok("ouvrir Rançongiciel")
	h.ok("role dpo @jdupont")
	h.ok("role dpo @amartin") // nobody directs the crisis: anyone may
	h.ok("role directeur-crise @cmoreau")
	h.refused("2026-0001", "role dpo", "Le rôle DPO est tenu par @amartin : dans cette configuration (déclarations confirmées par leur responsable), seuls son titulaire, son suppléant ou le directeur de crise (@cmoreau) peuvent le confier à un autre.")
	h.refused("2026-0001", "role dpo -", "seuls son titulaire, son suppléant ou le directeur de crise")
	h.user = incident.User{ID: "u9", Name: "cmoreau"}
	h.ok("role dpo @jdupont") // the crisis director may
	h.user = incident.User{ID: "u2", Name: "jdupont"}
	h.ok("role dpo suppleant @rssi") // the holder may name a deputy
	h.user = rssiUser
	h.ok("role dpo") // and the deputy may stand in
	if inc := h.incident("2026-0001"); inc.Roles["dpo"] != rssiUser || len(inc.Deputies) != 0 {
		t.Errorf("the deputy stood in: %v %v", inc.Roles, inc.Deputies)
	}
}
