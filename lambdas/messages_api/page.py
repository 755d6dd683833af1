"""What the operators' page is served with, wherever it is served from: CloudFront (infra/operators_page.py)
and `ivr messages serve` send the same security headers. The page itself is the static files of
`operators_page/` at the repository root (plain HTML, JS and CSS: no build step)."""
from __future__ import annotations

PAGE_FILES = ("index.html", "app.js", "style.css")  # what is published; config.json is written beside them
HSTS_SECONDS = 63072000  # two years


def content_security_policy(sign_in_origin: str = "") -> str:
    """Only the page's own files and API; `sign_in_origin` (the Cognito domain) for the token exchange and its form."""
    extra = f" {sign_in_origin}" if sign_in_origin else ""
    return (f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'{extra}; "
            f"form-action 'self'{extra}; base-uri 'none'; frame-ancestors 'none'")


def security_headers(sign_in_origin: str = "") -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(sign_in_origin),
        "Strict-Transport-Security": f"max-age={HSTS_SECONDS}; includeSubDomains",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }
