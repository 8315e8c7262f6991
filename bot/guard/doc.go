// Package guard finds and masks patient identifiers in free text: the
// French NIR (numéro de sécurité sociale, checked by its key) and a
// structure's IPP pattern. The conversation uses it to keep them out of
// the main courante, which is handed to regulators, insurers and courts.
//
// It is pure text work: it imports flows and i18n (the words of a mask)
// and must not import the conversation, the reports or any adapter.
package guard
