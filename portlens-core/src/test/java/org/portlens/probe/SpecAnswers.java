package org.portlens.probe;

/**
 * Answers to the probes for servers that wait for a client hello, written byte for byte from the
 * protocols' published specifications (each constant names its section), not recorded: no server of
 * these is installed on the machines that run the tests. Strings are ISO-8859-1, one char per byte.
 */
final class SpecAnswers {

    private SpecAnswers() {}

    /** MS-SMB2 2.2.4: NEGOTIATE response, dialect 3.0.2, no security buffer. */
    static final String SMB2_NEGOTIATE_RESPONSE =
            "\u0000\u0000\u0000\u0080\u00feSMB@\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0001\u0000\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u00ff\u00fe\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000A\u0000\u0001\u0000\u0002\u0003\u0000\u0000SAMBA-SERVERGUID/\u0000\u0000\u0000\u0000\u0000\u0080\u0000\u0000\u0000\u0080\u0000\u0000\u0000\u0080\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080\u0000\u0000\u0000\u0000\u0000\u0000\u0000";

    /** MS-TDS 2.2.6.5: PRELOGIN response of SQL Server 2019 (15.0.2000), encryption not supported. */
    static final String MSSQL_PRELOGIN_RESPONSE =
            "\u0004\u0001\u0000+\u0000\u0000\u0001\u0000\u0000\u0000\u001a\u0000\u0006\u0001\u0000 \u0000\u0001\u0002\u0000!\u0000\u0001\u0003\u0000\"\u0000\u0000\u0004\u0000\"\u0000\u0001\u00ff\u000f\u0000\u0007\u00d0\u0000\u0005\u0002\u0000\u0000";

    /** Java RMI spec 10.2: ProtocolAck, the client seen as 127.0.0.1:41234. */
    static final String JRMI_PROTOCOL_ACK = "N\u0000\t127.0.0.1\u0000\u0000\u00a1\u0012";

    /** Kafka protocol guide: ApiVersions v0 response, error 0, two api keys. */
    static final String KAFKA_API_VERSIONS =
            "\u0000\u0000\u0000\u0016pl\u0000\u0001\u0000\u0000\u0000\u0000\u0000\u0002\u0000\u0000\u0000\u0000\u0000\t\u0000\u0012\u0000\u0000\u0000\u0003";

    /** ZooKeeper admin guide: srvr of a standalone 3.8.4. */
    static final String ZOOKEEPER_SRVR =
            "Zookeeper version: 3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c, built on 2024-02-12 22:16 UTC\nLatency min/avg/max: 0/0.0/0\nReceived: 1\nSent: 0\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: 5\n";

    /** native_protocol_v4.spec 4.2.4: SUPPORTED, as Cassandra 4.1 fills it. */
    static final String CASSANDRA_SUPPORTED =
            "\u0084\u0000pl\u0006\u0000\u0000\u0000[\u0000\u0003\u0000\u000bCOMPRESSION\u0000\u0002\u0000\u0006snappy\u0000\u0003lz4\u0000\u000bCQL_VERSION\u0000\u0001\u0000\u00053.4.6\u0000\u0011PROTOCOL_VERSIONS\u0000\u0003\u0000\u00043/v3\u0000\u00044/v4\u0000\u00045/v5";

    /** X11 protocol, Connection Setup: Success from X.Org 1.21.1.8 (start of the reply). */
    static final String X11_SUCCESS =
            "\u0001\u0000\u000b\u0000\u0000\u0000\u0000\u0000\u0090\u00a5\u00b8\u0000\u0000\u0000 \u0000\u00ff\u00ff\u001f\u0000\u0000\u0001\u0000\u0000\u0014\u0000\u00ff\u00ff\u0001\u0007\u0000\u0000  \u0008\u00ff\u0000\u0000\u0000\u0000The X.Org Foundation";

    /** X11 protocol, Connection Setup: Failed, as X.Org words it. */
    static final String X11_FAILED =
            "\u0000@\u000b\u0000\u0000\u0000\u0010\u0000Authorization required, but no authorization protocol specified\n";

    /** rsync 3.2.7 daemon greeting. */
    static final String RSYNCD_BANNER = "@RSYNCD: 31.0 sha512 sha256 sha1 md5 md4\n";

    /** NATS client protocol: INFO sent on connect. */
    static final String NATS_INFO =
            "INFO {\"server_id\":\"NBX4ZQ\",\"server_name\":\"NBX4ZQ\",\"version\":\"2.10.4\",\"proto\":1,\"go\":\"go1.21.3\",\"host\":\"0.0.0.0\",\"port\":4222,\"headers\":true,\"max_payload\":1048576}\r\n";

    /** RFC 2812 3.3.2: an ircd's first notice. */
    static final String IRC_NOTICE = ":irc.example.net NOTICE * :*** Looking up your hostname...\r\n";

    /** gitprotocol-pack: git daemon --informative-errors on a repository it lacks. */
    static final String GIT_DAEMON_ERR = "0029ERR no such repository: /portlens.git";

    /** RFC 2326 10.1: OPTIONS response. */
    static final String RTSP_OPTIONS =
            "RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, PAUSE, GET_PARAMETER, TEARDOWN\r\nServer: gortsplib\r\n\r\n";

    /** RFC 3261 11.2: 200 to OPTIONS. */
    static final String SIP_OPTIONS =
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-portlens;received=127.0.0.1;rport=40000\r\nFrom: <sip:portlens@portlens.invalid>;tag=portlens\r\nTo: <sip:portlens@portlens.invalid>;tag=as1\r\nCall-ID: portlens@portlens.invalid\r\nCSeq: 1 OPTIONS\r\nServer: Asterisk PBX 20.5.0\r\nAllow: INVITE, ACK, CANCEL, OPTIONS, BYE\r\nContent-Length: 0\r\n\r\n";

    /** ERTS distribution protocol: NAMES_RESP with one node. */
    static final String EPMD_NAMES = "\u0000\u0000\u0011\u0011name rabbit at port 25672\n";

    /** RFC 5531 9: accepted reply, SUCCESS, with the TCP record mark. */
    static final String RPC_NULL_REPLY_TCP =
            "\u0080\u0000\u0000\u0018pl\u0000\u0001\u0000\u0000\u0000\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000";

    /** RFC 5531 9: accepted reply, SUCCESS. */
    static final String RPC_NULL_REPLY_UDP =
            "pl\u0000\u0001\u0000\u0000\u0000\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000";

    /** RFC 6120 4.2 and 4.3.2: the response stream header and features. */
    static final String XMPP_STREAM =
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='5b1c' from='localhost' version='1.0' xml:lang='en'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>";

    /** RFC 2812 5.1: RPL_WELCOME. */
    static final String IRC_REGISTERED =
            ":irc.example.net 001 portlens :Welcome to the Internet Relay Network portlens\r\n";

    /** beanstalkd protocol.txt: stats (shortened). */
    static final String BEANSTALKD_STATS =
            "OK 102\r\n---\ncurrent-jobs-urgent: 0\ncurrent-jobs-ready: 0\nversion: \"1.12\"\nuptime: 5\n\r\n";

    /** OpenVPN protocol: P_CONTROL_HARD_RESET_SERVER_V2 acking our packet 0. */
    static final String OPENVPN_RESET_UDP = "@SRVSESS1\u0001\u0000\u0000\u0000\u0000portlens\u0000\u0000\u0000\u0000";

    /** the same over TCP, with its 2-byte length. */
    static final String OPENVPN_RESET_TCP =
            "\u0000\u001a@SRVSESS1\u0001\u0000\u0000\u0000\u0000portlens\u0000\u0000\u0000\u0000";

    /** RFC 5389 7.3.1: Binding success with XOR-MAPPED-ADDRESS and SOFTWARE. */
    static final String STUN_BINDING_SUCCESS =
            "\u0001\u0001\u0000$!\u0012\u00a4Bportlens-pl1\u0000 \u0000\u0008\u0000\u0001\u00bdR^\u0012\u00a4C\u0080\"\u0000\u0014Coturn-4.6.1 'Gorst'";

    /** RFC 6762 6.7: a unicast answer to the services query. */
    static final String MDNS_SERVICES =
            "pl\u0084\u0000\u0000\u0001\u0000\u0001\u0000\u0000\u0000\u0000\t_services\u0007_dns-sd\u0004_udp\u0005local\u0000\u0000\u000c\u0000\u0001\u00c0\u000c\u0000\u000c\u0000\u0001\u0000\u0000\u0000\n\u0000\u000f\u000c_workstation\u0004_tcp\u00c0#";

    /** UDA 1.1 1.3.3: search response. */
    static final String SSDP_RESPONSE =
            "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: http://127.0.0.1:49152/rootDesc.xml\r\nSERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\nST: upnp:rootdevice\r\nUSN: uuid:00000000-0000-0000-0000-000000000000::upnp:rootdevice\r\n\r\n";

    /** RFC 4120 5.9.1: KRB-ERROR WRONG_REALM (68) for PORTLENS.INVALID, over UDP. */
    static final String KERBEROS_WRONG_REALM =
            "~f0d\u00a0\u0003\u0002\u0001\u0005\u00a1\u0003\u0002\u0001\u001e\u00a4\u0011\u0018\u000f20261201215500Z\u00a5\u0005\u0002\u0003\u0001\u00e2@\u00a6\u0003\u0002\u0001D\u00a9\u0012\u001b\u0010PORTLENS.INVALID\u00aa%0#\u00a0\u0003\u0002\u0001\u0002\u00a1\u001c0\u001a\u001b\u0006krbtgt\u001b\u0010PORTLENS.INVALID";

    /** The same over TCP, with its 4-byte length (RFC 4120 7.2.2). */
    static final String KERBEROS_WRONG_REALM_TCP =
            "\u0000\u0000\u0000h~f0d\u00a0\u0003\u0002\u0001\u0005\u00a1\u0003\u0002\u0001\u001e\u00a4\u0011\u0018\u000f20261201215500Z\u00a5\u0005\u0002\u0003\u0001\u00e2@\u00a6\u0003\u0002\u0001D\u00a9\u0012\u001b\u0010PORTLENS.INVALID\u00aa%0#\u00a0\u0003\u0002\u0001\u0002\u00a1\u001c0\u001a\u001b\u0006krbtgt\u001b\u0010PORTLENS.INVALID";
}
