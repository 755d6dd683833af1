"""Context object `operators_page`: the web page supervisors edit holiday and emergency messages on (issue 14)."""
from __future__ import annotations

import re
from typing import Annotated

from configuration.settings import BOOLEAN, Section, optional_text, whole

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+").fullmatch
# A web ACL for CloudFront lives in us-east-1 whatever the stack's region (scope CLOUDFRONT).
_CLOUDFRONT_WEB_ACL_ARN = re.compile(r"arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global/webacl/[A-Za-z0-9_-]{1,128}/[0-9a-f-]{36}").fullmatch


class OperatorsPageConfig(Section):
    """`enabled` (default true): deploy the page (S3 + CloudFront), its API and its Cognito user pool.
    `first_editor_email`: the user created in the editors group, invited by email ("" = none; add
    users in the Cognito console). `waf_web_acl_arn`: a WAF web ACL (scope CLOUDFRONT, in us-east-1)
    in front of the page ("" = none). `api_rate_per_second`: the API's steady request limit."""

    enabled: Annotated[bool, BOOLEAN] = True
    first_editor_email: Annotated[str, optional_text("an email address", _EMAIL)] = ""
    waf_web_acl_arn: Annotated[str, optional_text("a WAF web ACL ARN of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:...:global/webacl/...)",
                                                  _CLOUDFRONT_WEB_ACL_ARN)] = ""
    api_rate_per_second: Annotated[int, whole(1, 10000)] = 10
