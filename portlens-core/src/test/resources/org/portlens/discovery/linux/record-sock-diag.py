# Records the sock_diag fixtures beside it: opens loopback sockets, asks the kernel for them over
# NETLINK_SOCK_DIAG (SOCK_DIAG_BY_FAMILY, struct inet_diag_req_v2) exactly as SockDiag.request
# builds the request, and writes each reply datagram as one line of hex, keeping only the messages
# about its own sockets (by inode) and the closing NLMSG_DONE; every kept message is byte for byte
# what the kernel sent. Usage: python3 record-sock-diag.py OUTPUT_DIR
import os, socket, struct, sys
out = sys.argv[1]
NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY = 4, 20
NLM_F_REQUEST, NLM_F_DUMP = 1, 0x300
NLMSG_DONE, NLMSG_ERROR = 3, 2
TCP_ESTABLISHED, TCP_CLOSE, TCP_LISTEN = 1, 7, 10

t4 = socket.socket(); t4.bind(('127.0.0.1', 0)); t4.listen()
tw = socket.socket(); tw.bind(('0.0.0.0', 0)); tw.listen()
t6 = socket.socket(socket.AF_INET6); t6.bind(('::1', 0)); t6.listen()
tm = socket.socket(socket.AF_INET6); tm.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
tm.bind(('::ffff:127.0.0.1', 0)); tm.listen()
c = socket.create_connection(('127.0.0.1', t4.getsockname()[1])); a, _ = t4.accept()
c6 = socket.create_connection(('::1', t6.getsockname()[1])); a6, _ = t6.accept()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); uc.bind(('127.0.0.1', 0)); uc.connect(('127.0.0.1', u.getsockname()[1]))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(('::', 0))
socks = (('tcp listen 127.0.0.1', t4), ('tcp listen 0.0.0.0', tw), ('tcp6 listen ::1', t6),
         ('tcp6 listen ::ffff:127.0.0.1', tm), ('tcp client', c), ('tcp accepted', a), ('tcp6 client', c6),
         ('tcp6 accepted', a6), ('udp 127.0.0.1 unconnected', u), ('udp 127.0.0.1 connected', uc),
         ('udp6 :: unconnected', u6))
inodes = set()
for name, s in socks:
    ino = os.fstat(s.fileno()).st_ino; inodes.add(ino)
    print(name, s.getsockname()[:2], 'inode', ino)

def request(family, protocol, states, seq):
    req = struct.pack('=BBBBI', family, protocol, 0, 0, states) + bytes(48)  # inet_diag_req_v2, empty sockid
    return struct.pack('=IHHII', 16 + len(req), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, seq, 0) + req

def dump(family, protocol, states, seq, bufsize):
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
    nl.sendto(request(family, protocol, states, seq), (0, 0))
    datagrams, done = [], False
    while not done:
        d = nl.recv(bufsize)
        kept, at = b'', 0
        while at + 16 <= len(d):
            ln, typ = struct.unpack_from('=IH', d, at)
            msg = d[at:at + ln]
            if typ in (NLMSG_DONE, NLMSG_ERROR):
                kept += msg; done = True
            elif struct.unpack_from('=I', msg, 16 + 68)[0] in inodes:  # inet_diag_msg.idiag_inode
                kept += msg
            at += (ln + 3) & ~3
        if kept:
            datagrams.append(kept)
    nl.close()
    return datagrams

def write(name, what, datagrams):
    with open(os.path.join(out, name), 'w') as f:
        f.write('# ' + what + '\n# one reply datagram (one recv) per line, hex; made by record-sock-diag.py\n')
        for d in datagrams:
            f.write(d.hex() + '\n')

L, E, C = 1 << TCP_LISTEN, 1 << TCP_ESTABLISHED, 1 << TCP_CLOSE
write('sock-diag-tcp4.hex', 'AF_INET, IPPROTO_TCP, states LISTEN|ESTABLISHED', dump(socket.AF_INET, 6, L | E, 1, 65536))
write('sock-diag-tcp6.hex', 'AF_INET6, IPPROTO_TCP, states LISTEN|ESTABLISHED', dump(socket.AF_INET6, 6, L | E, 2, 65536))
write('sock-diag-udp4.hex', 'AF_INET, IPPROTO_UDP, states CLOSE|ESTABLISHED', dump(socket.AF_INET, 17, C | E, 3, 65536))
write('sock-diag-udp6.hex', 'AF_INET6, IPPROTO_UDP, states CLOSE|ESTABLISHED', dump(socket.AF_INET6, 17, C | E, 4, 65536))
# 80 more listeners: the kernel's first reply skb holds about 4 KiB, so the dump comes in several datagrams
more = []
for _ in range(80):
    s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); more.append(s)
    inodes.add(os.fstat(s.fileno()).st_ino)
write('sock-diag-tcp4-multipart.hex', 'AF_INET, IPPROTO_TCP, state LISTEN, 82 listeners: several datagrams',
      dump(socket.AF_INET, 6, L, 5, 65536))
# errors: a family the kernel does not know is refused before the dump starts (NLMSG_ERROR, -EINVAL); a
# protocol without a sock_diag handler fails the dump, whose NLMSG_DONE then carries -ENOENT
write('sock-diag-error.hex', 'family 99 (none), IPPROTO_TCP: NLMSG_ERROR -EINVAL', dump(99, 6, L, 6, 65536))
write('sock-diag-done-error.hex', 'AF_INET, protocol 200 (none): NLMSG_DONE carrying -ENOENT',
      dump(socket.AF_INET, 200, L, 7, 65536))
