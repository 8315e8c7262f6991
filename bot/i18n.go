package bot

import (
	"fmt"

	"github.com/vigie-sante/vigie/flows"
)

// tr returns the message key in lang, formatted with args. Every string a
// person reads comes from the catalogue below, in French and in English; a
// test checks that both languages carry the same verbs.
func tr(lang Lang, key string, args ...any) string {
	t, ok := catalogue[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return t.In(lang)
	}
	return fmt.Sprintf(t.In(lang), args...)
}

type text = flows.Text

var catalogue = map[string]text{
	// Errors: what was wrong, and what is accepted.
	"err.internal":             {FR: "Erreur interne : rien n'a été enregistré. Réessayez ; si cela persiste, prévenez l'administrateur de Vigie.", EN: "Internal error: nothing was recorded. Try again; if it persists, tell Vigie's administrator."},
	"err.too_long":             {FR: "Commande trop longue (%d Kio au plus).", EN: "Command too long (%d KiB at most)."},
	"err.empty_id":             {FR: "« # » doit être suivi d'un numéro d'incident, par exemple #2026-0001.", EN: "\"#\" must be followed by an incident number, such as #2026-0001."},
	"err.unknown_verb":         {FR: "Commande inconnue « %s ». Commandes : ouvrir, statut, repondre, fait, sans-objet, rappel, note, point, t0, exporter, clore, chaine, aide.", EN: "Unknown command \"%s\". Commands: open, status, answer, done, na, snooze, note, point, t0, export, close, chain, help."},
	"err.dup_option":           {FR: "« %s= » est donné deux fois.", EN: "\"%s=\" is given twice."},
	"err.no_incident":          {FR: "Aucun incident #%s.", EN: "No incident #%s."},
	"err.none_open":            {FR: "Aucun incident ouvert dans ce canal. Pour en ouvrir un : %s ouvrir TITRE", EN: "No open incident in this channel. To open one: %s open TITLE"},
	"err.several_open":         {FR: "Plusieurs incidents sont ouverts dans ce canal (%s) : précisez lequel avec #ID.", EN: "Several incidents are open in this channel (%s): say which with #ID."},
	"err.closed":               {FR: "L'incident #%s est clos : rien n'a été modifié.", EN: "Incident #%s is closed: nothing was changed."},
	"err.not_member":           {FR: "Refusé : seuls les membres du canal de l'incident peuvent agir sur lui.", EN: "Refused: only members of the incident's channel may act on it."},
	"err.open_with_id":         {FR: "« ouvrir » crée un nouvel incident : retirez le #ID.", EN: "\"open\" creates a new incident: remove the #ID."},
	"err.title_long":           {FR: "Titre trop long (%d caractères au plus).", EN: "Title too long (%d characters at most)."},
	"err.unknown_chain":        {FR: "Chaîne d'alerte inconnue « %s ». Chaînes : %s.", EN: "Unknown alert chain \"%s\". Chains: %s."},
	"err.no_new_channel":       {FR: "canal=%s : la création d'un canal dédié n'est pas possible ici ; ouvrez l'incident sans canal=.", EN: "channel=%s: creating a dedicated channel is not possible here; open the incident without channel=."},
	"err.channel_value":        {FR: "canal=%s n'est pas compris (accepté : canal=nouveau, pour ouvrir l'incident dans un canal dédié).", EN: "channel=%s is not understood (accepted: channel=new, to open the incident in a dedicated channel)."},
	"err.already_open":         {FR: "L'incident #%s est déjà ouvert dans ce canal. Closez-le (clore) ou ouvrez le nouvel incident dans un autre canal.", EN: "Incident #%s is already open in this channel. Close it (close) or open the new incident in another channel."},
	"err.chain_usage":          {FR: "Usage : chaine ID. Chaînes : %s.", EN: "Usage: chain ID. Chains: %s."},
	"err.chain_same":           {FR: "L'incident #%s suit déjà la chaîne %s.", EN: "Incident #%s already follows chain %s."},
	"err.chain_pinned":         {FR: "L'incident #%s suit la chaîne %s v%s depuis son ouverture ; elle ne peut pas changer (l'historique perdrait son sens). Ouvrez un autre incident si besoin.", EN: "Incident #%s has followed chain %s v%s since it was opened; it cannot change (the history would lose its meaning). Open another incident if needed."},
	"err.no_chain":             {FR: "L'incident #%s n'a pas encore de chaîne d'alerte : choisissez le type de structure (chaine ID). Chaînes : %s.", EN: "Incident #%s has no alert chain yet: choose the structure type (chain ID). Chains: %s."},
	"err.answer_usage":         {FR: "Usage : repondre CLÉ VALEUR, par exemple « repondre malicious oui ». Valeurs : oui, non, inconnu.", EN: "Usage: answer KEY VALUE, for example \"answer malicious yes\". Values: yes, no, unknown."},
	"err.bad_answer":           {FR: "Réponse refusée : %s.", EN: "Answer refused: %s."},
	"err.not_asked":            {FR: "La question %s n'est pas posée pour l'instant : elle ne l'est que si %s.", EN: "Question %s is not asked for now: it is asked only when %s."},
	"err.same_answer":          {FR: "« %s » a déjà la réponse %s (%s, %s) : rien n'a changé.", EN: "\"%s\" is already answered %s (%s, %s): nothing changed."},
	"err.unknown_step":         {FR: "Étape inconnue « %s ». Étapes : %s.", EN: "Unknown step \"%s\". Steps: %s."},
	"err.step_left_out":        {FR: "L'étape %s n'est pas requise par les réponses données (elle l'est si %s). Pour garder une trace, utilisez « note ».", EN: "Step %s is not required by the answers given (it is when %s). To keep a record, use \"note\"."},
	"err.done_usage":           {FR: "Usage : fait ÉTAPE via=%s [ref=RÉF] [at=HEURE] [note…]", EN: "Usage: done STEP via=%s [ref=REF] [at=TIME] [note…]"},
	"err.via_missing":          {FR: "Précisez le moyen utilisé : via=… (accepté : %s).", EN: "Say which means was used: via=… (accepted: %s)."},
	"err.via_bad":              {FR: "Moyen inconnu « %s » (accepté : %s).", EN: "Unknown means \"%s\" (accepted: %s)."},
	"err.before_t0":            {FR: "L'heure déclarée %s est antérieure au T0 (%s). Corrigez at= ou le T0 (t0 HEURE).", EN: "The declared time %s is before T0 (%s). Fix at= or T0 (t0 TIME)."},
	"err.already_done":         {FR: "« %s » est déjà faite (%s, %s) : rien n'a changé.", EN: "\"%s\" is already done (%s, %s): nothing changed."},
	"err.already_na":           {FR: "« %s » est déjà déclarée sans objet (%s) : rien n'a changé.", EN: "\"%s\" is already declared not applicable (%s): nothing changed."},
	"err.na_usage":             {FR: "Usage : sans-objet ÉTAPE raison… (la raison est obligatoire).", EN: "Usage: na STEP reason… (the reason is required)."},
	"err.snooze_usage":         {FR: "Usage : rappel ÉTAPE DURÉE, par exemple « rappel cnil 2h ».", EN: "Usage: snooze STEP DURATION, for example \"snooze cnil 2h\"."},
	"err.snooze_duration":      {FR: "Durée refusée « %s » (accepté : 15m, 1h, 2h30m, 1d ; au plus 7 jours).", EN: "Duration refused \"%s\" (accepted: 15m, 1h, 2h30m, 1d; 7 days at most)."},
	"err.snooze_settled":       {FR: "« %s » n'est plus en attente : pas de rappel à décaler.", EN: "\"%s\" is no longer pending: no reminder to postpone."},
	"err.snooze_past_deadline": {FR: "Rappel refusé : %s dépasserait l'échéance légale du %s (%s). Choisissez une durée plus courte.", EN: "Snooze refused: %s would pass the legal deadline of %s (%s). Choose a shorter duration."},
	"err.note_usage":           {FR: "Usage : note TEXTE", EN: "Usage: note TEXT"},
	"err.note_long":            {FR: "Note trop longue (%d caractères au plus).", EN: "Note too long (%d characters at most)."},
	"err.point_usage":          {FR: "Usage : point conditions=\"…\" actions=\"…\" besoins=\"…\" (au moins un des trois).", EN: "Usage: point conditions=\"…\" actions=\"…\" needs=\"…\" (at least one of the three)."},
	"err.point_extra":          {FR: "Texte non rattaché « %s » : mettez-le entre guillemets après conditions=, actions= ou besoins=.", EN: "Stray text \"%s\": quote it after conditions=, actions= or needs=."},
	"err.t0_usage":             {FR: "Usage : t0 HEURE, par exemple « t0 02:10 » ou « t0 2026-11-23T02:10:00+01:00 ».", EN: "Usage: t0 TIME, for example \"t0 02:10\" or \"t0 2026-11-23T02:10:00+01:00\"."},
	"err.t0_same":              {FR: "Le T0 est déjà %s : rien n'a changé.", EN: "T0 is already %s: nothing changed."},
	"err.bad_time":             {FR: "Heure illisible « %s ». Accepté : 02:10, 2h10 (heure de Paris), 2026-11-23T02:10 (heure de Paris) ou RFC 3339 comme 2026-11-23T02:10:00+01:00.", EN: "Unreadable time \"%s\". Accepted: 02:10, 2h10 (Paris time), 2026-11-23T02:10 (Paris time) or RFC 3339 such as 2026-11-23T02:10:00+01:00."},
	"err.future_time":          {FR: "L'heure « %s » est dans le futur (il est %s) : on ne peut enregistrer que ce qui a eu lieu.", EN: "Time \"%s\" is in the future (it is %s): only what happened can be recorded."},
	"err.export_usage":         {FR: "Usage : exporter [md|csv|json]", EN: "Usage: export [md|csv|json]"},
	"err.export_format":        {FR: "Format d'export inconnu « %s » (accepté : %s).", EN: "Unknown export format \"%s\" (accepted: %s)."},
	"err.no_upload":            {FR: "Ce canal ne peut pas recevoir de fichier ; utilisez « vigie export » sur le serveur.", EN: "This channel cannot receive files; use \"vigie export\" on the server."},
	"err.close_usage":          {FR: "Usage : clore [confirmer] (« %s » n'est pas compris).", EN: "Usage: close [confirm] (\"%s\" is not understood)."},
	"err.close_pending":        {FR: "L'incident #%s a encore des étapes obligatoires en attente :\n• %s\nPour clore malgré tout (ce qui restait sera consigné dans la main courante) : #%s clore confirmer", EN: "Incident #%s still has mandatory steps pending:\n• %s\nTo close anyway (what was left will be logged in the main courante): #%s close confirm"},

	// Replies.
	"open.default_title": {FR: "Incident cyber", EN: "Cyber incident"},
	"open.ok":            {FR: "Incident #%s ouvert : %s.", EN: "Incident #%s opened: %s."},
	"open.channel_title": {FR: "Crise cyber — %s", EN: "Cyber crisis — %s"},
	"open.linked":        {FR: "🚨 Incident #%s ouvert : %s. La cellule de crise se tient dans %s.", EN: "🚨 Incident #%s opened: %s. The crisis cell meets in %s."},
	"chain.ok":           {FR: "Incident #%s : chaîne « %s ».", EN: "Incident #%s: chain \"%s\"."},
	"t0.ok":              {FR: "Incident #%s : T0 = %s. Les échéances ont été recalculées.", EN: "Incident #%s: T0 = %s. Deadlines were recomputed."},
	"answer.ok":          {FR: "Incident #%s : « %s » → %s.", EN: "Incident #%s: \"%s\" → %s."},
	"done.ok":            {FR: "Incident #%s : « %s » faite%s. ✅", EN: "Incident #%s: \"%s\" done%s. ✅"},
	"na.ok":              {FR: "Incident #%s : « %s » déclarée sans objet.", EN: "Incident #%s: \"%s\" declared not applicable."},
	"snooze.ok":          {FR: "Incident #%s : rappels de « %s » suspendus jusqu'au %s.", EN: "Incident #%s: reminders of \"%s\" postponed until %s."},
	"note.ok":            {FR: "Incident #%s : note consignée (entrée %d).", EN: "Incident #%s: note logged (entry %d)."},
	"point.ok":           {FR: "Incident #%s : point de situation n° %d consigné.", EN: "Incident #%s: situation point no. %d logged."},
	"export.ok":          {FR: "Incident #%s : main courante exportée (%s) : %s", EN: "Incident #%s: main courante exported (%s): %s"},
	"close.ok":           {FR: "Incident #%s clos.", EN: "Incident #%s closed."},
	"close.no_chain":     {FR: "type de structure non choisi (aucune chaîne d'alerte suivie)", EN: "structure type not chosen (no alert chain followed)"},
	"close.question":     {FR: "question sans réponse : %s", EN: "unanswered question: %s"},
	"ref":                {FR: ", réf. %s", EN: ", ref. %s"},

	// Main courante (written in the deployment's language).
	"log.opened":         {FR: "Ouverture de l'incident « %s », T0 (prise de connaissance) %s", EN: "Incident \"%s\" opened, T0 (awareness) %s"},
	"log.chain":          {FR: "Chaîne d'alerte : %s (%s v%s)", EN: "Alert chain: %s (%s v%s)"},
	"log.t0":             {FR: "T0 corrigé : %s → %s", EN: "T0 corrected: %s → %s"},
	"log.answer":         {FR: "%s → %s", EN: "%s → %s"},
	"log.answer_revised": {FR: "%s : réponse révisée %s → %s", EN: "%s: answer revised %s → %s"},
	"log.done":           {FR: "Fait : %s, par %s%s, à %s", EN: "Done: %s, by %s%s, at %s"},
	"log.na":             {FR: "Sans objet : %s — %s", EN: "Not applicable: %s — %s"},
	"log.snooze":         {FR: "Rappels de « %s » suspendus jusqu'au %s", EN: "Reminders of \"%s\" postponed until %s"},
	"log.point":          {FR: "Point de situation n° %d", EN: "Situation point no. %d"},
	"log.export":         {FR: "Export de la main courante (%s), tête %s", EN: "Main courante exported (%s), head %s"},
	"log.closed":         {FR: "Clôture de l'incident", EN: "Incident closed"},
	"log.closed_left":    {FR: "Clôture de l'incident malgré des étapes en attente : %s", EN: "Incident closed with steps still pending: %s"},

	// Cards.
	"card.title":         {FR: "🚨 Incident #%s — %s", EN: "🚨 Incident #%s — %s"},
	"card.t0":            {FR: "T0 (prise de connaissance)", EN: "T0 (awareness)"},
	"card.opened":        {FR: "Ouvert", EN: "Opened"},
	"card.opened_by":     {FR: "par %s le %s", EN: "by %s on %s"},
	"card.chain":         {FR: "Chaîne d'alerte", EN: "Alert chain"},
	"card.no_chain":      {FR: "à choisir", EN: "to choose"},
	"card.status":        {FR: "État", EN: "Status"},
	"card.head":          {FR: "Main courante", EN: "Main courante"},
	"card.ask_chain":     {FR: "❓ Quel type de structure est touché ?", EN: "❓ Which kind of structure is hit?"},
	"card.unknown_since": {FR: "Pas encore su (%s, %s).", EN: "Not known yet (%s, %s)."},
	"card.typed":         {FR: "\nAu clavier : %s repondre %s oui|non|inconnu", EN: "\nTyped: %s answer %s yes|no|unknown"},
	"card.answer":        {FR: "• %s %s (%s, %s)", EN: "• %s %s (%s, %s)"},
	"card.answers":       {FR: "Réponses", EN: "Answers"},
	"status.open":        {FR: "ouvert", EN: "open"},
	"status.closed":      {FR: "clos le %s par %s", EN: "closed on %s by %s"},

	"checklist.title":      {FR: "📋 Notifications obligatoires — incident #%s", EN: "📋 Mandatory notifications — incident #%s"},
	"checklist.pending":    {FR: "En attente d'une réponse", EN: "Waiting for an answer"},
	"checklist.waiting_on": {FR: "• %d. %s — dépend de : %s", EN: "• %d. %s — depends on: %s"},
	"step.to":              {FR: "Destinataire : %s", EN: "Recipient: %s"},
	"step.to_one_of":       {FR: "Destinataire (l'un ou l'autre) : %s", EN: "Recipient (one or the other): %s"},
	"step.fallback":        {FR: "[secours]", EN: "[fallback]"},
	"step.deadline":        {FR: "Échéance : %s", EN: "Deadline: %s"},
	"step.why":             {FR: "Pourquoi : %s", EN: "Why: %s"},
	"step.source":          {FR: "Hors schéma régional — source : %s", EN: "Not on the regional chart — source: %s"},
	"step.done":            {FR: "✅ Fait le %s par %s (%s%s)", EN: "✅ Done on %s by %s (%s%s)"},
	"step.na":              {FR: "➖ Sans objet : %s (%s, %s)", EN: "➖ Not applicable: %s (%s, %s)"},
	"step.snoozed":         {FR: "⏰ Rappels suspendus jusqu'au %s", EN: "⏰ Reminders postponed until %s"},
	"deadline.none":        {FR: "dans les meilleurs délais", EN: "as soon as possible"},
	"deadline.immediate":   {FR: "sans délai (depuis le %s)", EN: "without delay (since %s)"},
	"deadline.after_t0":    {FR: "%s (T0 + %s)", EN: "%s (T0 + %s)"},
	"deadline.after_step":  {FR: "%s après « %s » (pas encore faite)", EN: "%s after \"%s\" (not done yet)"},
	"deadline.after_done":  {FR: "%s (%s après « %s »)", EN: "%s (%s after \"%s\")"},
	"why.always":           {FR: "requis dans tous les cas — %s", EN: "always required — %s"},
	"why.answers":          {FR: "%s — %s", EN: "%s — %s"},
	"time.in":              {FR: "dans %s", EN: "in %s"},
	"time.now":             {FR: "maintenant", EN: "now"},
	"time.late":            {FR: "en retard de %s", EN: "overdue by %s"},
	"word.or":              {FR: " ou ", EN: " or "},

	"value.yes":     {FR: "Oui", EN: "Yes"},
	"value.no":      {FR: "Non", EN: "No"},
	"value.unknown": {FR: "Je ne sais pas encore", EN: "Not known yet"},

	"button.done":         {FR: "Fait", EN: "Done"},
	"button.na":           {FR: "Sans objet", EN: "Not applicable"},
	"button.snooze":       {FR: "Rappeler dans 1 h", EN: "Remind in 1 h"},
	"button.unknown":      {FR: "Je ne sais pas encore", EN: "Not known yet"},
	"button.close_anyway": {FR: "Clore quand même", EN: "Close anyway"},

	"means.portail":   {FR: "portail", EN: "portal"},
	"means.email":     {FR: "e-mail", EN: "e-mail"},
	"means.telephone": {FR: "téléphone", EN: "phone"},
	"means.courrier":  {FR: "courrier", EN: "letter"},
	"means.autre":     {FR: "autre moyen", EN: "other means"},

	"kind.portal": {FR: "Portail :", EN: "Portal:"},
	"kind.form":   {FR: "Formulaire :", EN: "Form:"},
	"kind.web":    {FR: "Site :", EN: "Website:"},
	"kind.email":  {FR: "E-mail :", EN: "E-mail:"},
	"kind.phone":  {FR: "Téléphone :", EN: "Phone:"},
	"kind.post":   {FR: "Courrier :", EN: "Post:"},
	"kind.chat":   {FR: "Tchat :", EN: "Chat:"},
	"kind.other":  {FR: "Voie :", EN: "Channel:"},

	"dialog.done.title":    {FR: "Preuve : %s", EN: "Proof: %s"},
	"dialog.done.submit":   {FR: "Enregistrer", EN: "Record"},
	"dialog.done.via":      {FR: "Moyen utilisé", EN: "Means used"},
	"dialog.done.ref":      {FR: "Référence (n° de ticket, d'accusé…)", EN: "Reference (ticket or receipt number…)"},
	"dialog.done.ref_help": {FR: "Par exemple le n° donné par le portail.", EN: "For instance the number the portal gave."},
	"dialog.done.at":       {FR: "Fait à (heure de Paris)", EN: "Done at (Paris time)"},
	"dialog.done.at_help":  {FR: "Vide = maintenant. 02:25 ou 2026-11-23T02:25.", EN: "Empty = now. 02:25 or 2026-11-23T02:25."},
	"dialog.note":          {FR: "Note", EN: "Note"},
	"dialog.na.title":      {FR: "Sans objet", EN: "Not applicable"},
	"dialog.na.submit":     {FR: "Enregistrer", EN: "Record"},
	"dialog.na.reason":     {FR: "Raison", EN: "Reason"},
	"dialog.point.title":   {FR: "Point de situation", EN: "Situation point"},
	"dialog.point.submit":  {FR: "Enregistrer", EN: "Record"},
	"point.conditions":     {FR: "Situation", EN: "Conditions"},
	"point.actions":        {FR: "Actions", EN: "Actions"},
	"point.needs":          {FR: "Besoins", EN: "Needs"},

	"nag.title":          {FR: "⏰ Rappel — incident #%s", EN: "⏰ Reminder — incident #%s"},
	"nag.escalate_title": {FR: "🚨 Escalade — incident #%s", EN: "🚨 Escalation — incident #%s"},
	"nag.overdue_title":  {FR: "⛔ Échéance dépassée — incident #%s", EN: "⛔ Deadline passed — incident #%s"},
	"nag.mention":        {FR: "%s : des étapes obligatoires sont toujours en attente.", EN: "%s: mandatory steps are still pending."},
	"nag.late":           {FR: "(rappel prévu le %s, envoyé en retard)", EN: "(reminder due on %s, sent late)"},
	"nag.question":       {FR: "Question toujours sans réponse : elle conditionne les notifications obligatoires.", EN: "Question still unanswered: the mandatory notifications depend on it."},
	"nag.point":          {FR: "🗒 Point de situation attendu (dernier il y a %s)", EN: "🗒 Situation point due (last one %s ago)"},
	"nag.point_how":      {FR: "Au clavier : %s point conditions=… actions=… besoins=…", EN: "Typed: %s point conditions=… actions=… needs=…"},
	"button.point":       {FR: "Point de situation", EN: "Situation point"},
	"log.escalated":      {FR: "Escalade : « %s » toujours en attente (%s)", EN: "Escalation: \"%s\" still pending (%s)"},
	"log.overdue":        {FR: "Échéance dépassée : « %s », en retard de %s (%s)", EN: "Deadline passed: \"%s\", overdue by %s (%s)"},

	"help.title":   {FR: "Commandes de Vigie", EN: "Vigie commands"},
	"help.example": {FR: "ex. :", EN: "e.g.:"},
	"help.footer":  {FR: "« #ID » devant une commande choisit un autre incident que celui du canal. Moyens (via=) : %s. Heures : 02:10 (heure de Paris) ou RFC 3339.", EN: "\"#ID\" before a command picks another incident than the channel's. Means (via=): %s. Times: 02:10 (Paris time) or RFC 3339."},
}
