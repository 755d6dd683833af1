"""The deployed stack as the commands that read it (`ivr.deployed_stack`) see it, behind botocore's
Stubber: CloudFormation and Connect clients whose requests are checked against the installed service
models. A test queues the answers, then runs the command inside `with stubbed:`; leaving it checks
that every queued answer was asked for."""
from __future__ import annotations

from collections.abc import Mapping

import botocore.session
import pytest
from botocore.stub import Stubber

from ivr import deployed_stack

STACK = "ConnectIvr-dev"


class StubbedStack:
    def __init__(self) -> None:
        session = botocore.session.get_session()
        self.cloudformation = session.create_client("cloudformation", region_name="us-east-1")
        self.connect = session.create_client("connect", region_name="us-east-1")
        self.stubs = [Stubber(self.cloudformation), Stubber(self.connect)]

    def serve(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The commands get these clients instead of AWS's."""
        monkeypatch.setattr(deployed_stack, "clients", lambda profile, region: (self.cloudformation, self.connect))

    def stack(self, outputs: Mapping[str, str]) -> None:
        """DescribeStacks answers with a deployed stack holding these outputs."""
        self.stubs[0].add_response("describe_stacks", {"Stacks": [{
            "StackName": STACK, "CreationTime": "2026-11-01T00:00:00Z", "StackStatus": "UPDATE_COMPLETE",
            "Outputs": [{"OutputKey": key, "OutputValue": value} for key, value in outputs.items()]}]}, {"StackName": STACK})

    def __enter__(self) -> StubbedStack:
        for stub in self.stubs:
            stub.activate()
        return self

    def __exit__(self, *failure: object) -> None:
        for stub in self.stubs:
            stub.deactivate()
        if failure[0] is None:
            for stub in self.stubs:
                stub.assert_no_pending_responses()
