// Package draft writes the declaration drafts of an incident, the text a
// crisis cell pastes into a regulator's form: CERT Santé and the ARS, the
// CNIL, the ANSSI. It knows the facts each declaration needs, which of
// them an incident lacks, and where each draft goes.
//
// What each draft holds, and why:
//   - CERT Santé / ARS: Code de la santé publique, art. D1111-16-3 II:
//     identification of the structure and the declarant; description (date
//     of discovery, scope, systems and data affected, state of the
//     response); impact on data, people, systems and the structure; causes
//     if known.
//   - CNIL: GDPR art. 33(3) a) to d): nature of the breach with the
//     categories and approximate numbers of people and records, the DPO or
//     contact, likely consequences, measures taken or proposed, including
//     those to mitigate the possible adverse effects; and, past 72 hours,
//     the reasons for the delay (art. 33(1)). The CNIL's online form also
//     asks the SIREN, and whether the persons concerned were informed (art.
//     34), which the incident answers when it records it.
//
// Each draft carries the chain answers its basis asks, and lists only the
// declarations made to other authorities: never whether the structure is
// insured, its complaint for the insurer or its claim.
//   - ANSSI (OSE): loi 2018-133 art. 7 and décret 2018-384 art. 11: the
//     operator, the essential service affected, the incident, its causes
//     and consequences, with the impact criteria of directive (EU)
//     2016/1148 art. 14(4): users affected, duration, geographical spread,
//     and effects in other member states. The ANSSI's own form is not
//     reproduced: these are its subjects as the texts give them.
//
// It is pure: it imports the domain (incident), the catalogue (i18n) and
// flows, and must not import the conversation, the reports or any adapter.
package draft
