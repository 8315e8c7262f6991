//go:build !linux

package hotcopy

import "net"

// samePeer relies on the socket's mode (0600, in a 0700 directory) where
// the system gives no peer credentials.
func samePeer(net.Conn) error { return nil }
