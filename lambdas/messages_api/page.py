"""What the operators' page is served with, wherever it is served from: CloudFront (infra/operators_page.py)
and `ivr messages serve` send the same security headers. The page itself is the static files of
`operators_page/` at the repository root (plain HTML, JS and CSS: no build step)."""
from __future__ import annotations

PAGE_FILES = ("index.html", "app.js", "style.css")  # what is published; config.json is written beside them
HSTS_SECONDS = 63072000  # two years


def content_security_policy(*origins: str) -> str:
    """Only the page's own files, and the `origins` it talks to (deployed: the API, and Cognito for the token exchange)."""
    extra = "".join(f" {origin}" for origin in origins)
    return (f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'{extra}; "
            f"form-action 'self'{extra}; base-uri 'none'; frame-ancestors 'none'")


def security_headers(*origins: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(*origins),
        "Strict-Transport-Security": f"max-age={HSTS_SECONDS}; includeSubDomains",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }
