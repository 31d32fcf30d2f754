package org.portlens.probe;

/**
 * Answers of real servers to the built-in probes, byte for byte (as ISO-8859-1 strings).
 *
 * <p>Recorded on Debian 12 (bookworm), Linux 6.18, as root, from servers started by hand on
 * 127.0.0.1 (nginx 1.22.1, OpenSSH 9.2p1 Debian-2+deb12u10, MariaDB 10.11.19, PostgreSQL 15 with
 * initdb -A trust, redis-server 7.0.15, memcached 1.6.18, mosquitto 2.0.11, dnsmasq 2.90, net-snmp
 * snmpd 5.9.3 with {@code rocommunity public 127.0.0.1} and {@code sysDescr portlens test agent},
 * chronyd 4.3 with {@code local stratum 8}): the
 * payload of the named probe in {@code probes.txt} sent with a plain socket, everything read until
 * the server closed or fell quiet for 300-500 ms.
 */
final class RecordedAnswers {

    private RecordedAnswers() {}

    /** nginx 1.22.1 serving a one-line index.html, to probe http-get. */
    static final String NGINX_HTTP =
            "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 27 Nov 2026 15:15:59 GMT\r\nContent-Type: text/html\r\nContent-Length: 71\r\nLast-Modified: Fri, 27 Nov 2026 15:14:48 GMT\r\nConnection: close\r\nETag: \"6b099e68-47\"\r\nAccept-Ranges: bytes\r\n\r\n<html><head><title>Hello portlens</title></head><body>hi</body></html>\n";

    /** nginx 1.22.1, {@code listen ... ssl http2}, to probe http-get (plain text to its TLS port). */
    static final String NGINX_PLAIN_TO_TLS_PORT =
            "HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\nDate: Fri, 27 Nov 2026 15:15:59 GMT\r\nContent-Type: text/html\r\nContent-Length: 255\r\nConnection: close\r\n\r\n<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";

    /** sshd -D -e -f CONFIG, speaking first. */
    static final String OPENSSH_BANNER = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n";

    /** mariadbd --no-defaults, speaking first (HandshakeV10). */
    static final String MARIADB_GREETING =
            "d\u0000\u0000\u0000\n5.5.5-10.11.19-MariaDB-0+deb12u1\u0000\u0004\u0000\u0000\u0000e[zqJZi!\u0000\u00fe\u00f7\u0008\u0002\u0000\u00ff\u0081\u0015\u0000\u0000\u0000\u0000\u0000\u0000\u001d\u0000\u0000\u0000bM;|%;=`J1S3\u0000mysql_native_password\u0000";

    /** PostgreSQL 15 without ssl, to probe pg-ssl. */
    static final String POSTGRES_SSLREQUEST = "N";

    /** PostgreSQL 15, trust authentication, to probe pg-startup (role "portlens" does not exist). */
    static final String POSTGRES_STARTUP =
            "R\u0000\u0000\u0000\u0008\u0000\u0000\u0000\u0000E\u0000\u0000\u0000dSFATAL\u0000VFATAL\u0000C28000\u0000Mrole \"portlens\" does not exist\u0000Fmiscinit.c\u0000L768\u0000RInitializeSessionUserId\u0000\u0000";

    /** redis-server 7.0.15 without a password, to probe redis (PING, INFO server). */
    static final String REDIS_PING_INFO =
            "+PONG\r\n$577\r\n# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_build_id:ae4d7c971a948f0\r\nredis_mode:standalone\r\nos:Linux 6.18.44-fc-v782 x86_64\r\narch_bits:64\r\nmonotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:epoll\r\natomicvar_api:c11-builtin\r\ngcc_version:12.2.0\r\nprocess_id:4953\r\nprocess_supervised:no\r\nrun_id:5d1ed127cd0d327abd293eea2d69d0fe4b3e957d\r\ntcp_port:46379\r\nserver_time_usec:1795792561442360\r\nuptime_in_seconds:95\r\nuptime_in_days:0\r\nhz:10\r\nconfigured_hz:10\r\nlru_clock:630449\r\nexecutable:/tmp/pl/redis-server\r\nconfig_file:\r\nio_threads_active:0\r\n\r\n";

    /** redis-server 7.0.15, to probe http-get. */
    static final String REDIS_HTTP_GET =
            "-ERR wrong number of arguments for 'get' command\r\n-ERR unknown command 'User-Agent:', with args beginning with: 'portlens' \r\n-ERR unknown command 'Accept:', with args beginning with: '*/*' \r\n-ERR unknown command 'Connection:', with args beginning with: 'close' \r\n";

    /** memcached -p PORT -l 127.0.0.1 -U 0, to probe memcached. */
    static final String MEMCACHED_VERSION = "VERSION 1.6.18\r\n";

    /** mosquitto 2.0.11, {@code allow_anonymous true}, to probe mqtt (CONNACK, accepted). */
    static final String MOSQUITTO_CONNACK = " \u0002\u0000\u0000";

    /** dnsmasq 2.90 --no-resolv, over UDP, to probe dns-udp (version.bind CH TXT). */
    static final String DNSMASQ_UDP_VERSION_BIND =
            "pl\u0084\u0080\u0000\u0001\u0000\u0001\u0000\u0000\u0000\u0000\u0007version\u0004bind\u0000\u0000\u0010\u0000\u0003\u00c0\u000c\u0000\u0010\u0000\u0003\u0000\u0000\u0000\u0000\u0000\r\u000cdnsmasq-2.90";

    /** snmpd 5.9.3 (net-snmp), to probe snmp (v2c GetRequest sysDescr.0, community public). */
    static final String SNMPD_SYSDESCR =
            "0<\u0002\u0001\u0001\u0004\u0006public\u00a2/\u0002\u0004pl\u0000\u0001\u0002\u0001\u0000\u0002\u0001\u00000!0\u001f\u0006\u0008+\u0006\u0001\u0002\u0001\u0001\u0001\u0000\u0004\u0013portlens test agent";

    /** chronyd 4.3 serving NTP with {@code local stratum 8}, to probe ntp. */
    static final String CHRONY_NTP =
            "$\u0008\u0004\u00e7\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u007f\u007f\u0001\u0001\u00ee\u00b4\u001f\u00a7\u009e\u0000VZ\u00c5O#Kq\u00b1R\u00f3\u00ee\u00b4\u001f\u00ac\u0017\u00a0S)\u00ee\u00b4\u001f\u00ac\u0017\u00a5\u00a3\u00b8";
}
