package cli

import (
	"bufio"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestServerDropsSilentBodies: a client that announces a body and sends
// none loses its connection after readTimeout; before, nothing bounded
// it. (readTimeout is shortened for the test; the client waits 10 s.)
func TestServerDropsSilentBodies(t *testing.T) {
	defer func(d time.Duration) { readTimeout = d }(readTimeout)
	readTimeout = 50 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 1024)
		for {
			if _, err := r.Body.Read(buf); err != nil {
				return
			}
		}
	}))
	go srv.Serve(ln)
	defer srv.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("POST /slack/commands HTTP/1.1\r\nHost: vigie\r\nContent-Length: 1000\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = bufio.NewReader(c).ReadByte()
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the connection of a client sending no body was still open after 10 s")
	}
}
