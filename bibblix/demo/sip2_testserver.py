"""A small SIP2 server for tests and local trials, on 127.0.0.1 in a thread.

It answers 93 (login), 99 (SC status), 63 (patron information) and 23 (patron status) from a
dict of cards, with checksums and sequence numbers, and can misbehave on purpose:
"garbled" (junk instead of a reply), "bad_checksum", "slow" (never answers until stopped),
"hang_up" (closes the connection after each reply), "refuse_login", "resend_first" (asks for
a resend (96) of the first message on each connection) and "wrong_sequence" (answers with
another sequence number). With an `ssl_context` it speaks TLS.
"""

import datetime
import socket
import socketserver
import ssl
import threading
from dataclasses import dataclass, field

from bibblix.patrons.providers.sip2 import codec

MODES = {
    "normal",
    "garbled",
    "bad_checksum",
    "slow",
    "hang_up",
    "refuse_login",
    "resend_first",
    "wrong_sequence",
}


@dataclass
class Card:
    """A patron in the test server's library system."""

    pin: str
    status: str = " " * 14  # the 14 patron status flags, "Y" where set
    patron_class: str = ""
    birth_date: str = ""  # YYYYMMDD
    cq: str | None = None  # force the CQ value: "" sends a blank CQ
    omit_cq: bool = False


BLOCKED_STATUS = "Y" + " " * 13  # charge privileges denied
LOST_STATUS = " " * 4 + "Y" + " " * 9  # card reported lost


@dataclass
class ServerState:
    cards: dict[str, Card]
    mode: str = "normal"
    sc_user: str = ""
    sc_password: str = ""
    institution_id: str = "TEST"
    connections: int = 0
    received: list[str] = field(default_factory=list)  # command ids, in order
    release: threading.Event = field(default_factory=threading.Event)


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        state: ServerState = self.server.state
        self.answered = 0
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.settimeout(5)
                self.request.do_handshake()
            except (OSError, ssl.SSLError):
                return
        state.connections += 1
        while True:
            try:
                raw = self._read_message()
            except OSError:
                return
            if not raw:
                return
            state.received.append(raw[:2].decode("ascii", errors="replace"))
            if state.mode == "slow":
                state.release.wait(30)
                return
            reply = self._reply(state, raw)
            try:
                self.wfile.write(reply)
                self.wfile.flush()
            except OSError:
                return
            if state.mode == "hang_up":
                return

    def _read_message(self) -> bytes:
        data = b""
        while not data.endswith(b"\r"):
            chunk = self.rfile.read(1)
            if not chunk:
                return b""
            data += chunk
        return data.lstrip(b"\n")

    def _reply(self, state: ServerState, raw: bytes) -> bytes:
        if state.mode == "garbled":
            return b"\x00\xffthis is not SIP\r"
        try:
            request = codec.parse(raw)
        except codec.ProtocolError:
            return codec.build("96")
        self.answered += 1
        if state.mode == "resend_first" and self.answered == 1:
            return codec.build("96")
        sequence = request.sequence
        if state.mode == "wrong_sequence" and sequence is not None:
            sequence += 1
        command, fixed, fields = _answer(state, request)
        reply = codec.build(command, fixed, fields, sequence=sequence)
        if state.mode == "bad_checksum" and sequence is not None:
            reply = reply[:-5] + b"0000\r"
        return reply


def _answer(state: ServerState, request: codec.Message):
    command = request.command
    if command == "93":
        ok = (
            state.mode != "refuse_login"
            and request.get("CN") == state.sc_user
            and request.get("CO") == state.sc_password
        )
        return "94", "1" if ok else "0", []
    if command == "99":
        return (
            "98",
            "YYYYNN" + "030" + "003" + codec.sip_datetime(_fixed_time()) + "2.00",
            [("AO", state.institution_id), ("AM", "Testbiblioteket"), ("BX", "Y" * 16)],
        )
    if command in {"63", "23"}:
        return _patron_reply(state, request)
    return "96", "", []


def _fixed_time() -> datetime.datetime:
    return datetime.datetime(2026, 1, 1, 12, 0, 0)


def _patron_reply(state: ServerState, request: codec.Message):
    command = request.command
    barcode, pin = request.get("AA") or "", request.get("AD") or ""
    card = state.cards.get(barcode)
    status = card.status if card else " " * 14
    fixed = status + "000" + codec.sip_datetime(_fixed_time())
    if command == "63":
        fixed += "0000" * 6
    out = [("AO", state.institution_id), ("AA", barcode), ("AE", "")]
    if card is None:
        out += [("BL", "N"), ("CQ", "N")]
    else:
        out.append(("BL", "Y"))
        if not card.omit_cq:
            out.append(
                ("CQ", card.cq if card.cq is not None else ("Y" if pin == card.pin else "N"))
            )
        if card.patron_class:
            out.append(("PC", card.patron_class))
        if card.birth_date:
            out.append(("PB", card.birth_date))
    out.append(("AF", "Greetings from the test library"))
    return "64" if command == "63" else "24", fixed, out


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    ssl_context: ssl.SSLContext | None = None

    def get_request(self):
        sock, address = super().get_request()
        if self.ssl_context is not None:
            # The handshake happens in the handler's thread, not in the accept loop.
            sock = self.ssl_context.wrap_socket(
                sock, server_side=True, do_handshake_on_connect=False
            )
        return sock, address


class Sip2TestServer:
    """Start with `with Sip2TestServer(cards) as server:`; `server.port` is where it listens."""

    def __init__(
        self,
        cards: dict[str, Card],
        *,
        mode: str = "normal",
        ssl_context: ssl.SSLContext | None = None,
        port: int = 0,
        **options,
    ):
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.state = ServerState(cards=cards, mode=mode, **options)
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.state = self.state
        self._server.ssl_context = ssl_context
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def start(self) -> "Sip2TestServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.state.release.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "Sip2TestServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def dead_port() -> int:
    """A port on 127.0.0.1 where nothing listens (a library system that is down)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    """Serve the demo cards over SIP2 for local trials:
    python -m bibblix.demo.sip2_testserver [PORT] (SIP user demo, password demo)."""
    import sys

    server = Sip2TestServer(
        {
            "10000001": Card("1234", patron_class="BARN"),
            "10000008": Card("1234", patron_class="VUXEN"),
            "10000009": Card("1234", status=BLOCKED_STATUS),
        },
        sc_user="demo",
        sc_password="demo",  # noqa: S106 - a local trial server only
        port=int(sys.argv[1]) if len(sys.argv) > 1 else 6001,
    )
    print(f"SIP2 test server on 127.0.0.1:{server.port} (Ctrl-C stops)")
    server.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
