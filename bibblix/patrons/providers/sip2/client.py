"""One SIP2 connection to a library system, over TCP or TLS, with a deadline on every step.

Every call takes an absolute `deadline` (time.monotonic()): a library system that is down or slow
makes the call fail with Unavailable once the deadline passes, never a hanging page.
"""

import contextlib
import datetime
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass

from . import codec

MAX_MESSAGE_BYTES = 64 * 1024  # far above any real reply; a runaway stream is not a reply


class Unavailable(Exception):
    """The library system did not give a usable answer in time (down, slow, garbled)."""


class ConnectionBroken(Unavailable):
    """The connection was closed or reset: a reused connection may just have gone stale."""


class AddressRefused(Unavailable):
    """The host is, or resolves to, an address Bibblix must not connect to (internal)."""


class LoginRefused(Unavailable):
    """The library system refused the SIP account (login 93 answered with 94 ok=0)."""


@dataclass(frozen=True)
class ClientConfig:
    """Where and how to talk SIP2 to one library system."""

    host: str
    port: int
    use_tls: bool = False
    verify_tls: bool = True
    timeout: float = 4.0
    sc_user: str = ""
    sc_password: str = ""
    location_code: str = ""
    institution_id: str = ""
    terminal_password: str = ""
    encoding: str = "utf-8"
    error_detection: bool = True
    # Networks (CIDR) that may be reached although not public: loopback, private, link-local,
    # multicast and reserved addresses are refused unless listed here.
    allowed_networks: tuple[str, ...] = ()


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(address):
    """The IPv4 address inside an IPv6 one (mapped, 6to4, NAT64), which is where it leads."""
    if address.version == 4:
        return address
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def permitted_addresses(host: str, port: int, allowed_networks: tuple[str, ...]) -> list:
    """The addresses `host` resolves to, all checked: AddressRefused when any of them is not
    public and not in `allowed_networks` (a name that also resolves inside is refused whole)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Unavailable(f"cannot resolve: {error.__class__.__name__}") from error
    allowed = [ipaddress.ip_network(network, strict=False) for network in allowed_networks]
    addresses = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = _embedded_ipv4(ipaddress.ip_address(sockaddr[0].split("%")[0]))
        if not _is_public(address) and not any(address in network for network in allowed):
            raise AddressRefused("address not allowed")
        if str(address) not in addresses:
            addresses.append(str(address))
    return addresses


def remaining(deadline: float) -> float:
    """Seconds left before `deadline`; Unavailable when none are."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise Unavailable("timed out")
    return left


class Client:
    """A SIP2 client for one connection; not thread-safe (the pool hands it to one thread)."""

    def __init__(self, config: ClientConfig):
        self.config = config
        self.sock: socket.socket | None = None
        self._sequence = -1
        self._buffer = b""
        self.created_at = time.monotonic()
        self.last_used = self.created_at

    # --- connection -------------------------------------------------------------------

    def connect(self, deadline: float) -> None:
        """Open the TCP (or TLS) connection, only to an address that is allowed."""
        # Connect to the checked address itself, so a second DNS answer cannot swap it.
        addresses = permitted_addresses(
            self.config.host, self.config.port, self.config.allowed_networks
        )
        try:
            sock = self._open(addresses, deadline)
            if self.config.use_tls:
                sock = self._wrap_tls(sock, deadline)
        except TimeoutError as error:
            raise Unavailable("connect timed out") from error
        except (OSError, ssl.SSLError) as error:
            raise Unavailable(f"cannot connect: {error.__class__.__name__}") from error
        self.sock = sock

    def _open(self, addresses: list[str], deadline: float) -> socket.socket:
        error: OSError = OSError("no address")
        for address in addresses:
            try:
                return socket.create_connection(
                    (address, self.config.port), timeout=remaining(deadline)
                )
            except TimeoutError:
                raise
            except OSError as failure:
                error = failure
        raise error

    def _wrap_tls(self, sock: socket.socket, deadline: float) -> socket.socket:
        context = ssl.create_default_context()
        if not self.config.verify_tls:
            # Only for a library's own self-signed certificate, set on purpose by staff.
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        sock.settimeout(remaining(deadline))
        return context.wrap_socket(sock, server_hostname=self.config.host)

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.close()
            self.sock = None

    # --- messages ---------------------------------------------------------------------

    def login(self, deadline: float) -> None:
        """Log in with the library's SIP account (93 -> 94); LoginRefused when refused."""
        fields = [("CN", self.config.sc_user), ("CO", self.config.sc_password)]
        if self.config.location_code:
            fields.append(("CP", self.config.location_code))
        # "00": user id and password sent unencrypted, the only algorithm in SIP2 v2.00.
        reply = self.exchange("93", "00", fields, expect="94", deadline=deadline)
        if reply.fixed.get("ok") != "1":
            raise LoginRefused("SIP login refused")

    def sc_status(self, deadline: float) -> codec.Message:
        """Ask the ACS status (99 -> 98): online, protocol version, institution."""
        return self.exchange("99", "0" + "040" + "2.00", [], expect="98", deadline=deadline)

    def patron_information(self, card: str, pin: str, deadline: float) -> codec.Message:
        """Patron information (63 -> 64) with the PIN, no item summary."""
        fixed = "000" + self._now() + " " * 10
        return self.exchange("63", fixed, self._patron_fields(card, pin), "64", deadline)

    def patron_status(self, card: str, pin: str, deadline: float) -> codec.Message:
        """Patron status (23 -> 24) with the PIN."""
        fixed = "000" + self._now()
        return self.exchange("23", fixed, self._patron_fields(card, pin), "24", deadline)

    def _patron_fields(self, card: str, pin: str) -> list[tuple[str, str]]:
        return [
            ("AO", self.config.institution_id),
            ("AA", card),
            ("AC", self.config.terminal_password),
            ("AD", pin),
        ]

    def _now(self) -> str:
        return codec.sip_datetime(datetime.datetime.now())

    def exchange(
        self,
        command: str,
        fixed: str,
        fields: list[tuple[str, str]],
        expect: str,
        deadline: float,
    ) -> codec.Message:
        """Send one request and read its reply; a 96 (request resend) gets one resend."""
        for _attempt in range(2):
            sequence = self._next_sequence() if self.config.error_detection else None
            data = codec.build(
                command, fixed, fields, sequence=sequence, encoding=self.config.encoding
            )
            self._send(data, deadline)
            raw = self._read(deadline)
            try:
                reply = codec.parse(
                    raw,
                    expect=expect,
                    check=self.config.error_detection,
                    encoding=self.config.encoding,
                )
            except codec.ProtocolError as error:
                raise Unavailable(f"garbled reply: {error}") from error
            if reply.command == "96":
                continue
            if sequence is not None and reply.sequence not in (None, sequence % 10):
                raise Unavailable("reply to another request (sequence number)")
            self.last_used = time.monotonic()
            return reply
        raise Unavailable("library system asked for a resend twice")

    def _next_sequence(self) -> int:
        self._sequence = (self._sequence + 1) % 10
        return self._sequence

    # --- bytes on the wire ------------------------------------------------------------

    def _send(self, data: bytes, deadline: float) -> None:
        if self.sock is None:
            self.connect(deadline)
        try:
            self.sock.settimeout(remaining(deadline))
            self.sock.sendall(data)
        except TimeoutError as error:
            raise Unavailable("send timed out") from error
        except OSError as error:
            raise ConnectionBroken(f"send failed: {error.__class__.__name__}") from error

    def _read(self, deadline: float) -> bytes:
        while b"\r" not in self._buffer:
            try:
                self.sock.settimeout(remaining(deadline))
                chunk = self.sock.recv(4096)
            except TimeoutError as error:
                raise Unavailable("no reply in time") from error
            except OSError as error:
                raise ConnectionBroken(f"read failed: {error.__class__.__name__}") from error
            if not chunk:
                raise ConnectionBroken("connection closed by the library system")
            self._buffer += chunk
            if len(self._buffer) > MAX_MESSAGE_BYTES:
                raise Unavailable("reply too long")
        message, _, self._buffer = self._buffer.partition(b"\r")
        # Some servers end messages with CR LF: the LF belongs to no message.
        self._buffer = self._buffer.lstrip(b"\n")
        return message.lstrip(b"\n")
