package mattermost

import (
	"crypto/sha256"
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// ProtocolForTest mounts on mux, at PathCommand and PathAction, a handler
// that speaks Mattermost's protocol and does nothing else: the floor
// under the open-loop benchmark (BenchmarkProtocolOpenLoop). A slash
// command is decoded and its token checked as CommandHandler does; a
// click is decoded and its signed context checked as ActionHandler does.
// Each then writes one value with write, the bare handler's durable
// write, and gets its answer in the HTTP response, as Vigie gives it. No
// bot, no store, no outbox, no call to Mattermost.
func ProtocolForTest(mux *http.ServeMux, secret []byte, token string, write func([]byte) error) {
	a := &Adapter{sign: &signer{key: secret}, tokens: [][32]byte{sha256.Sum256([]byte(token))}}
	mux.HandleFunc("POST "+PathCommand, func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(w, r)
		var c commandForm
		if err == nil {
			c, err = decodeCommand(r.Header, body)
		}
		if err != nil || !a.commandTokenOK(c.Token) {
			http.Error(w, "refused", http.StatusBadRequest)
			return
		}
		if err := write([]byte(c.Text)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral,
			Text: "📝 Note ajoutée à la main courante : " + c.Text, SkipSlackParsing: true})
	})
	mux.HandleFunc("POST "+PathAction, func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(w, r)
		var req *model.PostActionIntegrationRequest
		if err == nil {
			req, err = decodeAction(body)
		}
		var action string
		if err == nil {
			action, err = a.sign.checkButton(req.Context, req.ChannelId, time.Now())
		}
		if err != nil {
			http.Error(w, "refused", http.StatusBadRequest)
			return
		}
		if err := write([]byte(action)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, &model.PostActionIntegrationResponse{EphemeralText: "✅ Réponse enregistrée : " + action, SkipSlackParsing: true})
	})
}
