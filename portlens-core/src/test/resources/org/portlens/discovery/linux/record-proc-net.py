# Records the /proc/net fixtures beside it: opens loopback sockets, then keeps the header line and
# the lines of its own sockets (by inode). Usage: python3 record-proc-net.py OUTPUT_DIR
import socket, os, sys
out=sys.argv[1]
t4=socket.socket(); t4.bind(('127.0.0.1',0)); t4.listen()
t6=socket.socket(socket.AF_INET6); t6.bind(('::1',0)); t6.listen()
tm=socket.socket(socket.AF_INET6); tm.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); tm.bind(('::ffff:127.0.0.1',0)); tm.listen()
c=socket.create_connection(('127.0.0.1',t4.getsockname()[1])); a,_=t4.accept()
c6=socket.create_connection(('::1',t6.getsockname()[1])); a6,_=t6.accept()
u=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1',0))
uc=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); uc.bind(('127.0.0.1',0)); uc.connect(('127.0.0.1',u.getsockname()[1]))
u6=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(('::1',0))
socks=(('tcp listen 127.0.0.1',t4),('tcp6 listen ::1',t6),('tcp6 listen ::ffff:127.0.0.1',tm),('tcp client',c),('tcp accepted',a),('tcp6 client',c6),('tcp6 accepted',a6),('udp 127.0.0.1 unconnected',u),('udp 127.0.0.1 connected',uc),('udp6 ::1 unconnected',u6))
inodes=set()
for name,s in socks:
    ino=os.fstat(s.fileno()).st_ino; inodes.add(str(ino))
    print(name, s.getsockname()[:2], 'inode', ino)
for f in ('tcp','tcp6','udp','udp6'):
    lines=open('/proc/net/'+f).read().split('\n')
    keep=[lines[0]]+[l for l in lines[1:] if l.strip() and l.split()[9] in inodes]
    open(os.path.join(out,'proc-net-'+f+'.txt'),'w').write('\n'.join(keep)+'\n')
