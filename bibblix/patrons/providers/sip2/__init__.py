"""A pure 3M SIP2 (Standard Interchange Protocol v2.00) client: no Django imports here.

- `codec`: building and parsing messages, checksums (AZ) and sequence numbers (AY).
- `client`: one TCP (optionally TLS) connection: login (93/94), SC status (99/98), patron
  information (63/64) and patron status (23/24), with deadlines.
- `pool`: a bounded pool of logged-in connections per library configuration.
- `provider`: maps a patron reply to a login outcome.
The SIP2 server for tests and local trials is demo code: `bibblix.demo.sip2_testserver`.
"""
