"""A small OpenID Connect provider on 127.0.0.1, for signing in through the real dashboard in tests.

It serves discovery, authorisation (code flow with PKCE), token, JWKS and userinfo endpoints, and signs its
ID tokens with RS256 through joserfc (Authlib's JOSE library, installed with Authlib). Who signs in is set by
the test (`provider.next_user`) instead of a login form: the test is about the dashboard, not the provider.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from joserfc import jwt
from joserfc.jwk import RSAKey


class Provider:
    def __init__(self, client_id: str, client_secret: str):
        self.client_id, self.client_secret = client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.next_user: dict = {}
        self.codes: dict[str, dict] = {}
        self.issuer = ""
        self.tokens_issued = 0

    def metadata(self) -> dict:
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "userinfo_endpoint": f"{self.issuer}/userinfo", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"], "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]}

    def authorise(self, query: dict) -> str:
        """The redirect back to the app, with a one-time code for whoever the test has signing in."""
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            raise ValueError("unknown client or response type")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"user": dict(self.next_user), "nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"],
                            "challenge": query.get("code_challenge")}
        separator = "&" if "?" in query["redirect_uri"] else "?"
        return f"{query['redirect_uri']}{separator}" + urllib.parse.urlencode({"code": code, "state": query.get("state", "")})

    def token(self, form: dict, authorization: str | None) -> dict:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, client_secret = (urllib.parse.unquote(part) for part in
                                        base64.b64decode(authorization[6:]).decode().split(":", 1))
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            raise PermissionError("invalid client")
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            raise PermissionError("invalid grant")
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if digest != grant["challenge"]:
                raise PermissionError("PKCE verification failed")
        now = int(time.time())
        user = grant["user"]
        claims = {"iss": self.issuer, "sub": user["email"], "aud": self.client_id, "iat": now, "exp": now + 600,
                  "nonce": grant["nonce"], **user}
        self.tokens_issued += 1
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
        return {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 600, "id_token": id_token}


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # the test's output is for the test
            pass

        def _json(self, body: dict, status: int = 200):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 - the http.server API
            url = urllib.parse.urlparse(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/.well-known/openid-configuration":
                self._json(provider.metadata())
            elif url.path == "/jwks":
                self._json({"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                try:
                    location = provider.authorise(query)
                except ValueError as refused:
                    self._json({"error": "invalid_request", "error_description": str(refused)}, 400)
                    return
                self.send_response(302)
                self.send_header("Location", location)
                self.end_headers()
            elif url.path == "/userinfo":
                self._json(dict(provider.next_user))
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if urllib.parse.urlparse(self.path).path != "/token":
                self._json({"error": "not_found"}, 404)
                return
            try:
                self._json(provider.token(form, self.headers.get("Authorization")))
            except PermissionError as refused:
                self._json({"error": "invalid_grant", "error_description": str(refused)}, 400)

    return Handler


@contextmanager
def oidc_provider(client_id: str = "bfc-dashboard", client_secret: str = "test-client-secret"):
    """The provider, serving on a free port of 127.0.0.1 until the block ends."""
    provider = Provider(client_id, client_secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
