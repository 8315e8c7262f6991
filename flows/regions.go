package flows

// regionNames are the regions of the ARS, by the ids a chain's and a
// contacts file's region: take, as people write them (the same in French
// and in English).
var regionNames = map[string]string{
	"auvergne-rhone-alpes": "Auvergne-Rhône-Alpes", "bourgogne-franche-comte": "Bourgogne-Franche-Comté",
	"bretagne": "Bretagne", "centre-val-de-loire": "Centre-Val de Loire", "corse": "Corse",
	"grand-est": "Grand Est", "guadeloupe": "Guadeloupe", "guyane": "Guyane", "hauts-de-france": "Hauts-de-France",
	"ile-de-france": "Île-de-France", "la-reunion": "La Réunion", "martinique": "Martinique", "mayotte": "Mayotte",
	"normandie": "Normandie", "nouvelle-aquitaine": "Nouvelle-Aquitaine", "occitanie": "Occitanie",
	"pays-de-la-loire": "Pays de la Loire", "provence-alpes-cote-d-azur": "Provence-Alpes-Côte d'Azur",
}

// RegionName is a region's name in plain words ("Nouvelle-Aquitaine"), or
// its id when Vigie does not know it ("" stays "").
func RegionName(id string) string {
	if n, ok := regionNames[id]; ok {
		return n
	}
	return id
}
