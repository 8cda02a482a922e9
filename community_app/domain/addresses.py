"""Which network addresses the server may send requests to: public ones only (DESIGN §4).

Pure functions shared by the early URL checks of the domain verbs and by the connect-time
guard of ``community_app.fetch_guard``, which applies them to every resolved address.
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Shared address space (carrier-grade NAT), not "private" to Python but never public.
_SHARED_V4 = ipaddress.ip_network("100.64.0.0/10")
# NAT64: the well-known prefix embeds an IPv4 address; the local-use prefix is private.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
# Names that always mean "this machine" or the local network, whatever DNS says.
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, 6to4, NAT64), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_loopback_address(address: IPAddress) -> bool:
    inner = embedded_ipv4(address)
    return address.is_loopback or (inner is not None and inner.is_loopback)


def is_public_address(address: IPAddress) -> bool:
    """A globally routable unicast address: not private, loopback, link-local, reserved,
    multicast, unspecified or shared (100.64/10), nor an IPv6 form of one of those."""
    inner = embedded_ipv4(address)
    if inner is not None:  # judged by the IPv4 address it reaches
        return is_public_address(inner)
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED_V4:
        return False
    if isinstance(address, ipaddress.IPv6Address) and (
        address in _NAT64_LOCAL or address.teredo is not None or address.scope_id
    ):
        return False
    flags = [
        address.is_private,
        address.is_loopback,
        address.is_link_local,
        address.is_reserved,
        address.is_multicast,
        address.is_unspecified,
    ]
    if isinstance(address, ipaddress.IPv6Address):
        flags.append(address.is_site_local)
    return address.is_global and not any(flags)


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` spells literally, also in the legacy IPv4 forms resolvers
    accept (``127.1``, ``2130706433``, ``0x7f.0.0.1``); ``None`` for a name."""
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if text and all(ch in "0123456789abcdefxABCDEFX." for ch in text):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def is_local_name(host: str) -> bool:
    """A name that means this machine or the local network (``localhost``, ``*.local``)."""
    name = host.lower().rstrip(".")
    return name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES)
