#!/usr/bin/env python3
"""The daemons bench (issue 11): real servers from Debian packages, each on a loopback port, identified
by `portlens scan --identify` (the wire only), by `portlens PORT --json` (the wire and the owners) and
by `nmap -sV`, all against a ground truth written here: protocol, product, version.

Run by bench/daemons.sh inside the network namespace it creates, so every daemon, every probe and
every scan is on that namespace's own loopback. Standard library only (python3 >= 3.11).

  daemons.py list                       the daemons, ports and packages (tab-separated)
  daemons.py packages                   the Debian packages the bench needs, one a line
  daemons.py run --root DIR --out DIR --work DIR [--portlens CMD] [--only a,b] [--nmap-each]

`run` starts every daemon with a configuration of its own written into --work (a temporary
directory: pid files, logs, data), waits for its ports, runs the three identifiers, scores them and
prints a markdown report; the raw answers and the scores go to OUT (bench/target/daemons). It stops
every daemon it started before it returns (daemons.sh also kills whatever is left in the namespace).
Exit 0 when the bench ran (misses are results, not failures), 3 when it could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

CHILDREN: list[subprocess.Popen] = []


def log(msg: str) -> None:
    print(f"[daemons] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# protocol names: each tool's names mapped to one canonical name
# --------------------------------------------------------------------------------------------------
# portlens's names (probes.txt `match PROTOCOL`, docs/probes.md) are the canonical ones where it has
# one: http https tls http2 ssh smtp ftp pop3 imap redis memcached postgresql mysql mongodb mqtt amqp
# ldap rdp vnc dns ntp snmp. Where portlens has no name, the canonical name is the common IANA /
# nmap service name (marked "(iana)" in the truth below): irc, rsync, git, svn, ipp, smb, tftp,
# stun, socks, nats, beanstalkd, munin, zabbix, gpsd, mumble, netbios-ns, http-proxy.
# The table maps every other spelling a tool uses to the canonical one.
EQUIV = {
    # nmap service names (nmap-services / nmap-service-probes) -> canonical
    "domain": "dns",
    "domain-s": "dns",
    "microsoft-ds": "smb",
    "netbios-ssn": "smb",
    "smb": "smb",
    "netbios-ns": "netbios-ns",
    "http-alt": "http",
    "http-proxy": "http-proxy",
    "squid-http": "http-proxy",
    "ipp": "ipp",
    "imap": "imap",
    "pop3": "pop3",
    "smtp": "smtp",
    "submission": "smtp",
    "ftp": "ftp",
    "ssh": "ssh",
    "ldap": "ldap",
    "irc": "irc",
    "ircd": "irc",
    "rsync": "rsync",
    "git": "git",
    "svn": "svn",
    "svnserve": "svn",
    "snmp": "snmp",
    "tftp": "tftp",
    "stun": "stun",
    "turn": "stun",
    "socks": "socks",
    "socks4": "socks",
    "socks5": "socks",
    "tor-socks": "socks",
    "tor": "socks",
    "postgresql": "postgresql",
    "pgbouncer": "postgresql",
    "zabbix-agent": "zabbix",
    "zabbix": "zabbix",
    "munin": "munin",
    "gpsd": "gpsd",
    "gpsd-json": "gpsd",
    "gpsd-ng": "gpsd",
    "nats": "nats",
    "beanstalkd": "beanstalkd",
    "murmur": "mumble",
    "mumble": "mumble",
    "ssl": "tls",
    "tls": "tls",
    "https": "https",
    "https-alt": "https",
    "http": "http",
    "icecast": "http",
    "shoutcast": "http",
    "ntp": "ntp",
}


def canon(name: str | None) -> str:
    n = (name or "").strip().lower()
    return EQUIV.get(n, n)


# --------------------------------------------------------------------------------------------------
# the daemons
# --------------------------------------------------------------------------------------------------

@dataclass
class Row:
    """One port of one daemon: what a tool should say about it."""
    port: int
    transport: str                 # tcp | udp
    protocol: str                  # canonical name
    accept: tuple[str, ...] = ()   # more canonical names counted right (e.g. http for ipp)
    iana_name: bool = False        # portlens has no name for it: the canonical is IANA's / nmap's


@dataclass
class Service:
    key: str                       # short name, the row's label
    package: str                   # the Debian package whose version is the truth
    product: str                   # as a human names it
    spellings: tuple[str, ...]     # accepted spellings (matched as substrings, case and punctuation ignored)
    rows: list[Row]
    start: callable                # (ctx) -> dict(argv=[...], env={...}, cwd=...)
    owner_packages: tuple[str, ...] = ()  # binary packages the daemon's executable may come from
    kind: str = ""                 # speak-first, client-first, udp (for the table)
    startup: float = 30.0          # seconds to wait for its ports
    note: str = ""


class Ctx:
    def __init__(self, work: str):
        self.work = work

    def d(self, name: str, owner: str | None = None, mode: int = 0o755) -> str:
        p = os.path.join(self.work, name)
        os.makedirs(p, exist_ok=True)
        os.chmod(p, mode)
        if owner:
            shutil.chown(p, owner.split(":")[0], owner.split(":")[1] if ":" in owner else None)
        return p

    def w(self, rel: str, text: str, mode: int = 0o644, owner: str | None = None) -> str:
        p = os.path.join(self.work, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, mode)
        if owner:
            shutil.chown(p, owner.split(":")[0], owner.split(":")[1] if ":" in owner else None)
        return p


def www(c: Ctx) -> str:
    d = c.d("www")
    c.w("www/index.html", "<html><head><title>portlens bench</title></head><body>bench</body></html>\n")
    return d


def s_apache(c: Ctx):
    d = c.d("apache2")
    root = www(c)
    mods = "/usr/lib/apache2/modules"
    c.w("apache2/apache2.conf", f"""# written by bench/daemons.py
LoadModule mpm_event_module {mods}/mod_mpm_event.so
LoadModule authz_core_module {mods}/mod_authz_core.so
LoadModule dir_module {mods}/mod_dir.so
LoadModule mime_module {mods}/mod_mime.so
ServerName localhost
Listen 127.0.0.1:18080
PidFile {d}/apache2.pid
ErrorLog {d}/error.log
Mutex file:{d}
User www-data
Group www-data
DocumentRoot {root}
TypesConfig /etc/mime.types
<Directory {root}>
  Require all granted
</Directory>
""")
    return dict(argv=["apache2", "-f", f"{d}/apache2.conf", "-DFOREGROUND"])


def s_lighttpd(c: Ctx):
    d = c.d("lighttpd", owner="www-data:www-data")
    root = www(c)
    c.w("lighttpd/lighttpd.conf", f"""# written by bench/daemons.py
server.document-root = "{root}"
server.bind = "127.0.0.1"
server.port = 80
server.pid-file = "{d}/lighttpd.pid"
server.errorlog = "{d}/error.log"
server.username = "www-data"
server.groupname = "www-data"
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html" )
""")
    return dict(argv=["lighttpd", "-D", "-f", f"{d}/lighttpd.conf"])


def s_haproxy(c: Ctx):
    d = c.d("haproxy")
    c.w("haproxy/haproxy.cfg", f"""# written by bench/daemons.py: a reverse proxy whose one backend is down
global
  pidfile {d}/haproxy.pid
defaults
  mode http
  timeout connect 1s
  timeout client 10s
  timeout server 10s
frontend web
  bind 127.0.0.1:18082
  default_backend app
backend app
  server app1 127.0.0.1:9
""")
    return dict(argv=["haproxy", "-db", "-f", f"{d}/haproxy.cfg"])


def s_varnish(c: Ctx):
    d = c.d("varnish")
    return dict(argv=["varnishd", "-F", "-a", "127.0.0.1:6081", "-b", "127.0.0.1:18080", "-n", d,
                      "-s", "malloc,32m", "-T", "none", "-P", f"{d}/varnishd.pid"])


def s_squid(c: Ctx):
    d = c.d("squid", owner="proxy:proxy")
    c.w("squid/squid.conf", f"""# written by bench/daemons.py
http_port 127.0.0.1:3128
pid_filename {d}/squid.pid
cache_log {d}/cache.log
access_log none
cache deny all
cache_mem 8 MB
http_access allow localhost
http_access deny all
cache_effective_user proxy
coredump_dir {d}
netdb_filename none
shutdown_lifetime 1 seconds
""")
    return dict(argv=["squid", "-N", "-f", f"{d}/squid.conf"])


def s_tinyproxy(c: Ctx):
    d = c.d("tinyproxy", owner="tinyproxy:tinyproxy")
    c.w("tinyproxy/tinyproxy.conf", f"""# written by bench/daemons.py
User tinyproxy
Group tinyproxy
Port 18888
Listen 127.0.0.1
Timeout 60
PidFile "{d}/tinyproxy.pid"
LogFile "{d}/tinyproxy.log"
LogLevel Warning
MaxClients 20
Allow 127.0.0.1
""")
    return dict(argv=["tinyproxy", "-d", "-c", f"{d}/tinyproxy.conf"])


def s_proftpd(c: Ctx):
    d = c.d("proftpd")
    c.w("proftpd/proftpd.conf", f"""# written by bench/daemons.py
ServerName "portlens bench"
ServerType standalone
DefaultServer on
Port 2121
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
User nobody
Group nogroup
PidFile {d}/proftpd.pid
ScoreboardFile {d}/proftpd.scoreboard
DelayTable none
WtmpLog off
TransferLog none
SystemLog {d}/proftpd.log
UseReverseDNS off
""")
    return dict(argv=["proftpd", "-n", "-c", f"{d}/proftpd.conf"])


def s_exim(c: Ctx):
    d = c.d("exim4")
    # Debian's own configuration (it listens on 127.0.0.1 and ::1 only), on port 2525; its spool
    # and log are the system's (/var/spool/exim4, /var/log/exim4): exim takes them from the build.
    return dict(argv=["exim4", "-bdf", "-oX", "2525", "-oP", f"{d}/exim.pid"])


def s_dovecot(c: Ctx):
    d = c.d("dovecot")
    c.d("dovecot/run")
    c.d("dovecot/mail", mode=0o777)
    c.w("dovecot/dovecot.conf", f"""# written by bench/daemons.py
protocols = imap pop3
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
ssl = no
disable_plaintext_auth = no
mail_location = maildir:{d}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = static
  args = password=bench
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={d}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 143
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 10110
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
""")
    return dict(argv=["dovecot", "-F", "-c", f"{d}/dovecot.conf"])


def s_ngircd(c: Ctx):
    d = c.d("ngircd", owner="irc:irc")
    c.w("ngircd/ngircd.conf", f"""# written by bench/daemons.py
[Global]
Name = irc.portlens.test
Info = portlens bench
Listen = 127.0.0.1
Ports = 6667
PidFile = {d}/ngircd.pid
ServerUID = irc
ServerGID = irc
[Options]
DNS = no
Ident = no
PAM = no
""", owner="irc:irc")
    return dict(argv=["ngircd", "-n", "-f", f"{d}/ngircd.conf"])


def s_beanstalkd(c: Ctx):
    return dict(argv=["beanstalkd", "-l", "127.0.0.1", "-p", "11300"])


def s_rsync(c: Ctx):
    d = c.d("rsync")
    root = www(c)
    c.w("rsync/rsyncd.conf", f"""# written by bench/daemons.py
pid file = {d}/rsyncd.pid
use chroot = no
log file = {d}/rsyncd.log
[site]
  path = {root}
  read only = yes
""")
    return dict(argv=["rsync", "--daemon", "--no-detach", f"--config={d}/rsyncd.conf",
                      "--address=127.0.0.1", "--port=873"])


def s_git(c: Ctx):
    d = c.d("git")
    repo = os.path.join(d, "bench.git")
    if not os.path.isdir(repo):
        subprocess.run(["git", "init", "-q", "--bare", repo], check=True)
    return dict(argv=["git", "daemon", "--listen=127.0.0.1", "--port=9418", f"--base-path={d}",
                      "--export-all", "--reuseaddr", d])


def s_slapd(c: Ctx):
    d = c.d("slapd", owner="openldap:openldap")
    c.d("slapd/db", owner="openldap:openldap", mode=0o700)
    c.w("slapd/slapd.conf", f"""# written by bench/daemons.py
include /etc/ldap/schema/core.schema
pidfile {d}/slapd.pid
argsfile {d}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 16777216
suffix "dc=portlens,dc=test"
rootdn "cn=admin,dc=portlens,dc=test"
rootpw bench
directory {d}/db
""", owner="openldap:openldap")
    return dict(argv=["slapd", "-d", "0", "-u", "openldap", "-g", "openldap", "-f", f"{d}/slapd.conf",
                      "-h", "ldap://127.0.0.1:10389/"])


def s_cups(c: Ctx):
    d = c.d("cups", mode=0o755)
    for sub in ("spool", "spool/tmp", "cache", "state", "log"):
        c.d(f"cups/{sub}", mode=0o755)
    c.w("cups/cupsd.conf", """# written by bench/daemons.py
Listen 127.0.0.1:631
LogLevel warn
Browsing No
DefaultAuthType Basic
WebInterface Yes
<Location />
  Order allow,deny
  Allow from 127.0.0.1
</Location>
""")
    c.w("cups/cups-files.conf", f"""# written by bench/daemons.py
ServerRoot {d}
RequestRoot {d}/spool
TempDir {d}/spool/tmp
CacheDir {d}/cache
StateDir {d}/state
ErrorLog {d}/log/error_log
AccessLog {d}/log/access_log
PageLog {d}/log/page_log
""")
    return dict(argv=["cupsd", "-f", "-c", f"{d}/cupsd.conf", "-s", f"{d}/cups-files.conf"])


def samba_conf(c: Ctx) -> str:
    d = c.d("samba")
    for sub in ("run", "lock", "state", "cache", "private", "ncalrpc", "log"):
        c.d(f"samba/{sub}")
    os.chmod(os.path.join(d, "private"), 0o700)
    return c.w("samba/smb.conf", f"""# written by bench/daemons.py
[global]
  workgroup = BENCH
  netbios name = PORTLENSBENCH
  server role = standalone server
  interfaces = lo
  bind interfaces only = yes
  smb ports = 445
  pid directory = {d}/run
  lock directory = {d}/lock
  state directory = {d}/state
  cache directory = {d}/cache
  private dir = {d}/private
  ncalrpc dir = {d}/ncalrpc
  log file = {d}/log/log.%m
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
  dns proxy = no
[share]
  path = {www(c)}
  read only = yes
""")


def s_smbd(c: Ctx):
    return dict(argv=["smbd", "--foreground", "--no-process-group", "-s", samba_conf(c)])


def s_nmbd(c: Ctx):
    return dict(argv=["nmbd", "--foreground", "--no-process-group", "-s", samba_conf(c)])


def s_named(c: Ctx):
    d = c.d("bind", owner="bind:bind")
    c.w("bind/named.conf", f"""// written by bench/daemons.py
options {{
  directory "{d}";
  pid-file "{d}/named.pid";
  listen-on port 53 {{ 127.0.0.1; }};
  listen-on-v6 {{ none; }};
  recursion no;
  allow-query {{ any; }};
  dnssec-validation no;
}};
controls {{ }};
zone "portlens.test" {{ type master; file "{d}/portlens.test.zone"; }};
""", owner="bind:bind")
    c.w("bind/portlens.test.zone", """$TTL 300
@ IN SOA ns.portlens.test. admin.portlens.test. 1 3600 600 86400 300
@ IN NS ns.portlens.test.
ns IN A 127.0.0.1
""", owner="bind:bind")
    return dict(argv=["named", "-g", "-u", "bind", "-c", f"{d}/named.conf"])


def s_unbound(c: Ctx):
    d = c.d("unbound")
    c.w("unbound/unbound.conf", f"""# written by bench/daemons.py
server:
  interface: 127.0.0.1
  port: 10053
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "{d}"
  pidfile: "{d}/unbound.pid"
  use-syslog: no
  logfile: ""
  access-control: 127.0.0.0/8 allow
  hide-version: no
  hide-identity: no
remote-control:
  control-enable: no
""")
    return dict(argv=["unbound", "-d", "-c", f"{d}/unbound.conf"])


def s_snmpd(c: Ctx):
    d = c.d("snmp")
    c.w("snmp/snmpd.conf", """# written by bench/daemons.py
rocommunity public 127.0.0.1
sysLocation portlens bench
sysContact bench@portlens.test
""")
    return dict(argv=["snmpd", "-f", "-Lo", "-C", "-c", f"{d}/snmpd.conf", "-p", f"{d}/snmpd.pid",
                      "udp:127.0.0.1:10161"], env={"SNMP_PERSISTENT_DIR": d, "MIBS": ""})


def s_tftpd(c: Ctx):
    d = c.d("tftp")
    c.w("tftp/hello.txt", "hello\n")
    # the wildcard (of the namespace, whose only interface is lo): tftpd resolves its address with
    # AI_ADDRCONFIG, which finds no IPv4 address where there is only loopback, and exits
    return dict(argv=["in.tftpd", "--listen", "--foreground", "--ipv4", "--address", ":69", "--secure",
                      "--user", "tftp", d])


def s_coturn(c: Ctx):
    d = c.d("coturn")
    return dict(argv=["turnserver", "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                      "--listening-port=3478", "--no-tls", "--no-dtls", "--no-cli", "--simple-log",
                      f"--pidfile={d}/turnserver.pid", "--log-file=stdout",
                      f"--userdb={d}/turndb", "--realm=portlens.test", "--min-port=49152",
                      "--max-port=49200"])


def s_nats(c: Ctx):
    d = c.d("nats")
    return dict(argv=["nats-server", "-a", "127.0.0.1", "-p", "4222", "-P", f"{d}/nats.pid"])


def s_dropbear(c: Ctx):
    d = c.d("dropbear", mode=0o700)
    key = os.path.join(d, "dropbear_ed25519_host_key")
    if not os.path.exists(key):
        subprocess.run(["dropbearkey", "-t", "ed25519", "-f", key], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return dict(argv=["dropbear", "-F", "-E", "-p", "127.0.0.1:2222", "-r", key, "-P", f"{d}/dropbear.pid"])


def s_munin(c: Ctx):
    d = c.d("munin")
    c.w("munin/munin-node.conf", f"""# written by bench/daemons.py
log_level 4
log_file {d}/munin-node.log
pid_file {d}/munin-node.pid
background 0
setsid 0
user root
group root
host_name bench.portlens.test
allow ^127\\.0\\.0\\.1$
host 127.0.0.1
port 4949
""")
    return dict(argv=["munin-node", "--config", f"{d}/munin-node.conf"])


def s_pgbouncer(c: Ctx):
    d = c.d("pgbouncer", owner="nobody:nogroup")
    c.w("pgbouncer/userlist.txt", '"bench" "bench"\n', owner="nobody:nogroup")
    c.w("pgbouncer/pgbouncer.ini", f"""; written by bench/daemons.py
[databases]
* = host=127.0.0.1 port=5432
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 6432
unix_socket_dir =
auth_type = md5
auth_file = {d}/userlist.txt
pidfile = {d}/pgbouncer.pid
logfile = {d}/pgbouncer.log
""", owner="nobody:nogroup")
    return dict(argv=["pgbouncer", "-u", "nobody", f"{d}/pgbouncer.ini"])


def s_svnserve(c: Ctx):
    d = c.d("svn")
    repo = os.path.join(d, "bench")
    if not os.path.isdir(repo):
        subprocess.run(["svnadmin", "create", repo], check=True)
    return dict(argv=["svnserve", "-d", "--foreground", "--listen-host", "127.0.0.1",
                      "--listen-port", "3690", "-r", d, "--pid-file", f"{d}/svnserve.pid"])


def s_icecast(c: Ctx):
    d = c.d("icecast", owner="icecast2:icecast")
    c.w("icecast/icecast.xml", f"""<!-- written by bench/daemons.py -->
<icecast>
  <location>bench</location>
  <admin>bench@portlens.test</admin>
  <limits><clients>20</clients><sources>2</sources></limits>
  <authentication>
    <source-password>bench</source-password>
    <relay-password>bench</relay-password>
    <admin-user>admin</admin-user>
    <admin-password>bench</admin-password>
  </authentication>
  <hostname>localhost</hostname>
  <listen-socket><port>8000</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <fileserve>1</fileserve>
  <paths>
    <basedir>/usr/share/icecast2</basedir>
    <logdir>{d}</logdir>
    <webroot>/usr/share/icecast2/web</webroot>
    <adminroot>/usr/share/icecast2/admin</adminroot>
    <pidfile>{d}/icecast.pid</pidfile>
  </paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>2</loglevel></logging>
  <security><chroot>0</chroot><changeowner><user>icecast2</user><group>icecast</group></changeowner></security>
</icecast>
""")
    return dict(argv=["icecast2", "-c", f"{d}/icecast.xml"])


def s_caddy(c: Ctx):
    d = c.d("caddy")
    c.w("caddy/Caddyfile", f"""# written by bench/daemons.py
{{
  admin off
  auto_https off
  storage file_system {d}/data
}}
http://127.0.0.1:18084 {{
  bind 127.0.0.1
  root * {www(c)}
  file_server
}}
""")
    return dict(argv=["caddy", "run", "--config", f"{d}/Caddyfile", "--adapter", "caddyfile"],
                env={"HOME": d, "XDG_DATA_HOME": f"{d}/data", "XDG_CONFIG_HOME": f"{d}/config"})


def s_node_exporter(c: Ctx):
    return dict(argv=["prometheus-node-exporter", "--web.listen-address=127.0.0.1:9100"])


def s_zabbix(c: Ctx):
    d = c.d("zabbix", owner="zabbix:zabbix")
    c.w("zabbix/zabbix_agentd.conf", f"""# written by bench/daemons.py
PidFile={d}/zabbix_agentd.pid
LogFile={d}/zabbix_agentd.log
Server=127.0.0.1
ServerActive=
ListenIP=127.0.0.1
ListenPort=10050
Hostname=bench.portlens.test
""")
    return dict(argv=["zabbix_agentd", "-f", "-c", f"{d}/zabbix_agentd.conf"])


def s_gpsd(c: Ctx):
    d = c.d("gpsd")
    return dict(argv=["gpsd", "-N", "-n", "-S", "2947", "-F", f"{d}/gpsd.sock", "-P", f"{d}/gpsd.pid"])


def s_tor(c: Ctx):
    d = c.d("tor", owner="debian-tor:debian-tor", mode=0o700)
    c.w("tor.torrc", f"""# written by bench/daemons.py (no route leaves the namespace: tor cannot reach the network)
SocksPort 127.0.0.1:9050
DataDirectory {d}
RunAsDaemon 0
Log notice stdout
ClientOnly 1
User debian-tor
PidFile {d}/tor.pid
""")
    return dict(argv=["tor", "-f", f"{c.work}/tor.torrc", "--defaults-torrc", "/dev/null"])


def s_pdns(c: Ctx):
    d = c.d("pdns", owner="pdns:pdns")
    c.w("pdns/recursor.conf", "# written by bench/daemons.py\n", owner="pdns:pdns")
    return dict(argv=["pdns_recursor", "--daemon=no", "--local-address=127.0.0.1", "--local-port=5301",
                      f"--config-dir={d}", f"--socket-dir={d}", "--setuid=pdns", "--setgid=pdns",
                      "--write-pid=no", "--disable-syslog", "--loglevel=3"])


def s_mumble(c: Ctx):
    d = c.d("mumble", owner="mumble-server:mumble-server")
    c.w("mumble/mumble-server.ini", f"""; written by bench/daemons.py
database={d}/mumble-server.sqlite
host=127.0.0.1
port=64738
pidfile={d}/mumble-server.pid
logfile={d}/mumble-server.log
uname=mumble-server
welcometext="portlens bench"
""", owner="mumble-server:mumble-server")
    return dict(argv=["murmurd", "-fg", "-ini", f"{d}/mumble-server.ini"])


T, U = "tcp", "udp"
SERVICES: list[Service] = [
    Service("apache2", "apache2", "Apache httpd", ("apache",), [Row(18080, T, "http")], s_apache,
            ("apache2-bin",), "client-first"),
    Service("lighttpd", "lighttpd", "lighttpd", ("lighttpd",), [Row(80, T, "http")], s_lighttpd,
            kind="client-first"),
    Service("haproxy", "haproxy", "HAProxy", ("haproxy",), [Row(18082, T, "http")], s_haproxy,
            kind="client-first", note="backend down: answers 503 itself"),
    Service("varnish", "varnish", "Varnish", ("varnish",), [Row(6081, T, "http")], s_varnish,
            kind="client-first", note="in front of the apache2 above"),
    Service("squid", "squid", "Squid", ("squid",), [Row(3128, T, "http-proxy", ("http",), True)], s_squid,
            kind="client-first"),
    Service("tinyproxy", "tinyproxy", "Tinyproxy", ("tinyproxy",),
            [Row(18888, T, "http-proxy", ("http",), True)], s_tinyproxy, ("tinyproxy-bin",), "client-first"),
    Service("proftpd", "proftpd-basic", "ProFTPD", ("proftpd",), [Row(2121, T, "ftp")], s_proftpd,
            ("proftpd-core",), "speak-first"),
    Service("exim4", "exim4-daemon-light", "Exim", ("exim",), [Row(2525, T, "smtp")], s_exim,
            ("exim4-base",), "speak-first"),
    Service("dovecot", "dovecot-imapd", "Dovecot", ("dovecot",),
            [Row(143, T, "imap")], s_dovecot, ("dovecot-core",), "speak-first",
            note="one dovecot serves both imap and pop3"),
    Service("dovecot-pop3", "dovecot-pop3d", "Dovecot", ("dovecot",), [Row(10110, T, "pop3")], None,
            ("dovecot-core",), "speak-first"),
    Service("ngircd", "ngircd", "ngIRCd", ("ngircd",), [Row(6667, T, "irc", (), True)], s_ngircd,
            kind="client-first"),
    Service("beanstalkd", "beanstalkd", "beanstalkd", ("beanstalkd",),
            [Row(11300, T, "beanstalkd", (), True)], s_beanstalkd, kind="client-first"),
    Service("rsync", "rsync", "rsync", ("rsync",), [Row(873, T, "rsync", (), True)], s_rsync,
            kind="speak-first"),
    Service("git-daemon", "git", "git daemon", ("git",), [Row(9418, T, "git", (), True)], s_git,
            kind="client-first"),
    Service("slapd", "slapd", "OpenLDAP", ("openldap", "slapd"), [Row(10389, T, "ldap")], s_slapd,
            kind="client-first"),
    Service("cupsd", "cups-daemon", "CUPS", ("cups",), [Row(631, T, "ipp", ("http",), True)], s_cups,
            kind="client-first"),
    Service("smbd", "samba", "Samba smbd", ("samba",), [Row(445, T, "smb", (), True)], s_smbd,
            kind="client-first"),
    Service("named", "bind9", "ISC BIND", ("bind",), [Row(53, T, "dns"), Row(53, U, "dns")], s_named,
            kind="client-first"),
    Service("nats-server", "nats-server", "NATS server", ("nats",), [Row(4222, T, "nats", (), True)],
            s_nats, kind="speak-first"),
    Service("dropbear", "dropbear-bin", "Dropbear sshd", ("dropbear",), [Row(2222, T, "ssh")], s_dropbear,
            kind="speak-first"),
    Service("munin-node", "munin-node", "Munin node", ("munin",), [Row(4949, T, "munin", (), True)], s_munin,
            kind="speak-first"),
    Service("pgbouncer", "pgbouncer", "PgBouncer", ("pgbouncer",), [Row(6432, T, "postgresql")], s_pgbouncer,
            kind="client-first"),
    Service("svnserve", "subversion", "Subversion svnserve", ("subversion", "svnserve"),
            [Row(3690, T, "svn", (), True)], s_svnserve, kind="speak-first"),
    Service("icecast2", "icecast2", "Icecast", ("icecast",), [Row(8000, T, "http")], s_icecast,
            kind="client-first"),
    Service("caddy", "caddy", "Caddy", ("caddy",), [Row(18084, T, "http")], s_caddy, kind="client-first"),
    Service("node-exporter", "prometheus-node-exporter", "Prometheus node_exporter",
            ("nodeexporter", "node_exporter"), [Row(9100, T, "http")], s_node_exporter, kind="client-first"),
    Service("zabbix-agent", "zabbix-agent", "Zabbix agent", ("zabbix",), [Row(10050, T, "zabbix", (), True)],
            s_zabbix, kind="client-first"),
    Service("gpsd", "gpsd", "gpsd", ("gpsd",), [Row(2947, T, "gpsd", (), True)], s_gpsd, kind="speak-first"),
    Service("tor", "tor", "Tor", ("tor",), [Row(9050, T, "socks", (), True)], s_tor, kind="client-first",
            startup=40.0),
    Service("mumble-server", "mumble-server", "Mumble server (murmur)", ("murmur", "mumble"),
            [Row(64738, T, "mumble", (), True), Row(64738, U, "mumble", (), True)], s_mumble,
            kind="client-first (TLS)"),
    Service("unbound", "unbound", "Unbound", ("unbound",), [Row(10053, U, "dns")], s_unbound, kind="udp"),
    Service("pdns-recursor", "pdns-recursor", "PowerDNS Recursor", ("powerdns", "pdns"),
            [Row(5301, U, "dns")], s_pdns, kind="udp"),
    Service("snmpd", "snmpd", "Net-SNMP", ("netsnmp",), [Row(10161, U, "snmp")], s_snmpd, kind="udp"),
    Service("tftpd-hpa", "tftpd-hpa", "tftp-hpa", ("tftphpa", "tftpd"), [Row(69, U, "tftp", (), True)], s_tftpd,
            kind="udp"),
    Service("coturn", "coturn", "coturn", ("coturn",), [Row(3478, U, "stun", (), True)], s_coturn, kind="udp"),
    Service("nmbd", "samba", "Samba nmbd", ("samba", "nmbd"), [Row(137, U, "netbios-ns", (), True)], s_nmbd,
            kind="udp"),
]


def packages() -> list[str]:
    out = []
    for s in SERVICES:
        if s.package not in out:
            out.append(s.package)
    return out


# --------------------------------------------------------------------------------------------------
# matching
# --------------------------------------------------------------------------------------------------

def norm(s: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (s or "").lower())


def upstream(deb_version: str) -> str:
    """2.4.62-1~deb12u2 -> 2.4.62; 1:9.18.49-1~deb12u3 -> 9.18.49; 1.19.2~ds1-1 -> 1.19.2;
    1.3.8+dfsg-4 -> 1.3.8."""
    v = deb_version.split(":", 1)[-1]
    if "-" in v:
        v = v.rsplit("-", 1)[0]
    v = re.split(r"[~+]", v, maxsplit=1)[0]
    return v


def version_right(reported: str | None, truth: str) -> bool:
    """Right when the reported version starts with the upstream version and does not go on with a
    digit (9.18.49-1~deb12u3-Debian is right for 9.18.49; 2.4 is not, nor 9.18.490)."""
    r = (reported or "").strip().lower()
    r = re.sub(r"^(v|version\s*)", "", r)
    if not r or not truth:
        return False
    if r == truth.lower():
        return True
    if r.startswith(truth.lower()):
        rest = r[len(truth):]
        return not rest[:1].isdigit() and not (rest[:1] == "." and rest[1:2].isdigit())
    return False


def product_right(reported: str | None, spellings: tuple[str, ...]) -> bool:
    r = norm(reported)
    return bool(r) and any(norm(s) and norm(s) in r for s in spellings)


def protocol_right(reported: str | None, row: Row) -> bool:
    c = canon(reported)
    return bool(c) and (c == row.protocol or c in row.accept)


# --------------------------------------------------------------------------------------------------
# the owner's package: tolerant of the field's shape (it is being added to the JSON)
# --------------------------------------------------------------------------------------------------
PKG_KEY = re.compile(r"(?i)(package|pkg|dpkg|deb)")


def _parse_pkg_string(s: str) -> tuple[str, str]:
    s = s.strip()
    m = re.match(r"^([a-z0-9][a-z0-9+.-]*)(?:[ =_]\(?|\s+\(?)([0-9][^\s)]*)\)?", s)
    if m:
        return m.group(1), m.group(2)
    m = re.match(r"^([a-z0-9][a-z0-9+.-]*)", s)
    return (m.group(1), "") if m else ("", "")


def owner_packages(obj, depth: int = 0) -> list[tuple[str, str]]:
    """(name, version) pairs of the Debian package(s) an owner names. Looks, in the owner and in the
    objects inside it (process, ...), two levels deep, for keys containing package / pkg / dpkg / deb:
    a string "NAME", "NAME VERSION", "NAME=VERSION", "NAME (VERSION)"; an object with name / package
    / id and version; or a list of either. A sibling key such as packageVersion supplies the version
    of a bare name."""
    found: list[tuple[str, str]] = []
    if not isinstance(obj, dict) or depth > 2:
        return found
    sibling_version = ""
    for k, v in obj.items():
        if PKG_KEY.search(k) and re.search(r"(?i)version", k) and isinstance(v, str):
            sibling_version = v
    for k, v in obj.items():
        if not PKG_KEY.search(k) or re.search(r"(?i)version", k):
            continue
        items = v if isinstance(v, list) else [v]
        for it in items:
            if isinstance(it, str) and it:
                n, ver = _parse_pkg_string(it)
                if n:
                    found.append((n, ver or sibling_version))
            elif isinstance(it, dict):
                n = next((it[x] for x in ("name", "package", "id", "pkg") if isinstance(it.get(x), str)), "")
                ver = next((it[x] for x in ("version", "ver", "packageVersion") if isinstance(it.get(x), str)), "")
                if n:
                    found.append((n.split(":")[0], ver or sibling_version))
    for k, v in obj.items():
        if isinstance(v, dict) and not PKG_KEY.search(k):
            found.extend(owner_packages(v, depth + 1))
    return found


# --------------------------------------------------------------------------------------------------
# processes
# --------------------------------------------------------------------------------------------------

def listening(port: int, transport: str) -> bool:
    files = ["/proc/net/tcp", "/proc/net/tcp6"] if transport == "tcp" else ["/proc/net/udp", "/proc/net/udp6"]
    want = f":{port:04X}"
    for fn in files:
        try:
            with open(fn) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[1].endswith(want) and (transport == "udp" or parts[3] == "0A"):
                        return True
        except OSError:
            pass
    return False


def start_service(s: Service, ctx: Ctx, logdir: str) -> subprocess.Popen | None:
    spec = s.start(ctx)
    env = dict(os.environ)
    env.update(spec.get("env", {}))
    out = open(os.path.join(logdir, f"{s.key}.log"), "wb")
    out.write(("$ " + shlex.join(spec["argv"]) + "\n").encode())
    out.flush()
    p = subprocess.Popen(spec["argv"], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                         env=env, cwd=spec.get("cwd", ctx.work), start_new_session=True)
    CHILDREN.append(p)
    return p


def stop_all() -> None:
    for p in reversed(CHILDREN):
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                pass
    deadline = time.time() + 8
    for p in CHILDREN:
        try:
            p.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()


def dpkg_version(pkg: str) -> str:
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else ""


def dpkg_owner(path: str) -> str:
    if not path:
        return ""
    r = subprocess.run(["dpkg", "-S", os.path.realpath(path)], capture_output=True, text=True)
    if r.returncode != 0:
        r = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    return r.stdout.split(":", 1)[0].strip() if r.returncode == 0 else ""


# --------------------------------------------------------------------------------------------------
# the identifiers
# --------------------------------------------------------------------------------------------------

def run_timed(argv: list[str], timeout: float, env: dict | None = None) -> tuple[float, int, str, str]:
    t0 = time.perf_counter()
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env,
                           stdin=subprocess.DEVNULL)
        return time.perf_counter() - t0, r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired as e:
        return time.perf_counter() - t0, -999, (e.stdout or b"").decode(errors="replace") if isinstance(
            e.stdout, bytes) else (e.stdout or ""), "timed out"


def wire_fields(w: dict | None) -> dict:
    w = w or {}
    return {"protocol": w.get("protocol") or "", "product": w.get("product") or "",
            "version": w.get("version") or "", "outcome": w.get("outcome") or "",
            "firstBytes": w.get("firstBytes") or "", "tried": w.get("tried") or [],
            "error": w.get("error") or "", "details": w.get("details") or {},
            "elapsedMillis": w.get("elapsedMillis"), "bytesReceived": w.get("bytesReceived"),
            "tls": bool(w.get("tls"))}


def portlens_scan(cmd: list[str], rows: list[tuple[Service, Row]], transport: str, out: str, env: dict):
    ports = sorted({r.port for _, r in rows if r.transport == transport})
    if not ports:
        return {}, 0.0
    argv = cmd + ["scan", "127.0.0.1", "-p", ",".join(map(str, ports)), "--identify", "--json"]
    if transport == "udp":
        argv.insert(len(cmd) + 2, "--udp")
    log(f"$ {shlex.join(argv)}")
    wall, rc, so, se = run_timed(argv, 600, env)
    with open(os.path.join(out, f"portlens-scan-{transport}.json"), "w") as f:
        f.write(so)
    res = parse_scan(so)
    if not res:
        log(f"portlens scan --{transport}: no ports in its JSON (exit {rc}); stderr: {se.strip()[:500]}")
    log(f"  {wall:.2f} s, exit {rc}, {len(res)} ports in the answer")
    return res, wall


def parse_scan(text: str) -> dict:
    res = {}
    try:
        doc = json.loads(text)
        for p in doc.get("ports", []):
            res[int(p["port"])] = {"state": p.get("state"), **wire_fields(p.get("wire"))}
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return res


def portlens_port(cmd: list[str], row: Row, out: str, env: dict) -> dict:
    argv = cmd + [f"{row.port}/{row.transport}", "--json"]
    wall, rc, so, se = run_timed(argv, 120, env)
    with open(os.path.join(out, f"portlens-port-{row.port}-{row.transport}.json"), "w") as f:
        f.write(so)
    res = parse_port(so, row)
    res.update(wall=wall, exit=rc)
    if "noJson" in res:
        res["error"] = f"no JSON (exit {rc}): {se.strip()[:300]}"
    return res


def parse_port(text: str, row: Row) -> dict:
    res = {"owners": [], "packages": []}
    try:
        doc = json.loads(text)
    except ValueError:
        res["noJson"] = True
        return res
    for lst in doc.get("listeners", []) or []:
        if lst.get("transport") != row.transport or int(lst.get("port", -1)) != row.port:
            continue
        if lst.get("wire") and not res.get("protocol"):
            res.update(wire_fields(lst.get("wire")))
        for o in lst.get("owners", []) or []:
            proc = o.get("process") or {}
            exe = proc.get("executable") or ""
            res["owners"].append({"status": o.get("status"), "pid": proc.get("pid"), "name": proc.get("name"),
                                  "executable": exe})
            for pk in owner_packages(o):
                if pk not in res["packages"]:
                    res["packages"].append(pk)
    return res


NMAP_BASE = ["nmap", "-n", "-Pn", "-sV", "--version-intensity", "7", "-oX", "-"]


def nmap_parse(xml_text: str) -> dict:
    res = {}
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError:
        return res
    for port in root.iter("port"):
        st = port.find("state")
        sv = port.find("service")
        d = {"state": st.get("state") if st is not None else "", "name": "", "product": "", "version": "",
             "extrainfo": "", "tunnel": "", "method": "", "conf": ""}
        if sv is not None:
            for k in ("name", "product", "version", "extrainfo", "tunnel", "method", "conf"):
                d[k] = sv.get(k) or ""
        name = d["name"]
        if d["tunnel"] == "ssl":
            name = "https" if name in ("http", "https") else (name if name not in ("", "unknown") else "tls")
        # a name from nmap's port table (method="table") is a guess from the port number, not an
        # identification: it does not count (the bench puts daemons on other ports for that reason);
        # nor does tcpwrapped (the server closed without a word) or a name nmap marks with '?'
        guessed = d["method"] == "table" or name in ("unknown", "", "tcpwrapped") or name.endswith("?")
        d["protocol"] = "" if guessed else name
        d["shown"] = (f"({name}: port table)" if d["method"] == "table" and name not in ("", "unknown")
                      else name)
        res[(port.get("protocol"), int(port.get("portid")))] = d
    return res


def nmap_batch(rows: list[tuple[Service, Row]], transport: str, out: str):
    ports = sorted({r.port for _, r in rows if r.transport == transport})
    if not ports:
        return {}, 0.0
    argv = NMAP_BASE + (["-sU"] if transport == "udp" else ["-sT"]) + ["-p", ",".join(map(str, ports)),
                                                                        "127.0.0.1"]
    log(f"$ {shlex.join(argv)}")
    wall, rc, so, se = run_timed(argv, 1800)
    with open(os.path.join(out, f"nmap-{transport}.xml"), "w") as f:
        f.write(so)
    res = nmap_parse(so)
    log(f"  {wall:.1f} s, exit {rc}, {len(res)} ports in the answer")
    return res, wall


def nmap_one(row: Row, out: str) -> tuple[dict, float]:
    argv = NMAP_BASE + (["-sU"] if row.transport == "udp" else ["-sT"]) + ["-p", str(row.port), "127.0.0.1"]
    wall, rc, so, se = run_timed(argv, 900)
    with open(os.path.join(out, f"nmap-{row.port}-{row.transport}.xml"), "w") as f:
        f.write(so)
    return nmap_parse(so).get((row.transport, row.port), {}), wall


# --------------------------------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------------------------------

def pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:.0f}%" if d else "n/a"


def fmt_s(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def cell(proto: str, product: str, version: str, ok: tuple[bool, bool, bool]) -> str:
    marks = "".join("✓" if b else "✗" for b in ok)
    txt = " / ".join(x if x else "–" for x in (proto, product, version))
    return f"{txt.replace('|', '¦')} {marks}"


def cmd_run(a) -> int:
    def on_signal(signum, _frame):
        raise KeyboardInterrupt
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    try:
        return run(a)
    except KeyboardInterrupt:
        log("interrupted")
        return 3
    finally:
        stop_all()


def run(a) -> int:
    out = a.out
    logdir = os.path.join(out, "logs")
    raw = os.path.join(out, "raw")
    for d in (logdir, raw):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    ctx = Ctx(a.work)
    os.chmod(a.work, 0o755)
    services = [s for s in SERVICES if not a.only or s.key in a.only.split(",")]

    # ---- start every daemon, all at once, then wait for their ports
    t0 = time.time()
    procs: dict[str, subprocess.Popen | None] = {}
    for s in services:
        if s.start is None:
            continue
        try:
            procs[s.key] = start_service(s, ctx, logdir)
        except Exception as e:  # a configuration step failed: the daemon is left out, and said so
            log(f"{s.key}: could not start: {e}")
            procs[s.key] = None
    up: dict[str, bool] = {}
    for s in services:
        deadline = t0 + s.startup
        while True:
            if all(listening(r.port, r.transport) for r in s.rows):
                up[s.key] = True
                break
            p = procs.get(s.key)
            if (p is None and s.start is not None) or time.time() > deadline:
                up[s.key] = False
                break
            time.sleep(0.2)
    # give the daemons that open their port before they are ready a moment (cupsd, smbd, murmurd)
    time.sleep(2.0)
    for s in services:
        p = procs.get(s.key)
        if up[s.key] and p is not None and p.poll() is not None and not all(
                listening(r.port, r.transport) for r in s.rows):
            up[s.key] = False
    started = time.time() - t0
    down = [s.key for s in services if not up[s.key]]
    log(f"daemons up after {started:.1f} s: {sum(up.values())} of {len(services)}"
        + (f"; not listening: {', '.join(down)} (see {logdir})" if down else ""))

    if a.check:
        for s in services:
            print(f"{s.key}\t{'up' if up[s.key] else 'NOT LISTENING'}\t"
                  + " ".join(f"{r.port}/{r.transport}" for r in s.rows))
        return 0 if not down else 1

    rows = [(s, r) for s in services if up[s.key] for r in s.rows]
    truth = {}
    for s in services:
        full = dpkg_version(s.package)
        truth[s.key] = {"package": s.package, "debVersion": full, "version": upstream(full)}

    cmd = shlex.split(a.portlens)
    env = dict(os.environ)
    env["PORTLENS_NO_BUILD"] = env.get("PORTLENS_NO_BUILD", "1")
    env["NO_COLOR"] = "1"

    # ---- portlens: warm-up (the launcher may train its class-data archive), then the scans
    run_timed(cmd + ["--version"], 600, env)
    scan = {}
    scan_wall = {}
    for tr in ("tcp", "udp"):
        res, wall = portlens_scan(cmd, rows, tr, raw, env)
        scan_wall[tr] = wall
        for port, v in res.items():
            scan[(tr, port)] = v

    # ---- portlens PORT, one port at a time
    log(f"portlens PORT --json for {len(rows)} ports")
    single = {}
    for s, r in rows:
        single[(r.transport, r.port)] = portlens_port(cmd, r, raw, env)

    # ---- nmap -sV
    nm = {}
    nm_wall = {}
    nm_each = {}
    for tr in ("tcp", "udp"):
        res, wall = nmap_batch(rows, tr, raw)
        nm_wall[tr] = wall
        nm.update(res)
    if a.nmap_each:
        log(f"nmap -sV one port at a time ({len(rows)} runs)")
        for s, r in rows:
            _, wall = nmap_one(r, raw)
            nm_each[(r.transport, r.port)] = wall

    state = {"date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "only": a.only,
             "started": started, "down": down, "portlens": a.portlens, "nmapEach": bool(a.nmap_each),
             "scanWall": scan_wall, "nmapWall": nm_wall,
             "portWall": {f"{k[1]}/{k[0]}": v.get("wall") for k, v in single.items()},
             "portExit": {f"{k[1]}/{k[0]}": v.get("exit") for k, v in single.items()},
             "nmapEachWall": {f"{k[1]}/{k[0]}": v for k, v in nm_each.items()}}
    with open(os.path.join(out, "state.json"), "w") as f:
        json.dump(state, f, indent=1)
    return report(a, state)


def report(a, state: dict) -> int:
    """Scores the answers kept in OUT/raw (the tools' own JSON and XML) and prints the report:
    run after a run, and again by `daemons.py report` (after a change to the table or the scoring)."""
    out = a.out
    raw = os.path.join(out, "raw")
    only = state.get("only") or ""
    services = [s for s in SERVICES if not only or s.key in only.split(",")]
    down = state.get("down", [])
    started = state.get("started", 0.0)
    a.nmap_each = state.get("nmapEach", False)
    rows = [(s, r) for s in services if s.key not in down for r in s.rows]
    truth = {}
    for s in services:
        full = dpkg_version(s.package)
        truth[s.key] = {"package": s.package, "debVersion": full, "version": upstream(full)}

    def read(name: str) -> str:
        try:
            with open(os.path.join(raw, name)) as f:
                return f.read()
        except OSError:
            return ""
    scan = {}
    for tr in ("tcp", "udp"):
        for port, v in parse_scan(read(f"portlens-scan-{tr}.json")).items():
            scan[(tr, port)] = v
    scan_wall = state.get("scanWall", {})
    single = {}
    for s, r in rows:
        k = f"{r.port}/{r.transport}"
        v = parse_port(read(f"portlens-port-{r.port}-{r.transport}.json"), r)
        v.update(wall=state.get("portWall", {}).get(k), exit=state.get("portExit", {}).get(k))
        single[(r.transport, r.port)] = v
    nm = {}
    for tr in ("tcp", "udp"):
        nm.update(nmap_parse(read(f"nmap-{tr}.xml")))
    nm_wall = state.get("nmapWall", {})
    nm_each = {}
    for k, v in state.get("nmapEachWall", {}).items():
        port, tr = k.split("/")
        nm_each[(tr, int(port))] = v

    # ---- score
    results = []
    for s, r in rows:
        t = truth[s.key]
        key = (r.transport, r.port)
        sc = scan.get(key, {})
        sp = single.get(key, {})
        n = nm.get(key, {})
        owner_pkgs = set(s.owner_packages) | {s.package}
        for o in sp.get("owners", []):
            op = dpkg_owner(o.get("executable") or "")
            if op:
                owner_pkgs.add(op)
        via_owner_product = any(pn in owner_pkgs for pn, _ in sp.get("packages", []))
        via_owner_version = any(pn in owner_pkgs and version_right(upstream(pv), t["version"])
                                for pn, pv in sp.get("packages", []) if pv)
        e = {
            "daemon": s.key, "package": s.package, "debVersion": t["debVersion"], "transport": r.transport,
            "port": r.port, "kind": s.kind, "expected": {
                "protocol": r.protocol, "acceptedProtocols": [r.protocol, *r.accept],
                "protocolNameFrom": "iana/nmap" if r.iana_name else "portlens",
                "product": s.product, "spellings": list(s.spellings), "version": t["version"]},
            "scan": {**sc, "right": [protocol_right(sc.get("protocol"), r),
                                     product_right(sc.get("product"), s.spellings),
                                     version_right(sc.get("version"), t["version"])]},
            "port_cmd": {**sp, "ownerPackagesAccepted": sorted(owner_pkgs),
                         "right": [protocol_right(sp.get("protocol"), r),
                                   product_right(sp.get("product"), s.spellings) or via_owner_product,
                                   version_right(sp.get("version"), t["version"]) or via_owner_version],
                         "rightWireOnly": [protocol_right(sp.get("protocol"), r),
                                           product_right(sp.get("product"), s.spellings),
                                           version_right(sp.get("version"), t["version"])],
                         "fromOwner": [False, via_owner_product and not product_right(sp.get("product"), s.spellings),
                                       via_owner_version and not version_right(sp.get("version"), t["version"])]},
            "nmap": {**n, "right": [protocol_right(n.get("protocol"), r),
                                    product_right(n.get("product"), s.spellings),
                                    version_right(n.get("version"), t["version"])],
                     "eachWall": nm_each.get(key)},
        }
        results.append(e)

    # ---- report
    n_rows = len(results)
    tools = [("portlens scan --identify", "scan"), ("portlens PORT (wire + owners)", "port_cmd"),
             ("nmap -sV", "nmap")]
    summary = {}
    for label, k in tools:
        sums = [sum(1 for e in results if e[k]["right"][i]) for i in range(3)]
        summary[k] = {"label": label, "protocol": sums[0], "product": sums[1], "version": sums[2], "rows": n_rows}
    # times
    scan_total = sum(scan_wall.values())
    scan_elapsed = [e["scan"].get("elapsedMillis") / 1000.0 for e in results
                    if isinstance(e["scan"].get("elapsedMillis"), (int, float))]
    port_walls = [e["port_cmd"]["wall"] for e in results if e["port_cmd"].get("wall") is not None]
    nm_total = sum(nm_wall.values())
    nm_each_walls = [v for v in nm_each.values() if v is not None]
    summary["scan"].update(total=scan_total, per_port=scan_total / n_rows if n_rows else None,
                           median=statistics.median(scan_elapsed) if scan_elapsed else None,
                           median_what="median of the probes' own elapsedMillis")
    summary["port_cmd"].update(total=sum(port_walls), per_port=sum(port_walls) / n_rows if n_rows else None,
                               median=statistics.median(port_walls) if port_walls else None,
                               median_what="median wall time of one `portlens PORT --json`")
    summary["nmap"].update(total=nm_total, per_port=nm_total / n_rows if n_rows else None,
                           median=statistics.median(nm_each_walls) if nm_each_walls else None,
                           median_what="median wall time of one `nmap -sV -p PORT`" if nm_each_walls
                           else "(one port at a time not run: --nmap-each)",
                           each_total=sum(nm_each_walls) if nm_each_walls else None)

    lines = []
    p = lines.append
    n_daemons = sum(1 for s in services if s.start is not None)
    p(f"### Daemons ({n_daemons} daemons, {len(services) - len(down)} of {len(services)} services listening, {n_rows} ports: "
      f"{sum(1 for e in results if e['transport'] == 'tcp')} TCP, {sum(1 for e in results if e['transport'] == 'udp')} UDP)")
    p("")
    p("Each cell: protocol / product / version as the tool said them, then ✓ or ✗ for each of the three.")
    p("")
    p("| daemon (package) | port | expected: protocol / product / version | portlens scan --identify "
      "| portlens PORT (wire + owners) | nmap -sV |")
    p("|---|---|---|---|---|---|")
    for e in results:
        ex = e["expected"]
        exp = f"{ex['protocol']}{'*' if ex['protocolNameFrom'] != 'portlens' else ''} / {ex['product']} / {ex['version']}"
        sc = e["scan"]
        sp = e["port_cmd"]
        pk = sp.get("packages") or []
        sp_prod = sp.get("product") or ""
        sp_ver = sp.get("version") or ""
        if sp["fromOwner"][1] or sp["fromOwner"][2]:
            pn = ", ".join(f"{a} {b}".strip() for a, b in pk)
            sp_prod = (sp_prod + " " if sp_prod else "") + f"[owner: {pn}]"
        if sp["fromOwner"][2]:
            sp_ver = (sp_ver + " " if sp_ver else "") + "[owner's]"
        n = e["nmap"]
        np_ = n.get("shown") or n.get("protocol") or ""
        p(f"| {e['daemon']} ({e['package']}) | {e['port']}/{e['transport']} | {exp} "
          f"| {cell(sc.get('protocol', ''), sc.get('product', ''), sc.get('version', ''), sc['right'])} "
          f"| {cell(sp.get('protocol', ''), sp_prod, sp_ver, sp['right'])} "
          f"| {cell(np_, n.get('product', ''), n.get('version', ''), n['right'])} |")
    p("")
    p("\\* no portlens protocol name: the IANA / nmap service name. Not listening (left out): "
      + (", ".join(down) if down else "none") + ".")
    p("")
    p("### Summary")
    p("")
    p(f"| identifier | protocol right | product right | version right | total time | time per port (total / {n_rows}) | median per port |")
    p("|---|---:|---:|---:|---:|---:|---:|")
    for label, k in tools:
        su = summary[k]
        p(f"| {label} | {su['protocol']}/{n_rows} ({pct(su['protocol'], n_rows)}) | {su['product']}/{n_rows} "
          f"({pct(su['product'], n_rows)}) | {su['version']}/{n_rows} ({pct(su['version'], n_rows)}) "
          f"| {fmt_s(su['total'])} | {fmt_s(su['per_port'])} | {fmt_s(su['median'])} |")
    p("")
    p("Ratios to nmap -sV:")
    p("")
    p("| identifier | protocol | product | version | total time | time per port | median per port |")
    p("|---|---:|---:|---:|---:|---:|---:|")
    nsu = summary["nmap"]

    def ratio(x, y):
        return f"{x / y:.2f}×" if x is not None and y else "n/a"
    for label, k in tools[:2]:
        su = summary[k]
        p(f"| {label} | {ratio(su['protocol'], nsu['protocol'])} | {ratio(su['product'], nsu['product'])} "
          f"| {ratio(su['version'], nsu['version'])} | {ratio(su['total'], nsu['total'])} "
          f"| {ratio(su['per_port'], nsu['per_port'])} | {ratio(su['median'], nsu['median'])} |")
    p("")
    p("Medians: " + "; ".join(f"{summary[k]['label']}: {summary[k]['median_what']}" for _, k in tools) + ".")
    owner_hits = sum(1 for e in results if e["port_cmd"].get("packages"))
    p(f"Owners' packages in `portlens PORT --json`: {owner_hits} of {n_rows} ports name one"
      + (" (the field is not in this build's JSON: the \"with owners\" product and version are the wire's)"
         if owner_hits == 0 else "") + ".")
    if a.nmap_each:
        p(f"nmap -sV one port at a time: {fmt_s(summary['nmap']['each_total'])} in all.")
    p("")

    # misses: what portlens said, raw
    misses = [e for e in results if not all(e["scan"]["right"]) or not all(e["port_cmd"]["rightWireOnly"])]
    p(f"### portlens's misses ({len(misses)} ports where scan --identify or PORT missed protocol, product or version)")
    p("")
    p("| daemon | port | missed | portlens said (scan) | first bytes | tried | error |")
    p("|---|---|---|---|---|---|---|")
    for e in misses:
        sc = e["scan"]
        what = ",".join(x for x, ok in zip(("protocol", "product", "version"), sc["right"]) if not ok) or "(PORT only)"
        w = sc if sc.get("outcome") else e["port_cmd"]
        fb = (w.get("firstBytes") or "")[:120].replace("|", "\\|").replace("`", "'")
        said = (f"{sc.get('state') or 'not in the answer'}: {sc.get('outcome') or 'not probed'} "
                f"{sc.get('protocol', '')} / {sc.get('product', '')} / {sc.get('version', '')}")
        if not all(e["port_cmd"]["rightWireOnly"]) and e["port_cmd"].get("protocol") != sc.get("protocol"):
            sp = e["port_cmd"]
            said += f"; PORT: {sp.get('outcome', '')} {sp.get('protocol', '')} / {sp.get('product', '')} / {sp.get('version', '')}"
        det = sc.get("details") or {}
        if det:
            said += " " + ", ".join(f"{k}={v}" for k, v in list(det.items())[:4])
        p(f"| {e['daemon']} | {e['port']}/{e['transport']} | {what} | {said.replace('|', '¦')[:200]} "
          f"| `{fb}` | {' '.join(w.get('tried') or [])} | {(w.get('error') or '').replace('|', '¦')[:100]} |")
    p("")
    report = "\n".join(lines)
    print(report, flush=True)

    meta = {"date": state.get("date"), "startedSeconds": started,
            "notListening": down, "portlens": state.get("portlens"), "summary": summary, "rows": results}
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(meta, f, indent=1, default=str)
    with open(os.path.join(out, "results.tsv"), "w") as f:
        hdr = ["daemon", "package", "version", "port", "transport", "expected_protocol", "expected_product",
               "scan_protocol", "scan_product", "scan_version", "scan_right",
               "port_protocol", "port_product", "port_version", "port_packages", "port_right", "port_wall_s",
               "nmap_service", "nmap_product", "nmap_version", "nmap_right"]
        f.write("\t".join(hdr) + "\n")
        for e in results:
            def rr(x):
                return "".join("1" if b else "0" for b in x)
            f.write("\t".join(str(v) for v in [
                e["daemon"], e["package"], e["expected"]["version"], e["port"], e["transport"],
                e["expected"]["protocol"], e["expected"]["product"],
                e["scan"].get("protocol", ""), e["scan"].get("product", ""), e["scan"].get("version", ""),
                rr(e["scan"]["right"]),
                e["port_cmd"].get("protocol", ""), e["port_cmd"].get("product", ""),
                e["port_cmd"].get("version", ""),
                ",".join(f"{x}={y}" for x, y in e["port_cmd"].get("packages", [])),
                rr(e["port_cmd"]["right"]), f"{e['port_cmd'].get('wall') or 0:.3f}",
                e["nmap"].get("name", ""), e["nmap"].get("product", ""), e["nmap"].get("version", ""),
                rr(e["nmap"]["right"])]).replace("\n", " ") + "\n")
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(report + "\n")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    sub.add_parser("packages")
    r = sub.add_parser("run")
    r.add_argument("--root", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--work", required=True)
    r.add_argument("--portlens", default="./portlens")
    r.add_argument("--only", default="")
    r.add_argument("--nmap-each", action="store_true")
    r.add_argument("--check", action="store_true", help="start the daemons, say which listen, stop them")
    rp = sub.add_parser("report", help="score the last run's answers again (OUT/raw, OUT/state.json)")
    rp.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.cmd == "packages":
        print("\n".join(packages()))
        return 0
    if a.cmd == "list":
        for s in SERVICES:
            for row in s.rows:
                print(f"{s.key}\t{s.package}\t{row.port}/{row.transport}\t{row.protocol}\t{s.product}\t{s.kind}")
        return 0
    if a.cmd == "report":
        with open(os.path.join(a.out, "state.json")) as f:
            return report(a, json.load(f))
    os.chdir(a.root)
    return cmd_run(a)


if __name__ == "__main__":
    sys.exit(main())
