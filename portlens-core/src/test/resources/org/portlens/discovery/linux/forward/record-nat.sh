#!/usr/bin/env bash
# Records the NAT fixtures of this directory: loads each rule file into a scratch network namespace
# (never the host's own rules), saves what nft and iptables-save print, and deletes the namespace.
# Needs root, nftables and iptables (iptables-nft). Run from this directory.
set -euo pipefail
record() { # NAME LOADER FILE
  local ns="portlens-record-$$-$1"
  ip netns add "$ns"
  trap 'ip netns del "$ns" 2>/dev/null || true' RETURN
  case "$2" in
    iptables) ip netns exec "$ns" iptables-restore < "$3"
              ip netns exec "$ns" iptables-save -t nat > "$1-iptables-save.txt"
              ip netns exec "$ns" nft -j list ruleset > "$1-iptables-nft.json" ;;
    nft)      ip netns exec "$ns" nft -f "$3"
              ip netns exec "$ns" nft -j list ruleset > "$1-nft.json" ;;
  esac
}
record docker iptables docker.rules
record kube iptables kube.rules
record native nft native.nft
record kube-proxy nft kube-proxy.nft
