#!/usr/bin/env bash
# Regenerates the *.hex fixtures: the nfnetlink batch nft 1.0.6 sends for each `nft add|delete element`,
# captured with strace in a throwaway namespace (needs root, nft, strace). Each file holds one datagram as hex.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ns=mwan4cap-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
nsx() { ip netns exec "$ns" "$@"; }
capture() { # name, then the nft arguments
  local name=$1; shift
  nsx strace -e trace=sendmsg -e write=3 -o /tmp/$ns.trace nft "$@"
  grep -E '^ \| [0-9a-f]{5} ' /tmp/$ns.trace | cut -c 11-59 | tr -d ' \n' > "$here/$name.hex"
  echo >> "$here/$name.hex"
  rm -f /tmp/$ns.trace
}
nsx nft -f - <<'NFT'
table inet fw4 {
  set mwan4_connected_ipv4 { type ipv4_addr; flags interval; elements = { 203.0.113.0/24 } }
  set mwan4_connected_ipv6 { type ipv6_addr; flags interval; elements = { 2001:db8:ffff::/48 } }
  set mwan4_custom_ipv4 { type ipv4_addr; flags interval; }
  set mwan4_custom_ipv6 { type ipv6_addr; flags interval; }
}
NFT
capture ipv4-add add element inet fw4 mwan4_connected_ipv4 '{ 192.0.2.0/25, 192.0.2.128/25, 198.51.100.7, 224.0.0.0/3 }'
capture ipv4-delete delete element inet fw4 mwan4_connected_ipv4 '{ 192.0.2.128/25, 224.0.0.0/3 }'
capture ipv6-add add element inet fw4 mwan4_connected_ipv6 '{ 2001:db8::/48, 2001:db8:1::5, ff00::/8 }'
capture ipv6-delete delete element inet fw4 mwan4_connected_ipv6 '{ 2001:db8:1::5, ff00::/8 }'
capture ipv4-default add element inet fw4 mwan4_custom_ipv4 '{ 0.0.0.0/0 }'
capture ipv6-default add element inet fw4 mwan4_custom_ipv6 '{ ::/0 }'
nsx nft flush set inet fw4 mwan4_custom_ipv4
capture ipv4-first-segment add element inet fw4 mwan4_custom_ipv4 '{ 192.0.2.0/24, 198.51.100.0/24 }'
