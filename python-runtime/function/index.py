"""Lambda function code for the policy engine; the engine itself arrives in the layer."""

from posture_engine.lambda_handler import handler

__all__ = ["handler"]
