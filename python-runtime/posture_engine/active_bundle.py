"""The uploaded (active) policy bundle: `posture upload` writes it to a fixed S3 key.

Env contract, shared by the engine Lambda and the local worker:

    POSTURE_ACTIVE_BUNDLE_BUCKET   bucket of the uploaded bundle (the stack's policy bucket)
    POSTURE_ACTIVE_BUNDLE_KEY      its fixed key (policies/active.zip)
    POSTURE_BUNDLE_TTL             seconds between checks (default 30)

The key is checked at most once per TTL by listing it (ListObjectsV2 with the key as prefix)
and comparing its ETag with the loaded copy's; the object is downloaded only when the ETag
differs, so a warm container costs one small list call per TTL and an upload takes effect
within the TTL without a redeploy. An absent key means nothing was uploaded: the caller uses
its built-in bundle. A broken upload or an S3 failure after a
bundle was loaded keeps the loaded one (logged), because evaluating with a known bundle beats
failing every scan; with nothing loaded yet the error propagates and the next call retries.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from posture_engine.common import one_line
from posture_engine.engine import DEFAULT_TIMEOUT, Engine
from posture_engine.s3_bundle import BundleLocation

__all__ = ["ActiveBundle", "DEFAULT_TTL", "active_from_env"]

ENV_BUCKET = "POSTURE_ACTIVE_BUNDLE_BUCKET"
ENV_KEY = "POSTURE_ACTIVE_BUNDLE_KEY"
ENV_TTL = "POSTURE_BUNDLE_TTL"
DEFAULT_TTL = 30.0


def _error_code(exc: BaseException) -> tuple[str, int]:
    """(code, HTTP status) of a botocore ClientError; ('', 0) for anything else."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return "", 0
    error = response.get("Error") or {}
    meta = response.get("ResponseMetadata") or {}
    return str(error.get("Code") or ""), int(meta.get("HTTPStatusCode") or 0)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


class ActiveBundle:
    """Watches one S3 key; `engine()` is the uploaded bundle's engine, or None when none is."""

    def __init__(self, location: BundleLocation, ttl: float = DEFAULT_TTL,
                 timeout: float = DEFAULT_TIMEOUT, client: Any = None,
                 clock: Callable[[], float] = time.monotonic,
                 log: Callable[[str], None] = _stderr) -> None:
        if ttl < 0:
            raise ValueError(f"{ENV_TTL} must not be negative, got {ttl}")
        self.location = location
        self.ttl = ttl
        self.timeout = timeout
        self._client = client
        self._clock = clock
        self._log = log
        self._engine: Engine | None = None
        self._etag: str | None = None
        self._checked: float | None = None

    def _s3(self) -> Any:
        if self._client is None:
            import boto3  # type: ignore[import-untyped]  # in the Lambda runtime and .venv

            self._client = boto3.client("s3")
        return self._client

    def engine(self, fresh: bool = False) -> Engine | None:
        """`fresh`: check the key now, whatever the TTL (the console's publish compares hashes)."""
        now = self._clock()
        if fresh or self._checked is None or now - self._checked >= self.ttl:
            self._refresh()
            self._checked = now
        return self._engine

    def _listed_etag(self) -> str | None:
        """The key's ETag as listed (None: nothing uploaded). Listing with the key as prefix is
        what the grant allows (s3:ListBucket on exactly that prefix), and unlike a GET of a
        missing key it cannot turn "not uploaded" into AccessDenied."""
        listed = self._s3().list_objects_v2(Bucket=self.location.bucket,
                                            Prefix=self.location.key, MaxKeys=1)
        for item in listed.get("Contents") or []:
            if item.get("Key") == self.location.key:
                return str(item.get("ETag") or "")
        return None

    def _refresh(self) -> None:
        try:
            etag = self._listed_etag()
            if etag is None:
                if self._engine is not None:
                    self._log(f"posture: {self.location} was removed; using the built-in bundle")
                self._engine, self._etag = None, None
                return
            if etag == self._etag:
                return  # the loaded copy is current: nothing downloaded
            response = self._s3().get_object(Bucket=self.location.bucket, Key=self.location.key)
            body = response["Body"]
            try:
                data: bytes = body.read()
            finally:
                body.close()
            engine = Engine.from_bundle_zip(data, self.timeout, str(self.location))
        except Exception as exc:  # noqa: BLE001 - a loaded bundle outlives a failed refresh
            code, status = _error_code(exc)
            if code == "NoSuchKey" or status == 404:  # deleted between the list and the GET
                self._engine, self._etag = None, None
                return
            if self._engine is None:
                raise
            self._log(f"posture: keeping bundle {self._engine.version}: cannot load "
                      f"{self.location}: {type(exc).__name__}: {one_line(exc)}")
            return
        for error in engine.errors:
            self._log(f"posture: policy not loaded: {error}")
        self._log(f"posture: loaded uploaded bundle {engine.version} from {self.location}: "
                  f"{len(engine.enabled_policy_ids)} enabled policies")
        self._engine, self._etag = engine, str(response.get("ETag") or etag)


def active_from_env(env: Mapping[str, str] | None = None,
                    timeout: float = DEFAULT_TIMEOUT) -> ActiveBundle | None:
    """The watcher the env configures; None when unset, ValueError when half configured."""
    values = os.environ if env is None else env
    bucket, key = values.get(ENV_BUCKET) or "", values.get(ENV_KEY) or ""
    if not bucket and not key:
        return None
    if not bucket or not key:
        missing, given = (ENV_KEY, ENV_BUCKET) if bucket else (ENV_BUCKET, ENV_KEY)
        raise ValueError(f"{missing} must be set together with {given}")
    raw = values.get(ENV_TTL) or ""
    try:
        ttl = float(raw) if raw else DEFAULT_TTL
    except ValueError:
        raise ValueError(f"{ENV_TTL} must be a number of seconds, got {raw!r}") from None
    return ActiveBundle(BundleLocation(bucket, key), ttl, timeout)
