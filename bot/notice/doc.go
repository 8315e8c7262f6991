// Package notice writes the messages a crisis cell owes its stakeholders
// from its last situation point: the note to the direction, the point de
// situation for the ARS, the message to the staff and the holding
// statement for the press. Each is a text to review and send by hand;
// what Vigie cannot know is left as a visible blank ("[À COMPLÉTER]",
// "[À CONFIRMER]"), as in the declaration drafts.
//
// What each holds, and why:
//   - direction: the situation, actions and needs of the point, the
//     declarations made and those still owed with their legal deadlines,
//     and blanks for the decisions expected and the next point;
//   - ARS: the structure (name, FINESS), the incident and T0, the point,
//     the answer on bed capacity when given, and the authorities already
//     told, never the insurer, the complaint or the internal register
//     (the same rule as the drafts);
//   - staff: what happens, what is done and needed, and blanks for the
//     degraded procedures and whom to tell of anything unusual;
//   - press: a holding statement that says an incident touches part of
//     the information systems and that a crisis cell is at work. It quotes
//     nothing of the point, the title or the declarations: no technical
//     detail an attacker could use, no patient information.
//
// The conversation runs the patient-identifier guard on every text before
// it is logged. The package is pure: it imports the domain (incident),
// the catalogue (i18n) and flows, and must not import the conversation,
// the reports or any adapter.
package notice
