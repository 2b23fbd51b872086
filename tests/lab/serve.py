#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A lab service: answers TCP and UDP on one port, IPv4 and IPv6, with one line
"NAME saw ADDR:PORT" -- who answered and which client address it saw.

One process serves all four sockets (so that no forked child can steal another
client's datagram); a UDP answer leaves from the address the datagram was sent to.
Usage: serve.py NAME PORT
"""
import selectors
import signal
import socket
import struct
import sys

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)


def answer(name, addr):
    """The answer line for a client address tuple."""
    host, port = addr[0], addr[1]
    if ":" in host:
        host = "[" + host + "]"
    return ("%s saw %s:%d\n" % (name, host, port)).encode()


def listen(family, kind, port):
    """A socket bound to PORT on every address of FAMILY."""
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        if kind == socket.SOCK_DGRAM:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
    elif kind == socket.SOCK_DGRAM:
        s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    s.bind(("", port))
    if kind == socket.SOCK_STREAM:
        s.listen(64)
    s.setblocking(False)
    return s


def reply_udp(name, s):
    """Answer one datagram, from the address it was sent to."""
    try:
        _, anc, _, addr = s.recvmsg(65535, 256)
    except BlockingIOError:
        return
    cmsgs = []
    for level, kind, data in anc:
        if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
            _, _, dst = struct.unpack("I4s4s", data[:12])
            cmsgs = [(socket.IPPROTO_IP, IP_PKTINFO, struct.pack("I4s4s", 0, dst, bytes(4)))]
        elif level == socket.IPPROTO_IPV6 and kind == socket.IPV6_PKTINFO:
            dst, _ = struct.unpack("16sI", data[:20])
            cmsgs = [(socket.IPPROTO_IPV6, socket.IPV6_PKTINFO, struct.pack("16sI", dst, 0))]
    try:
        s.sendmsg([answer(name, addr)], cmsgs, 0, addr)
    except OSError:
        pass


def reply_tcp(name, s):
    """Accept one connection, send the line, close."""
    try:
        c, addr = s.accept()
    except BlockingIOError:
        return
    try:
        c.settimeout(2)
        c.sendall(answer(name, addr))
        c.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        c.close()


def main():
    name, port = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sel = selectors.DefaultSelector()
    for family in (socket.AF_INET, socket.AF_INET6):
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            sel.register(listen(family, kind, port), selectors.EVENT_READ, kind)
    while True:
        for key, _ in sel.select():
            if key.data == socket.SOCK_STREAM:
                reply_tcp(name, key.fileobj)
            else:
                reply_udp(name, key.fileobj)


if __name__ == "__main__":
    main()
