-- portlens history, schema version 1 (SQLite). Statements end with ';' at the end of a line.
-- Times are milliseconds since 1970-01-01 UTC. Text columns are bounded by the writer (Bounds).
CREATE TABLE watch_run (
    id INTEGER PRIMARY KEY,
    host VARCHAR(255) NOT NULL,
    started_at BIGINT NOT NULL,
    alive_at BIGINT NOT NULL,
    pid BIGINT NOT NULL
);
CREATE INDEX watch_run_host ON watch_run (host, started_at);
CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    run_id BIGINT REFERENCES watch_run (id),
    host VARCHAR(255) NOT NULL,
    at BIGINT NOT NULL,
    kind VARCHAR(16) NOT NULL,
    transport VARCHAR(8) NOT NULL,
    address VARCHAR(64) NOT NULL,
    port INTEGER NOT NULL,
    netns_inode BIGINT NOT NULL,
    netns_name VARCHAR(255) NOT NULL,
    socket_inode BIGINT NOT NULL,
    uid INTEGER NOT NULL,
    user_name VARCHAR(255) NOT NULL,
    owner_state VARCHAR(8) NOT NULL,
    pid INTEGER,
    start_time BIGINT,
    process_name VARCHAR(255),
    executable VARCHAR(1024),
    process_user VARCHAR(255),
    source_kind VARCHAR(32),
    source_name VARCHAR(255),
    prev_pid INTEGER,
    prev_name VARCHAR(255),
    prev_executable VARCHAR(1024)
);
CREATE INDEX event_port ON event (port, host, at);
CREATE INDEX event_at ON event (at);
CREATE INDEX event_run ON event (run_id);
-- Where each place stands, kept by the writer with every event, so that "open since" is one lookup:
-- open_since is null once the place closed; at_least = 1 when open_since is a first sight, not an opening.
CREATE TABLE place (
    port INTEGER NOT NULL,
    host VARCHAR(255) NOT NULL,
    transport VARCHAR(8) NOT NULL,
    address VARCHAR(64) NOT NULL,
    netns_inode BIGINT NOT NULL,
    open_since BIGINT,
    at_least INTEGER NOT NULL,
    owner_since BIGINT,
    last_at BIGINT NOT NULL,
    socket_inode BIGINT NOT NULL,
    run_id BIGINT,
    pid INTEGER,
    start_time BIGINT,
    process_name VARCHAR(255),
    executable VARCHAR(1024),
    process_user VARCHAR(255),
    source_kind VARCHAR(32),
    source_name VARCHAR(255),
    PRIMARY KEY (port, host, transport, address, netns_inode)
);
