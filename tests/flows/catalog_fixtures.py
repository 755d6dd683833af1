"""Good and bad actions of every catalog type, shaped the way the Connect console exports them.

Written here from the AWS flow-language reference pages (each entry's `url`); the identifiers,
ARNs and texts are this project's own. A GOOD fixture is accepted with no error; a BAD one is an
error a user would make, with the rule that reports it and a piece of its message. The corpus
cases (F3, F4, F5, a stored input without StoreInput) are good fixtures named after them.

`console_flow(fixture)` wraps one action in a flow as the console exports it: a UUID-like
Identifier, Transitions with NextAction/Errors/Conditions leading to the end, and designer
positions in Metadata.ActionMetadata.
"""
from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flow_language.catalog import ACTIONS, ValueKind

END = "5b0e8c1a-3d47-4e29-9f61-0a7c2d4e8b13"
ARN = "arn:aws:connect:eu-west-2:111122223333:instance/0d5f1e7a-2c4b-4a8e-9e3d-6b1f7a2c9d40"
QUEUE = f"{ARN}/queue/8e2a4c6b-1d3f-4b5a-8c7e-9f0a1b2c3d4e"
AGENT = f"{ARN}/agent/2c4e6a8b-0d1f-4a3b-9c5d-7e9f1a3b5c7d"
FLOW = f"{ARN}/contact-flow/6a8c0e2b-4d6f-4b8a-9c1d-3e5f7a9b1c3d"
MODULE = f"{ARN}/flow-module/9b1d3f5a-7c9e-4b1d-8f3a-5c7e9b1d3f5a"
HOURS = f"{ARN}/operating-hours/1f3b5d7a-9c1e-4f3b-8d5a-7c9e1f3b5d7a"
PROMPT = f"{ARN}/prompt/4d6f8b0a-2c4e-4d6f-8b0a-2c4e6f8b0a2c"
LAMBDA = "arn:aws:lambda:eu-west-2:111122223333:function:parcel-lookup"
LEX_ALIAS = "arn:aws:lex:eu-west-2:111122223333:bot-alias/QWERTY1234/ASDFG56789"


@dataclass(frozen=True)
class Fixture:
    """One action under test, the flow type it is exported in, and (for a bad one) what is reported."""

    id: str
    action: dict[str, Any]
    flow_type: str | None = "contactFlow"  # None: a flow module
    rule: str = ""  # a bad fixture: the rule that reports it
    fragment: str = ""  # ... and a piece of the message
    options: dict[str, Any] = field(default_factory=dict)


def step(type_: str, parameters: dict[str, Any] | None = None, *, errors: Iterable[str] = ("NoMatchingError",),
         conditions: Iterable[str | tuple[str, str]] = (), next_action: bool = True, name: str = "") -> dict[str, Any]:
    """An action as the console exports it; every branch leads to the end of the flow."""
    transitions: dict[str, Any] = {"NextAction": END} if next_action else {}
    transitions["Errors"] = [{"NextAction": END, "ErrorType": error} for error in errors]
    transitions["Conditions"] = [
        {"NextAction": END, "Condition": {"Operator": "Equals" if isinstance(c, str) else c[0],
                                          "Operands": [c if isinstance(c, str) else c[1]]}}
        for c in conditions
    ]
    return {"Parameters": parameters or {}, "Identifier": str(uuid.uuid5(uuid.NAMESPACE_URL, type_ + name)),
            "Type": type_, "Transitions": transitions}


def terminal(type_: str) -> dict[str, Any]:
    return {"Parameters": {}, "Identifier": str(uuid.uuid5(uuid.NAMESPACE_URL, type_)), "Type": type_, "Transitions": {}}


def console_flow(fixture: Fixture) -> dict[str, Any]:
    """The fixture's action in a flow shaped like a console export of `fixture.flow_type`."""
    tested = copy.deepcopy(fixture.action)
    actions = [tested]
    if END in json.dumps(tested.get("Transitions")):
        end_type = ("EndFlowModuleExecution" if fixture.flow_type is None
                    else "EndFlowExecution" if fixture.flow_type.endswith("Whisper") else "DisconnectParticipant")
        actions.append({"Parameters": {}, "Identifier": END, "Type": end_type, "Transitions": {}})
    metadata: dict[str, Any] = {
        "entryPointPosition": {"x": 40, "y": 40}, "snapToGrid": False,
        "ActionMetadata": {a["Identifier"]: {"position": {"x": 180.5 + 240 * i, "y": 96.25}} for i, a in enumerate(actions)},
    }
    if fixture.flow_type is not None:
        metadata |= {"name": f"Catalog fixture {fixture.id}", "type": fixture.flow_type, "status": "published"}
    return {"Version": "2019-10-30", "StartAction": tested["Identifier"], "Metadata": metadata, "Actions": actions}


def dynamic_variant(fixture: Fixture) -> Fixture | None:
    """The fixture with each top-level parameter that may be dynamic set from a contact attribute
    (`$.Attributes.<name>`); None when it has no such parameter."""
    spec = ACTIONS[fixture.action["Type"]]
    may_be_dynamic = {p.path[0] for p in spec.parameters
                      if len(p.path) == 1 and p.kind in (ValueKind.STATIC_OR_PATH, None) and not p.values and not p.integers}
    action = copy.deepcopy(fixture.action)
    changed = [name for name, value in action["Parameters"].items() if name in may_be_dynamic and isinstance(value, str)]
    if not changed:
        return None
    for name in changed:
        action["Parameters"][name] = f"$.Attributes.{name[0].lower()}{name[1:]}"
    return Fixture(f"{fixture.id}-dynamic", action, fixture.flow_type, options=fixture.options)


MENU = ("InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError")
RECORDING_ERRORS = ("NoMatchingError", "ChannelMismatch")
VOICE_RECORDING = {"VoiceRecordingBehavior": {"RecordedParticipants": ["Agent", "Customer"], "IVRRecordingBehavior": "Enabled"},
                   "VoiceAnalyticsBehavior": {"Enabled": "True", "AnalyticsLanguage": "en-GB",
                                              "AnalyticsModes": ["RealTime"]}}
CHAT_ANALYTICS = {"ChatAnalyticsBehavior": {"Enabled": "True", "AnalyticsLanguage": "$.Attributes.language",
                                            "AnalyticsModes": ["ContactLens"],
                                            "InFlightChatRedactionConfiguration": {"Enabled": "True",
                                                                                   "RedactionMaskMode": "PII"}}}
CHAT_PROCESSOR = {"ProcessingEnabled": "True", "LambdaProcessorARN": LAMBDA,
                  "ChatProcessorSettings": {"DeliverUnprocessedMessages": "False"}}
WAIT_PARAMETERS = {"TimeLimitSeconds": "300", "Events": ["CustomerReturned"]}

GOOD: dict[str, list[Fixture]] = {
    # --- participant actions
    "ConnectParticipantWithLexBot": [
        Fixture("lex-v2", step("ConnectParticipantWithLexBot", {
            "Text": "How can I help with your parcel?", "LexV2Bot": {"AliasArn": LEX_ALIAS},
            "LexSessionAttributes": {"x-amz-lex:audio:start-timeout-ms:*": "4000"}},
            errors=("NoMatchingCondition", "NoMatchingError"), conditions=("TrackParcel", "ChangeAddress"))),
        Fixture("lex-v1", step("ConnectParticipantWithLexBot", {
            "SSML": "<speak>What would you like to do?</speak>",
            "LexBot": {"Name": "ParcelHelper", "Region": "eu-west-2", "Alias": "live"}},
            errors=("InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"), conditions=("TrackParcel",))),
    ],
    "DisconnectParticipant": [Fixture("hang-up", terminal("DisconnectParticipant"))],
    "GetParticipantInput": [
        Fixture("menu", step("GetParticipantInput", {
            "Text": "Press 1 to track a parcel, or 0 for an agent.", "StoreInput": "False", "InputTimeLimitSeconds": "6"},
            errors=MENU, conditions=("1", "0"))),
        Fixture("stored-digits", step("GetParticipantInput", {
            "PromptId": PROMPT, "StoreInput": "True", "InputTimeLimitSeconds": "10",
            "InputValidation": {"CustomValidation": {"MaximumLength": "12"}},
            "DTMFConfiguration": {"InputTerminationSequence": "#", "DisableCancelKey": "False",
                                  "InterdigitTimeLimitSeconds": "3"}})),
        Fixture("stored-phone-number", step("GetParticipantInput", {
            "SSML": "<speak>Enter the number to call you back on.</speak>", "StoreInput": "True",
            "InputTimeLimitSeconds": "12",
            "InputValidation": {"PhoneNumberValidation": {"NumberFormat": "Local", "CountryCode": "GB"}}},
            errors=("InvalidPhoneNumber", "NoMatchingError"))),
        Fixture("encrypted", step("GetParticipantInput", {
            "Text": "Enter your card number.", "StoreInput": "True", "InputTimeLimitSeconds": "20",
            "InputValidation": {"CustomValidation": {"MaximumLength": "19"}},
            "InputEncryption": {"EncryptionKeyId": "parcel-card-key", "Key": "-----BEGIN CERTIFICATE-----x"}})),
        # The corpus: a menu exported without StoreInput (the reference: undefined means False).
        Fixture("store-input-left-out", step("GetParticipantInput", {
            "Text": "Press 1 for deliveries, or 0 for an agent.", "InputTimeLimitSeconds": "5"},
            errors=MENU, conditions=("1", "0"))),
    ],
    "MessageParticipant": [
        Fixture("text", step("MessageParticipant", {"Text": "Thanks for calling Parcel Point."})),
        Fixture("ssml", step("MessageParticipant", {"SSML": "<speak>Welcome back.</speak>", "TextToSpeechType": "ssml"})),
        Fixture("prompt", step("MessageParticipant", {"PromptId": PROMPT, "SkipWhenDTMFBufferEnabled": "false"})),
        Fixture("media", step("MessageParticipant", {"Media": {
            "Uri": "s3://parcel-point-audio/welcome.wav", "SourceType": "S3", "MediaType": "Audio"}})),
    ],
    "MessageParticipantIteratively": [
        Fixture("hold-loop", step("MessageParticipantIteratively", {
            "Messages": [{"Text": "All our agents are busy."}, {"PromptId": PROMPT}], "InterruptFrequencySeconds": "45"},
            conditions=("MessagesInterrupted",), next_action=False), "customerQueue"),
        Fixture("on-hold", step("MessageParticipantIteratively", {"Messages": [{"SSML": "<speak>Still with you.</speak>"}]},
                                errors=(), next_action=False), "customerHold"),
    ],
    "ShowView": [
        Fixture("guide", step("ShowView", {
            "ViewResource": {"Id": f"{ARN}/view/aws/Form", "Version": "Latest"}, "InvocationTimeLimitSeconds": "600",
            "ViewData": {"Heading": "Parcel details", "Sections": []}},
            errors=("NoMatchingCondition", "NoMatchingError", "TimeLimitExceeded"), conditions=("Next", "Back"))),
    ],
    "TransferParticipantToThirdParty": [
        Fixture("external-number", step("TransferParticipantToThirdParty", {
            "ThirdPartyPhoneNumber": "+442079460123", "ThirdPartyConnectionTimeLimitSeconds": "30",
            "ContinueFlowExecution": "True", "ThirdPartyDTMFDigits": "1,2", "CallerId": {"Number": "+442079460999"}},
            errors=("CallFailed", "ConnectionTimeLimitExceeded", "NoMatchingError"))),
        Fixture("reference-spelling", step("TransferParticipantToThirdParty", {
            "ThirdPartyPhoneNumber": "+442079460123", "ThirdPartyConnectionTimeoutSeconds": "20",
            "ContinueFlowExecution": "False"})),
    ],
    "Wait": [
        Fixture("customer-returns", step("Wait", WAIT_PARAMETERS, conditions=("WaitCompleted", "CustomerReturned"),
                                         next_action=False)),
        Fixture("reference-spelling", step("Wait", {"TimeoutSeconds": "$.Attributes.pause"},
                                           errors=("ParticipantNotFound", "NoMatchingError"),
                                           conditions=("WaitCompleted",), next_action=False)),
    ],
    # --- flow control actions
    "CheckHoursOfOperation": [
        Fixture("hours", step("CheckHoursOfOperation", {"HoursOfOperationId": HOURS}, conditions=("True", "False"),
                              next_action=False)),
        Fixture("queue-hours", step("CheckHoursOfOperation", {}, conditions=("True", "False"), next_action=False)),
    ],
    "CheckMetricData": [
        Fixture("queue-metric", step("CheckMetricData", {"MetricType": "NumberOfContactsInQueue", "QueueId": QUEUE},
                                     errors=("NoMatchingCondition", "NoMatchingError"), conditions=[("NumberLessThan", "10")])),
        # F3: the console's Check staffing block, its False branch as NoMatchingCondition.
        Fixture("check-staffing-false-branch", step("CheckMetricData", {"MetricType": "NumberOfAgentsStaffed"},
                                                    errors=("NoMatchingCondition", "NoMatchingError"),
                                                    conditions=[("NumberGreaterThan", "0")])),
        Fixture("check-staffing-online", step("CheckMetricData", {"MetricType": "NumberOfAgentsOnline", "AgentId": AGENT},
                                              errors=("NoMatchingCondition", "NoMatchingError"),
                                              conditions=[("NumberGreaterThan", "0")])),
    ],
    "CheckOutboundCallStatus": [
        Fixture("answered", step("CheckOutboundCallStatus", {},
                                 conditions=("CallAnswered", "VoicemailBeep", "VoicemailNoBeep", "NotDetected"))),
    ],
    "CheckVoiceId": [
        Fixture("authentication", step("CheckVoiceId", {"CheckVoiceIdOption": "voiceAuthentication"},
                                       conditions=("Authenticated", "NotAuthenticated", "Inconclusive"))),
    ],
    "Compare": [
        Fixture("choice", step("Compare", {"ComparisonValue": "$.Attributes.deliveryState"},
                               errors=("NoMatchingCondition",), conditions=("delivered", ("TextStartsWith", "late")))),
    ],
    "DistributeByPercentage": [
        Fixture("split", step("DistributeByPercentage", {}, errors=("NoMatchingCondition",),
                              conditions=[("NumberLessThan", "30"), ("NumberLessThan", "100")])),
    ],
    "EndFlowExecution": [Fixture("back-to-queue", terminal("EndFlowExecution"), "customerQueue")],
    "GetMetricData": [
        Fixture("queue-metrics", step("GetMetricData", {"QueueId": QUEUE})),
        Fixture("target-queue", step("GetMetricData", {})),  # the corpus: neither QueueId nor AgentId
        Fixture("agent-queue-chat", step("GetMetricData", {"AgentId": AGENT, "QueueChannel": "Chat"})),
        Fixture("channel-from-attribute", step("GetMetricData", {"QueueId": QUEUE, "QueueChannel": "$.Attributes.channel"})),
    ],
    "Loop": [
        Fixture("retries", step("Loop", {"LoopCount": "2"}, errors=(), conditions=("ContinueLooping", "DoneLooping"),
                                next_action=False)),
    ],
    "StartVoiceIdStream": [Fixture("stream", step("StartVoiceIdStream", {}))],
    "TransferToFlow": [Fixture("to-flow", step("TransferToFlow", {"ContactFlowId": FLOW}))],
    "UpdateFlowAttributes": [
        Fixture("flow-attributes", step("UpdateFlowAttributes", {"FlowAttributes": {
            "depot": {"Value": "north", "EncryptionOption": "None"}}})),
    ],
    "UpdateFlowLoggingBehavior": [
        Fixture("logging", step("UpdateFlowLoggingBehavior", {"FlowLoggingBehavior": "Enabled"}, errors=())),
    ],
    "UpdateRoutingCriteria": [
        Fixture("criteria", step("UpdateRoutingCriteria", {"RoutingCriteria": {"Steps": []}})),
    ],
    # --- contact actions
    "CompleteOutboundCall": [
        Fixture("complete", step("CompleteOutboundCall", {})),
        Fixture("caller-id", step("CompleteOutboundCall", {"CallerId": {"Number": "+442079460999"}})),
        Fixture("voice-connector", step("CompleteOutboundCall", {
            "VoiceConnector": {"VoiceConnectorType": "ChimeConnector", "VoiceConnectorArn": "$.Attributes.connector",
                               "FromUser": "+442079460999", "ToUser": "$.CustomerEndpoint.Address"},
            "ConnectionTimeLimitSeconds": "60"})),
    ],
    "CreateCase": [
        Fixture("new-case", step("CreateCase", {
            "LinkContactToCase": "true", "CaseTemplateId": "7c9e1f3b-5d7a-4c9e-8f3b-5d7a9c1e3f5b",
            "CaseRequestFields": {"title": "Missing parcel", "customer_id": "$.Customer.ProfileARN"}},
            errors=("ContactNotLinked", "NoMatchingError"))),
    ],
    "CreateTask": [
        Fixture("task", step("CreateTask", {
            "Name": "Call back about a parcel", "Description": "Customer asked for a call back",
            "ContactFlowId": FLOW, "Attributes": {"parcel": "$.Attributes.parcel"}})),
    ],
    "CreateWisdomSession": [
        Fixture("wisdom", step("CreateWisdomSession", {
            "WisdomAssistantArn": "arn:aws:wisdom:eu-west-2:111122223333:assistant/3b5d7f9a-1c3e-4b5d-9f7a-1c3e5b7d9f1a"})),
    ],
    "DequeueContactAndTransferToQueue": [
        Fixture("move-queue", step("DequeueContactAndTransferToQueue", {"QueueId": QUEUE},
                                   errors=("QueueAtCapacity", "NoMatchingError")), "customerQueue"),
    ],
    "EndFlowModuleExecution": [Fixture("return", terminal("EndFlowModuleExecution"), None)],
    "GetCase": [
        Fixture("last-case", step("GetCase", {
            "LinkContactToCase": "false", "GetLastUpdatedCase": "true",
            "CaseRequestFields": {"customer_id": "$.Customer.ProfileARN"}, "CaseResponseFields": ["title", "status"]},
            errors=("MultipleFound", "NoneFound", "NoMatchingError"))),
    ],
    "InvokeFlowModule": [Fixture("module", step("InvokeFlowModule", {"FlowModuleId": MODULE}))],
    "ResumeContact": [Fixture("resume", step("ResumeContact", {}))],
    "StartOutboundChatContact": [
        Fixture("sms", step("StartOutboundChatContact", {
            "SourceEndpoint": {"Address": f"{ARN}/phone-number/5e7a9c1b-3d5f-4e7a-9c1b-3d5f7e9a1c3b",
                               "Type": "CONNECT_PHONENUMBER_ARN"},
            "DestinationEndpoint": {"Address": "$.CustomerEndpoint.Address", "Type": "TELEPHONE_NUMBER"},
            "ContactFlowArn": FLOW, "ContactSubtype": "connect:SMS",
            "InitialSystemMessage": {"Content": "Your parcel is on its way."}, "RelatedContact": "CURRENT"})),
    ],
    "TagContact": [
        Fixture("tags", step("TagContact", {"Tags": {"line": "parcels", "tier": "$.Attributes.tier"}}, errors=())),
        # The page lists no errors; the Contact tags block still writes an Error branch.
        Fixture("with-error-branch", step("TagContact", {"Tags": {"line": "parcels"}})),
    ],
    "TransferContactToAgent": [Fixture("to-agent", step("TransferContactToAgent", {}), "agentTransfer")],
    "TransferContactToQueue": [
        Fixture("to-queue", step("TransferContactToQueue", {}, errors=("QueueAtCapacity", "NoMatchingError"))),
    ],
    "UnTagContact": [
        Fixture("untag", step("UnTagContact", {"TagKeys": ["tier"]})),
        Fixture("without-error-branch", step("UnTagContact", {"TagKeys": ["tier"]}, errors=())),  # a warning only
    ],
    "UpdateCase": [
        Fixture("case-status", step("UpdateCase", {"CaseId": "$.Case.case_id", "LinkContactToCase": "true",
                                                   "CaseRequestFields": {"status": "closed"}},
                                    errors=("ContactNotLinked", "NoMatchingError"))),
    ],
    "UpdateContactAttributes": [
        Fixture("attributes", step("UpdateContactAttributes", {
            "Attributes": {"parcel": "$.StoredCustomerInput", "line": "parcels"}, "TargetContact": "Current"})),
    ],
    "UpdateContactCallbackNumber": [
        Fixture("callback-number", step("UpdateContactCallbackNumber", {"CallbackNumber": "$.StoredCustomerInput"},
                                        errors=("InvalidCallbackNumber", "CallbackNumberNotDialable"))),
    ],
    "UpdateContactData": [
        Fixture("language", step("UpdateContactData", {"LanguageCode": "en-GB", "Name": "Parcel enquiry"})),
        Fixture("voice-id", step("UpdateContactData", {
            "IsVoiceIdStreamingEnabled": "true", "IsVoiceAuthenticationEnabled": "true",
            "VoiceAuthenticationThreshold": "90", "VoiceAuthenticationResponseTime": "10", "CustomerId": "C-1024"})),
    ],
    "UpdateContactEventHooks": [
        Fixture("whisper-hook", step("UpdateContactEventHooks", {"EventHooks": {"AgentWhisper": FLOW}})),
    ],
    "UpdateContactMediaProcessing": [
        Fixture("processing", step("UpdateContactMediaProcessing", {"ChatProcessor": CHAT_PROCESSOR},
                                   errors=("NoMatchingError", "ChannelMismatch"))),
        Fixture("processing-off", step("UpdateContactMediaProcessing", {"ChatProcessor": {"ProcessingEnabled": "False"}})),
    ],
    "UpdateContactMediaStreamingBehavior": [
        Fixture("start-streaming", step("UpdateContactMediaStreamingBehavior", {
            "MediaStreamingState": "Enabled", "MediaStreamType": "Audio",
            "Participants": [{"ParticipantType": "Customer", "MediaDirections": ["To", "From"]}]})),
        Fixture("stop-streaming", step("UpdateContactMediaStreamingBehavior", {
            "MediaStreamingState": "Disabled", "MediaStreamType": "Audio",
            "Participants": [{"ParticipantType": "Customer", "MediaDirections": ["From"]}]})),
    ],
    "UpdateContactRecordingAndAnalyticsBehavior": [
        Fixture("voice", step("UpdateContactRecordingAndAnalyticsBehavior", {
            "VoiceBehavior": VOICE_RECORDING, "ScreenRecordingBehavior": {"ScreenRecordedParticipants": ["Agent"]}},
            errors=RECORDING_ERRORS)),
        Fixture("chat", step("UpdateContactRecordingAndAnalyticsBehavior", {"ChatBehavior": CHAT_ANALYTICS},
                             errors=(*RECORDING_ERRORS, "InFlightRedactionConfigurationFailed"))),
        Fixture("screen-only", step("UpdateContactRecordingAndAnalyticsBehavior", {
            "ScreenRecordingBehavior": {"ScreenRecordedParticipants": []}}, errors=RECORDING_ERRORS)),
    ],
    "UpdateContactRecordingBehavior": [
        Fixture("recording", step("UpdateContactRecordingBehavior", {
            "RecordingBehavior": {"RecordedParticipants": ["Agent", "Customer"]},
            "AnalyticsBehavior": {"Enabled": "True", "AnalyticsLanguage": "en-GB"}}, errors=())),
    ],
    "UpdateContactRoutingBehavior": [
        Fixture("priority", step("UpdateContactRoutingBehavior", {"QueuePriority": "2"}, errors=())),
        Fixture("older", step("UpdateContactRoutingBehavior", {"QueueTimeAdjustmentSeconds": "-120"}, errors=())),
    ],
    "UpdateContactTargetQueue": [
        Fixture("queue", step("UpdateContactTargetQueue", {"QueueId": QUEUE})),
        Fixture("agent", step("UpdateContactTargetQueue", {"AgentId": AGENT})),
    ],
    "UpdateContactTextToSpeechVoice": [
        Fixture("voice", step("UpdateContactTextToSpeechVoice", {"TextToSpeechVoice": "Amy"}, errors=())),
        # F4: the current designer's Set voice block, with an Error branch and the newer parameters.
        Fixture("current-designer", step("UpdateContactTextToSpeechVoice", {
            "TextToSpeechVoice": "Amy", "TextToSpeechEngine": "Neural", "TextToSpeechStyle": "None"})),
    ],
    "UpdatePreviousContactParticipantState": [
        Fixture("agent-on-hold", step("UpdatePreviousContactParticipantState",
                                      {"PreviousContactParticipantState": "AgentOnHold"}), "queueTransfer"),
    ],
    # --- interactions
    "AssociateContactToCustomerProfile": [
        Fixture("associate", step("AssociateContactToCustomerProfile", {
            "ProfileRequestData": {"ProfileId": "$.Customer.ProfileId", "ContactId": "$.ContactId"}})),
    ],
    "CreateCallbackContact": [
        Fixture("callback", step("CreateCallbackContact", {
            "QueueId": QUEUE, "InitialCallDelaySeconds": "60", "MaximumConnectionAttempts": "2",
            "RetryDelaySeconds": "600"})),
        # F5: the console's block exports "0" retries.
        Fixture("no-retry", step("CreateCallbackContact", {
            "InitialCallDelaySeconds": "5", "MaximumConnectionAttempts": "0", "RetryDelaySeconds": "600"}), "customerQueue"),
    ],
    "CreateCustomerProfile": [
        Fixture("new-profile", step("CreateCustomerProfile", {
            "ProfileRequestData": {"FirstName": "$.Attributes.firstName", "PhoneNumber": "$.CustomerEndpoint.Address"},
            "ProfileResponseData": ["FirstName"]})),
    ],
    "GetCalculatedAttributesForCustomerProfile": [
        Fixture("calculated", step("GetCalculatedAttributesForCustomerProfile", {
            "ProfileRequestData": {"ProfileId": "$.Customer.ProfileId"},
            "ProfileResponseData": ["CalculatedAttributes._average_hold_time", "CalculatedAttributes._frequent_caller"]},
            errors=("NoneFoundError", "NoMatchingError"))),
    ],
    "GetCustomerProfile": [
        Fixture("by-phone", step("GetCustomerProfile", {
            "ProfileRequestData": {"PhoneNumber": "$.CustomerEndpoint.Address"}, "ProfileResponseData": ["FirstName"]},
            errors=("MultipleFoundError", "NoneFoundError", "NoMatchingError"))),
    ],
    "GetCustomerProfileObject": [
        Fixture("object", step("GetCustomerProfileObject", {
            "ProfileRequestData": {"ProfileId": "$.Customer.ProfileId", "ObjectType": "Orders", "UseLatest": "true"}},
            errors=("NoneFoundError", "NoMatchingError"))),
    ],
    "InvokeLambdaFunction": [
        Fixture("lambda", step("InvokeLambdaFunction", {
            "LambdaFunctionARN": LAMBDA, "InvocationTimeLimitSeconds": "4",
            "LambdaInvocationAttributes": {"parcel": "$.Attributes.parcel"}, "ResponseValidation": {"ResponseType": "JSON"}})),
        Fixture("asynchronous", step("InvokeLambdaFunction", {
            "LambdaFunctionARN": LAMBDA, "InvocationTimeLimitSeconds": "45", "InvocationType": "ASYNCHRONOUS"})),
    ],
    "UpdateCustomerProfile": [
        Fixture("update-profile", step("UpdateCustomerProfile", {
            "ProfileRequestData": {"ProfileId": "$.Customer.ProfileId", "City": "$.Attributes.city"}})),
    ],
}

BAD: dict[str, list[Fixture]] = {
    "ConnectParticipantWithLexBot": [
        Fixture("no-bot", step("ConnectParticipantWithLexBot", {"Text": "How can I help?"}),
                rule="parameter-choice", fragment="exactly one of LexV2Bot or LexBot"),
        Fixture("alias-misspelt", step("ConnectParticipantWithLexBot", {"Text": "Hi", "LexV2Bot": {"AliasARN": LEX_ALIAS}}),
                rule="misspelt-parameter", fragment="did you mean LexV2Bot.AliasArn?"),
    ],
    "DisconnectParticipant": [
        Fixture("with-next-action", step("DisconnectParticipant", {}, errors=()), rule="terminal", fragment="remove NextAction"),
        Fixture("in-a-whisper", terminal("DisconnectParticipant"), "agentWhisper", rule="flow-type",
                fragment="cannot run in a flow of type agentWhisper"),
    ],
    "GetParticipantInput": [
        Fixture("no-time-limit", step("GetParticipantInput", {"Text": "Press 1.", "StoreInput": "False"},
                                      errors=MENU, conditions=("1",)),
                rule="parameter-required", fragment="needs the parameter InputTimeLimitSeconds"),
        Fixture("store-input-lower-case", step("GetParticipantInput", {"Text": "Press 1.", "StoreInput": "false",
                                                                       "InputTimeLimitSeconds": "5"}, errors=MENU),
                rule="parameter-value", fragment='StoreInput must be "False" or "True", not "false"'),
        Fixture("stored-with-timeout-branch", step("GetParticipantInput", {
            "Text": "Enter your parcel number.", "StoreInput": "True", "InputTimeLimitSeconds": "5",
            "InputValidation": {"CustomValidation": {"MaximumLength": "8"}}}, errors=MENU),
                rule="error-types", fragment="cannot raise InputTimeLimitExceeded"),
    ],
    "MessageParticipant": [
        Fixture("no-prompt", step("MessageParticipant", {}), rule="parameter-choice", fragment="it has none"),
        Fixture("misspelt-text", step("MessageParticipant", {"Txt": "Hello"}), rule="misspelt-parameter",
                fragment="did you mean Text?"),
    ],
    "MessageParticipantIteratively": [
        Fixture("no-messages", step("MessageParticipantIteratively", {}, next_action=False), "customerQueue",
                rule="parameter-required", fragment="needs the parameter Messages"),
        Fixture("in-an-inbound-flow", step("MessageParticipantIteratively", {"Messages": [{"Text": "Please hold."}]},
                                           next_action=False),
                rule="flow-type", fragment="cannot run in a flow of type contactFlow"),
    ],
    "ShowView": [
        Fixture("no-view", step("ShowView", {"ViewData": {"Heading": "Parcel"}}, conditions=("Next",)),
                rule="parameter-required", fragment="needs the parameter ViewResource"),
        Fixture("view-without-id", step("ShowView", {"ViewResource": {"Version": "Latest"}}, conditions=("Next",)),
                rule="parameter-required", fragment="needs the parameter ViewResource.Id"),
    ],
    "TransferParticipantToThirdParty": [
        Fixture("continue-yes", step("TransferParticipantToThirdParty", {
            "ThirdPartyPhoneNumber": "+442079460123", "ContinueFlowExecution": "Yes"}),
                rule="parameter-value", fragment='ContinueFlowExecution must be "False" or "True"'),
        Fixture("timeout-too-long", step("TransferParticipantToThirdParty", {
            "ThirdPartyPhoneNumber": "+442079460123", "ThirdPartyConnectionTimeLimitSeconds": "900"}),
                rule="parameter-value", fragment="from 0 to 600"),
    ],
    "Wait": [
        Fixture("time-limit-text", step("Wait", {"TimeLimitSeconds": "five minutes"}, conditions=("WaitCompleted",),
                                         next_action=False),
                rule="parameter-value", fragment="TimeLimitSeconds must be a whole number from 1 to 604800"),
        Fixture("eight-days", step("Wait", {"TimeoutSeconds": "691200"}, conditions=("WaitCompleted",), next_action=False),
                rule="parameter-value", fragment="TimeoutSeconds must be a whole number from 1 to 604800"),
    ],
    "CheckHoursOfOperation": [
        Fixture("one-branch", step("CheckHoursOfOperation", {}, conditions=("True",), next_action=False),
                rule="condition-set", fragment="missing Equals False"),
    ],
    "CheckMetricData": [
        Fixture("unknown-metric", step("CheckMetricData", {"MetricType": "AgentsFree"}, conditions=[("NumberGreaterThan", "0")]),
                rule="parameter-value", fragment="MetricType must be"),
        Fixture("queue-and-agent", step("CheckMetricData", {"MetricType": "NumberOfAgentsAvailable", "QueueId": QUEUE,
                                                            "AgentId": AGENT}, conditions=[("NumberGreaterThan", "0")]),
                rule="parameter-choice", fragment="at most one of QueueId or AgentId"),
    ],
    "CheckOutboundCallStatus": [
        Fixture("wrong-error", step("CheckOutboundCallStatus", {}, errors=("QueueAtCapacity",), conditions=("CallAnswered",)),
                rule="error-types", fragment="cannot raise QueueAtCapacity"),
    ],
    "CheckVoiceId": [
        Fixture("dynamic-option", step("CheckVoiceId", {"CheckVoiceIdOption": "$.Attributes.option"},
                                       conditions=("Authenticated",)),
                rule="parameter-kind", fragment="CheckVoiceIdOption must be static"),
        Fixture("unknown-option", step("CheckVoiceId", {"CheckVoiceIdOption": "speakerCheck"}, conditions=("Enrolled",)),
                rule="parameter-value", fragment='CheckVoiceIdOption must be "enrollmentStatus", "fraudDetection" or '
                                                 '"voiceAuthentication"'),
    ],
    "Compare": [
        Fixture("literal", step("Compare", {"ComparisonValue": "parcel"}, errors=("NoMatchingCondition",),
                                conditions=("parcel",)),
                rule="parameter-kind", fragment="ComparisonValue must be one JSONPath"),
        Fixture("no-conditions", step("Compare", {"ComparisonValue": "$.Attributes.x"}, errors=("NoMatchingCondition",)),
                rule="conditions", fragment="needs at least one condition"),
    ],
    "DistributeByPercentage": [
        Fixture("no-split", step("DistributeByPercentage", {}, errors=("NoMatchingCondition",)),
                rule="conditions", fragment="needs at least one condition"),
    ],
    "EndFlowExecution": [
        Fixture("in-an-inbound-flow", terminal("EndFlowExecution"), rule="flow-type",
                fragment="DisconnectParticipant ends the call"),
    ],
    "GetMetricData": [
        Fixture("misspelt-queue", step("GetMetricData", {"QueueID": QUEUE}), rule="misspelt-parameter",
                fragment="did you mean QueueId?"),
        Fixture("email-channel", step("GetMetricData", {"QueueChannel": "Email"}), rule="parameter-value",
                fragment='QueueChannel must be "Chat" or "Voice", not "Email"'),
        Fixture("with-conditions", step("GetMetricData", {}, conditions=[("NumberGreaterThan", "5")]),
                rule="conditions", fragment="takes no Conditions"),
        Fixture("queue-and-agent", step("GetMetricData", {"QueueId": QUEUE, "AgentId": AGENT}), rule="parameter-choice",
                fragment="at most one of QueueId or AgentId"),
    ],
    "Loop": [
        Fixture("no-count", step("Loop", {}, errors=(), conditions=("ContinueLooping", "DoneLooping"), next_action=False),
                rule="parameter-required", fragment="needs the parameter LoopCount"),
    ],
    "StartVoiceIdStream": [
        Fixture("with-conditions", step("StartVoiceIdStream", {}, conditions=("Started",)),
                rule="conditions", fragment="takes no Conditions"),
        Fixture("in-a-hold-flow", step("StartVoiceIdStream", {}), "customerHold", rule="flow-type",
                fragment="cannot run in a flow of type customerHold"),
    ],
    "TransferToFlow": [
        Fixture("no-flow", step("TransferToFlow", {}), rule="parameter-required", fragment="needs the parameter ContactFlowId"),
    ],
    "UpdateFlowAttributes": [
        Fixture("no-attributes", step("UpdateFlowAttributes", {}), rule="parameter-required",
                fragment="needs the parameter FlowAttributes"),
    ],
    "UpdateFlowLoggingBehavior": [
        Fixture("on", step("UpdateFlowLoggingBehavior", {"FlowLoggingBehavior": "On"}, errors=()),
                rule="parameter-value", fragment='must be "Disabled" or "Enabled", not "On"'),
    ],
    "UpdateRoutingCriteria": [
        Fixture("misspelt", step("UpdateRoutingCriteria", {"RoutingCriterias": {}}), rule="misspelt-parameter",
                fragment="did you mean RoutingCriteria?"),
    ],
    "CompleteOutboundCall": [
        Fixture("wrong-error", step("CompleteOutboundCall", {}, errors=("QueueAtCapacity",)), rule="error-types",
                fragment="cannot raise QueueAtCapacity"),
        Fixture("other-connector", step("CompleteOutboundCall", {"VoiceConnector": {"VoiceConnectorType": "SipTrunk"}}),
                rule="parameter-value", fragment='VoiceConnector.VoiceConnectorType must be "ChimeConnector"'),
    ],
    "CreateCase": [
        Fixture("no-template", step("CreateCase", {"CaseRequestFields": {"title": "Missing parcel"}}),
                rule="parameter-required", fragment="needs the parameter CaseTemplateId"),
    ],
    "CreateTask": [
        Fixture("misspelt-name", step("CreateTask", {"name": "Call back", "ContactFlowId": FLOW}),
                rule="misspelt-parameter", fragment="did you mean Name?"),
        Fixture("delay-and-time", step("CreateTask", {"Name": "Call back", "ContactFlowId": FLOW, "DelaySeconds": "3600",
                                                      "ScheduledTime": "2026-12-01T09:00:00Z"}),
                rule="parameter-choice", fragment="at most one of DelaySeconds or ScheduledTime"),
    ],
    "CreateWisdomSession": [
        Fixture("no-assistant", step("CreateWisdomSession", {}), rule="parameter-required",
                fragment="needs the parameter WisdomAssistantArn"),
        Fixture("with-conditions", step("CreateWisdomSession", {"WisdomAssistantArn": "$.Attributes.assistant"},
                                        conditions=("Created",)), rule="conditions", fragment="takes no Conditions"),
    ],
    "DequeueContactAndTransferToQueue": [
        Fixture("in-an-inbound-flow", step("DequeueContactAndTransferToQueue", {"QueueId": QUEUE},
                                           errors=("QueueAtCapacity", "NoMatchingError")),
                rule="flow-type", fragment="only in customerQueue flows"),
    ],
    "EndFlowModuleExecution": [
        Fixture("in-a-flow", terminal("EndFlowModuleExecution"), rule="flow-type", fragment="returns from a flow module"),
    ],
    "GetCase": [
        Fixture("wrong-error", step("GetCase", {"CaseRequestFields": {"case_id": "$.Attributes.case"}},
                                    errors=("NoneFoundError",)),
                rule="error-types", fragment="cannot raise NoneFoundError"),
    ],
    "InvokeFlowModule": [
        Fixture("no-module", step("InvokeFlowModule", {}), rule="parameter-required", fragment="needs the parameter FlowModuleId"),
    ],
    "ResumeContact": [
        Fixture("wrong-error", step("ResumeContact", {}, errors=("CallFailed",)), rule="error-types",
                fragment="cannot raise CallFailed"),
        Fixture("with-conditions", step("ResumeContact", {}, conditions=("Resumed",)), rule="conditions",
                fragment="takes no Conditions"),
    ],
    "StartOutboundChatContact": [
        Fixture("no-destination", step("StartOutboundChatContact", {
            "SourceEndpoint": {"Address": "$.Attributes.number", "Type": "CONNECT_PHONENUMBER_ARN"}, "ContactFlowArn": FLOW}),
                rule="parameter-required", fragment="needs the parameter DestinationEndpoint"),
        Fixture("misspelt-message", step("StartOutboundChatContact", {
            "SourceEndpoint": {"Address": "$.Attributes.number"}, "DestinationEndpoint": {"Address": "+447700900123"},
            "ContactFlowArn": FLOW, "InitialSystemMessage": {"Contents": "Hello"}}),
                rule="misspelt-parameter", fragment="did you mean InitialSystemMessage.Content?"),
    ],
    "TagContact": [
        Fixture("no-tags", step("TagContact", {}, errors=()), rule="parameter-required", fragment="needs the parameter Tags"),
    ],
    "TransferContactToAgent": [
        Fixture("in-an-inbound-flow", step("TransferContactToAgent", {}), rule="flow-type",
                fragment="only in agentTransfer or queueTransfer flows"),
    ],
    "TransferContactToQueue": [
        Fixture("in-a-queue-flow", step("TransferContactToQueue", {}, errors=("QueueAtCapacity", "NoMatchingError")),
                "customerQueue", rule="flow-type", fragment="DequeueContactAndTransferToQueue"),
    ],
    "UnTagContact": [
        Fixture("no-keys", step("UnTagContact", {}, errors=()), rule="parameter-required", fragment="needs the parameter TagKeys"),
    ],
    "UpdateCase": [
        Fixture("search-errors", step("UpdateCase", {"CaseId": "$.Case.case_id"}, errors=("NoneFound",)), rule="error-types",
                fragment="cannot raise NoneFound"),
    ],
    "UpdateContactAttributes": [
        Fixture("target-other", step("UpdateContactAttributes", {"Attributes": {"a": "b"}, "TargetContact": "Other"}),
                rule="parameter-value", fragment='TargetContact must be "Current" or "Related"'),
        Fixture("no-attributes", step("UpdateContactAttributes", {"TargetContact": "Current"}),
                rule="parameter-required", fragment="needs the parameter Attributes"),
    ],
    "UpdateContactCallbackNumber": [
        Fixture("literal-number", step("UpdateContactCallbackNumber", {"CallbackNumber": "+442079460123"},
                                       errors=("InvalidCallbackNumber", "CallbackNumberNotDialable")),
                rule="parameter-kind", fragment="CallbackNumber must be one JSONPath"),
    ],
    "UpdateContactData": [
        Fixture("target-other", step("UpdateContactData", {"LanguageCode": "en-GB", "TargetContact": "Previous"}),
                rule="parameter-value", fragment='TargetContact must be "Current" or "Related"'),
        Fixture("misspelt-language", step("UpdateContactData", {"LanguageCod": "en-GB"}), rule="misspelt-parameter",
                fragment="did you mean LanguageCode?"),
    ],
    "UpdateContactEventHooks": [
        Fixture("no-hooks", step("UpdateContactEventHooks", {}), rule="parameter-required", fragment="needs the parameter EventHooks"),
        Fixture("misspelt-hook", step("UpdateContactEventHooks", {"EventHooks": {"AgentWisper": FLOW}}),
                rule="misspelt-parameter", fragment="did you mean EventHooks.AgentWhisper?"),
    ],
    "UpdateContactMediaProcessing": [
        Fixture("wrong-error", step("UpdateContactMediaProcessing", {"ChatProcessor": CHAT_PROCESSOR},
                                    errors=("TimeLimitExceeded",)),
                rule="error-types", fragment="cannot raise TimeLimitExceeded"),
        Fixture("no-processor", step("UpdateContactMediaProcessing", {}), rule="parameter-required",
                fragment="needs the parameter ChatProcessor"),
        Fixture("no-error-branch", step("UpdateContactMediaProcessing", {"ChatProcessor": CHAT_PROCESSOR},
                                        errors=("ChannelMismatch",)),
                rule="required-error-branch", fragment="must have an error branch for NoMatchingError"),
        Fixture("enabled-yes", step("UpdateContactMediaProcessing", {"ChatProcessor": {"ProcessingEnabled": "Yes"}}),
                rule="parameter-value", fragment='ChatProcessor.ProcessingEnabled must be "False" or "True"'),
        Fixture("arn-from-attribute", step("UpdateContactMediaProcessing", {
            "ChatProcessor": {"ProcessingEnabled": "True", "LambdaProcessorARN": "$.Attributes.processor"}}),
                rule="parameter-kind", fragment="ChatProcessor.LambdaProcessorARN must be static"),
    ],
    "UpdateContactMediaStreamingBehavior": [
        Fixture("state-on", step("UpdateContactMediaStreamingBehavior", {"MediaStreamingState": "On", "MediaStreamType": "Audio"}),
                rule="parameter-value", fragment='MediaStreamingState must be "Disabled" or "Enabled"'),
        Fixture("video", step("UpdateContactMediaStreamingBehavior", {"MediaStreamingState": "Enabled", "MediaStreamType": "Video"}),
                rule="parameter-value", fragment='MediaStreamType must be "Audio"'),
        Fixture("in-a-hold-flow", step("UpdateContactMediaStreamingBehavior", {"MediaStreamingState": "Enabled"}),
                "customerHold", rule="flow-type", fragment="cannot run in a flow of type customerHold"),
    ],
    "UpdateContactRecordingAndAnalyticsBehavior": [
        Fixture("wrong-error", step("UpdateContactRecordingAndAnalyticsBehavior", {}, errors=("CallFailed",)),
                rule="error-types", fragment="cannot raise CallFailed"),
        Fixture("voice-and-chat", step("UpdateContactRecordingAndAnalyticsBehavior", {
            "VoiceBehavior": VOICE_RECORDING, "ChatBehavior": CHAT_ANALYTICS},
            errors=(*RECORDING_ERRORS, "InFlightRedactionConfigurationFailed")),
                rule="parameter-choice", fragment="at most one of VoiceBehavior or ChatBehavior"),
        Fixture("no-channel-mismatch", step("UpdateContactRecordingAndAnalyticsBehavior", {"VoiceBehavior": VOICE_RECORDING}),
                rule="required-error-branch", fragment="must have an error branch for ChannelMismatch"),
        Fixture("chat-without-redaction-branch", step("UpdateContactRecordingAndAnalyticsBehavior",
                                                      {"ChatBehavior": CHAT_ANALYTICS}, errors=RECORDING_ERRORS),
                rule="required-error-branch", fragment="must have an error branch for InFlightRedactionConfigurationFailed"),
        Fixture("ivr-recording-on", step("UpdateContactRecordingAndAnalyticsBehavior", {
            "VoiceBehavior": {"VoiceRecordingBehavior": {"RecordedParticipants": [], "IVRRecordingBehavior": "On"}}},
            errors=RECORDING_ERRORS),
                rule="parameter-value", fragment='IVRRecordingBehavior must be "Disabled" or "Enabled", not "On"'),
    ],
    "UpdateContactRecordingBehavior": [
        Fixture("error-branch", step("UpdateContactRecordingBehavior", {"RecordingBehavior": {"RecordedParticipants": []}}),
                rule="error-types", fragment="has no error branches"),
        Fixture("misspelt-field", step("UpdateContactRecordingBehavior", {
            "RecordingBehavior": {"RecordedParticipant": ["Agent"]}}, errors=()),
                rule="misspelt-parameter", fragment="did you mean RecordingBehavior.RecordedParticipants?"),
    ],
    "UpdateContactRoutingBehavior": [
        Fixture("priority-zero", step("UpdateContactRoutingBehavior", {"QueuePriority": "0"}, errors=()),
                rule="parameter-value", fragment="QueuePriority must be a whole number of 1 or more"),
        Fixture("priority-and-age", step("UpdateContactRoutingBehavior", {"QueuePriority": "1",
                                                                          "QueueTimeAdjustmentSeconds": "60"}, errors=()),
                rule="parameter-choice", fragment="at most one of QueuePriority or QueueTimeAdjustmentSeconds"),
    ],
    "UpdateContactTargetQueue": [
        Fixture("none", step("UpdateContactTargetQueue", {}), rule="parameter-choice", fragment="exactly one of QueueId or AgentId"),
    ],
    "UpdateContactTextToSpeechVoice": [
        Fixture("voice-id", step("UpdateContactTextToSpeechVoice", {"VoiceId": "Amy"}), rule="parameter-required",
                fragment="needs the parameter TextToSpeechVoice"),
    ],
    "UpdatePreviousContactParticipantState": [
        Fixture("on-hold", step("UpdatePreviousContactParticipantState", {"PreviousContactParticipantState": "OnHold"}),
                "queueTransfer", rule="parameter-value", fragment="PreviousContactParticipantState must be"),
    ],
    "AssociateContactToCustomerProfile": [
        Fixture("misspelt", step("AssociateContactToCustomerProfile", {"ProfileRequestDate": {}}), rule="misspelt-parameter",
                fragment="did you mean ProfileRequestData?"),
        Fixture("no-contact", step("AssociateContactToCustomerProfile", {"ProfileRequestData": {"ProfileId": "$.Customer.ProfileId"}}),
                rule="parameter-required", fragment="needs the parameter ProfileRequestData.ContactId"),
    ],
    "CreateCallbackContact": [
        Fixture("no-delay", step("CreateCallbackContact", {"MaximumConnectionAttempts": "1", "RetryDelaySeconds": "60"}),
                rule="parameter-required", fragment="needs the parameter InitialCallDelaySeconds"),
        Fixture("four-days", step("CreateCallbackContact", {"InitialCallDelaySeconds": "345600", "MaximumConnectionAttempts": "1",
                                                            "RetryDelaySeconds": "60"}),
                rule="parameter-value", fragment="from 1 to 259200"),
    ],
    "CreateCustomerProfile": [
        Fixture("wrong-error", step("CreateCustomerProfile", {"ProfileRequestData": {}}, errors=("QueueAtCapacity",)),
                rule="error-types", fragment="cannot raise QueueAtCapacity"),
        Fixture("search-error", step("CreateCustomerProfile", {"ProfileRequestData": {}}, errors=("NoneFoundError",)),
                rule="error-types", fragment="cannot raise NoneFoundError"),
        Fixture("with-conditions", step("CreateCustomerProfile", {"ProfileRequestData": {}}, conditions=("Created",)),
                rule="conditions", fragment="takes no Conditions"),
    ],
    "GetCalculatedAttributesForCustomerProfile": [
        Fixture("misspelt", step("GetCalculatedAttributesForCustomerProfile", {"ProfileResponseDta": []}),
                rule="misspelt-parameter", fragment="did you mean ProfileResponseData?"),
        Fixture("no-profile-id", step("GetCalculatedAttributesForCustomerProfile", {
            "ProfileRequestData": {}, "ProfileResponseData": ["CalculatedAttributes._frequent_caller"]}),
                rule="parameter-required", fragment="needs the parameter ProfileRequestData.ProfileId"),
        Fixture("multiple-found", step("GetCalculatedAttributesForCustomerProfile", {
            "ProfileRequestData": {"ProfileId": "$.Customer.ProfileId"}}, errors=("MultipleFoundError", "NoMatchingError")),
                rule="error-types", fragment="cannot raise MultipleFoundError"),
    ],
    "GetCustomerProfile": [
        Fixture("case-errors", step("GetCustomerProfile", {"ProfileRequestData": {}}, errors=("NoneFound",)),
                rule="error-types", fragment="cannot raise NoneFound"),
    ],
    "GetCustomerProfileObject": [
        Fixture("wrong-error", step("GetCustomerProfileObject", {
            "ProfileRequestData": {"ProfileId": "$.Customer.ProfileId", "ObjectType": "Orders", "UseLatest": "true"}},
            errors=("ContactNotLinked",)), rule="error-types", fragment="cannot raise ContactNotLinked"),
        Fixture("object-type-outside", step("GetCustomerProfileObject", {
            "ProfileRequestData": {"ProfileId": "$.Customer.ProfileId"}, "ObjectType": "Orders"}),
                rule="parameter-required", fragment="needs the parameter ProfileRequestData.ObjectType"),
    ],
    "InvokeLambdaFunction": [
        Fixture("nine-seconds", step("InvokeLambdaFunction", {"LambdaFunctionARN": LAMBDA, "InvocationTimeLimitSeconds": "9"}),
                rule="lambda-time-limit", fragment="from 1 to 8"),
        Fixture("response-type", step("InvokeLambdaFunction", {
            "LambdaFunctionARN": LAMBDA, "InvocationTimeLimitSeconds": "3", "ResponseValidation": {"ResponseType": "MAP"}}),
                rule="parameter-value", fragment='ResponseValidation.ResponseType must be "JSON" or "STRING_MAP"'),
    ],
    "UpdateCustomerProfile": [
        Fixture("wrong-error", step("UpdateCustomerProfile", {}, errors=("InvalidPhoneNumber",)), rule="error-types",
                fragment="cannot raise InvalidPhoneNumber"),
        Fixture("search-error", step("UpdateCustomerProfile", {}, errors=("MultipleFoundError", "NoMatchingError")),
                rule="error-types", fragment="cannot raise MultipleFoundError"),
    ],
}
