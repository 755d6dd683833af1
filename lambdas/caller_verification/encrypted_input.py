"""Reading what a caller keyed with Connect's encrypted input (a PIN, a date of birth).

A Get customer input block with `InputEncryption` stores, in `$.StoredCustomerInput`, the base64 of
an AWS Encryption SDK message whose data key is wrapped with the public key of the instance's
security key. Connect's scheme (Amazon Connect administrator guide, "Encrypt sensitive customer
input"): a raw RSA master key whose provider id is "AmazonConnect" and whose key id is the security
key's id, RSA-OAEP with SHA-512 and MGF1. `ConnectInputKey` is that master key over the private key
(PEM), read from Secrets Manager through the same cache as every other secret of the dips.

The plain value exists only inside `decrypt`'s caller: never logged, answered or stored; a failure
says only its kind.
"""
from __future__ import annotations

import base64
import binascii
import math
from typing import Any

from lambdas.common.secrets import ApiKeyCache, ApiKeyUnavailable, secret_fetch

PROVIDER_ID = "AmazonConnect"
MAX_PLAIN_BYTES = 64  # a PIN or a date of birth; anything longer is not what the block asked for


class UnreadableInput(Exception):
    """The stored input could not be decrypted; `kind` says why (KEY_TIMEOUT, KEY_ERROR, NOT_ENCRYPTED, DECRYPT)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def master_key(private_key_pem: bytes, key_id: str) -> Any:
    """Connect's raw RSA master key (encrypts with the public half, decrypts with the private one)."""
    # aws_encryption_sdk is imported here, on the first PIN of a container, not at import time: the
    # code path and the other dips never pay for it. The Lambda needs no bundle: the public Powertools
    # v3 layer ships aws-encryption-sdk (powertools-lambda-python issue #5376).
    from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
    from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
    from aws_encryption_sdk.key_providers.raw import RawMasterKey

    private = b"PRIVATE KEY" in private_key_pem.split(b"\n", 1)[0]
    wrapping_key = WrappingKey(
        wrapping_algorithm=WrappingAlgorithm.RSA_OAEP_SHA512_MGF1, wrapping_key=private_key_pem,
        wrapping_key_type=EncryptionKeyType.PRIVATE if private else EncryptionKeyType.PUBLIC,
    )
    return RawMasterKey(provider_id=PROVIDER_ID, key_id=key_id.encode(), wrapping_key=wrapping_key)


def decrypt_message(stored: str, key: Any) -> str:
    """The plain text of `stored` (base64 of an Encryption SDK message) under master `key`."""
    import aws_encryption_sdk
    from aws_encryption_sdk.identifiers import CommitmentPolicy

    try:
        message = base64.b64decode(stored, validate=True)
    except (binascii.Error, ValueError):
        raise UnreadableInput("NOT_ENCRYPTED") from None
    # REQUIRE_ENCRYPT_ALLOW_DECRYPT reads messages with or without key commitment, whichever suite Connect used.
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
                                                    max_encrypted_data_keys=1)
    try:
        plain, _header = client.decrypt(source=message, key_provider=key)
    except Exception:  # the SDK raises many kinds; none may carry the value out, nor its message
        raise UnreadableInput("DECRYPT") from None
    if len(plain) > MAX_PLAIN_BYTES:
        raise UnreadableInput("DECRYPT")
    return bytes(plain).decode("utf-8", "replace").strip()


class ConnectInputKey:
    """Decrypts stored input with the private key in a secret (read once per container, kept)."""

    def __init__(self, secret_id: str, key_id: str):
        self._pem = ApiKeyCache(secret_fetch(secret_id), ttl_seconds=math.inf)
        self._key_id = key_id
        self._key: Any = None

    def decrypt(self, stored: str, deadline: Any) -> str:
        if not self._key_id:
            raise UnreadableInput("KEY_ERROR")
        if self._key is None:
            try:
                pem = self._pem.get(deadline)
            except ApiKeyUnavailable as problem:
                raise UnreadableInput(f"KEY_{problem.kind}") from None
            try:
                self._key = master_key(pem.encode(), self._key_id)
            except Exception:
                raise UnreadableInput("KEY_ERROR") from None
        return decrypt_message(stored, self._key)
