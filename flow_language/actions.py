"""The action catalog: one entry per action type of the AWS flow-language reference.

Grouped as the reference groups them (participant actions, flow control actions, contact actions,
interactions); each entry names its reference page. Parameters not marked with a kind are free
text (a JSONPath inside allowed) or free-form objects. Where an entry departs from its page, its
`note` says why: the console exports, and AWS's own published flows, are what Connect accepts.
"""
from __future__ import annotations

from flow_language.model import Action, lookup
from flow_language.spec import (
    DEVELOPER_GUIDE,
    GENERIC,
    GENERIC_ERRORS,
    INBOUND_AND_TRANSFER,
    NO_ERRORS,
    NO_MATCHING_CONDITION,
    NO_MATCHING_ERROR,
    NOT_HOLD,
    PROMPTS,
    WHISPER,
    WITH_A_CALLER,
    ActionSpec,
    Choice,
    Conditions,
    ErrorBranches,
    ValueKind,
    branches,
    param,
)

S, SP, P = ValueKind.STATIC, ValueKind.STATIC_OR_PATH, ValueKind.PATH
TRUE_FALSE = ("True", "False")
INPUT_TIME_LIMIT_EXCEEDED = "InputTimeLimitExceeded"
INVALID_PHONE_NUMBER = "InvalidPhoneNumber"
QUEUE_AT_CAPACITY = "QueueAtCapacity"
AGENT_METRICS = frozenset({"NumberOfAgentsAvailable", "NumberOfAgentsStaffed", "NumberOfAgentsOnline"})
QUEUE_METRICS = frozenset({"OldestContactInQueueAgeSeconds", "NumberOfContactsInQueue"})
ONE_QUEUE_OR_AGENT = Choice(("QueueId", "AgentId"), 0, 1)
QUEUE_OR_AGENT = (param("QueueId", kind=SP), param("AgentId", kind=SP))
MEDIA = (param("Media", closed=True), param("Media.Uri"), param("Media.SourceType"), param("Media.MediaType"))
# What the console writes beside a prompt (not on the reference pages; seen in real exports).
PROMPT_EXTRAS = (param("TextToSpeechType"),)
PROMPT_PARAMETERS = (param("PromptId", kind=SP), param("Text"), param("SSML"), *MEDIA, *PROMPT_EXTRAS)
PROFILE_DATA = (param("ProfileRequestData"), param("ProfileResponseData"))
NONE_FOUND_ERROR = "NoneFoundError"
PROFILE_ERRORS = branches(GENERIC_ERRORS | {"MultipleFoundError", NONE_FOUND_ERROR}, expected={NO_MATCHING_ERROR})
CHANNEL_MISMATCH = "ChannelMismatch"
IN_FLIGHT_REDACTION_FAILED = "InFlightRedactionConfigurationFailed"
VOICE, CHAT, TASK = frozenset({"VOICE"}), frozenset({"CHAT"}), frozenset({"TASK"})
# The analytics settings the voice and chat behaviors share (objects and lists, not enumerated here).
ANALYTICS_SETTINGS = ("ConversationalAnalyticsRedactionConfiguration", "AnalyticsModes", "SentimentConfiguration",
                      "SummaryConfiguration")
CASE_ERRORS = branches(GENERIC_ERRORS | {"MultipleFound", "NoneFound", "ContactNotLinked"}, expected={NO_MATCHING_ERROR})
# The page says "None" under Errors; the console's block still writes an Error branch, which Connect accepts.
ERROR_BRANCH_FROM_THE_CONSOLE = "the page lists no errors; the console's block writes a NoMatchingError branch, accepted"
# The same page wording, for blocks no export we measured shows: as UpdateFlowAttributes proves the wording
# does not mean the branch is refused, the generic branches are accepted rather than reported.
ERROR_BRANCH_NOT_REFUSED = ("the page lists no errors; the generic error branches are still accepted, as the console "
                            "writes one for UpdateFlowAttributes whose page says the same")


def store_input(action: Action) -> object:
    """GetParticipantInput's StoreInput; the reference: left undefined, it means "False"."""
    return action.parameters.get("StoreInput", "False")


def _input_error_branches(action: Action) -> ErrorBranches:
    stored = store_input(action)
    if stored == "False":
        menu = {NO_MATCHING_ERROR, NO_MATCHING_CONDITION, INPUT_TIME_LIMIT_EXCEEDED}
        return branches(menu, required={NO_MATCHING_ERROR}, expected=menu - {NO_MATCHING_ERROR})
    phone = lookup(action.parameters, ("InputValidation", "PhoneNumberValidation")) is not None
    if stored == "True":
        extra = {INVALID_PHONE_NUMBER} if phone else set()
        return branches({NO_MATCHING_ERROR} | extra, required={NO_MATCHING_ERROR}, expected=extra)
    # StoreInput not static: parameter-kind reports that; judge only what is sure.
    return branches(GENERIC_ERRORS | {INPUT_TIME_LIMIT_EXCEEDED, INVALID_PHONE_NUMBER}, required={NO_MATCHING_ERROR})


def _recording_and_analytics_error_branches(action: Action) -> ErrorBranches:
    """The page: NoMatchingError and ChannelMismatch must always be defined, and
    InFlightRedactionConfigurationFailed too when the action sets ChatBehavior."""
    required = {NO_MATCHING_ERROR, CHANNEL_MISMATCH}
    if "ChatBehavior" in action.parameters:
        required.add(IN_FLIGHT_REDACTION_FAILED)
    return branches(GENERIC_ERRORS | {CHANNEL_MISMATCH, IN_FLIGHT_REDACTION_FAILED}, required=required)


def metric_type(action: Action) -> str | None:
    """CheckMetricData's MetricType when it is a string (parameter-kind reports anything else)."""
    metric = action.parameters.get("MetricType")
    return metric if isinstance(metric, str) else None


def _metric_error_branches(action: Action) -> ErrorBranches:
    metric = metric_type(action)
    if metric in QUEUE_METRICS:
        return branches(GENERIC_ERRORS, expected=GENERIC_ERRORS)
    if metric in AGENT_METRICS:  # the Check staffing block: its False branch is NoMatchingCondition
        return GENERIC
    return branches(GENERIC_ERRORS)


PARTICIPANT_ACTIONS = (
    ActionSpec(
        "ConnectParticipantWithLexBot", "participant", "participant-actions-connectparticipantwithlexbot.html",
        parameters=(
            *PROMPT_PARAMETERS,
            param("LexV2Bot", closed=True), param("LexV2Bot.AliasArn", required=True, kind=SP),
            param("LexBot", closed=True), param("LexBot.Name", required=True), param("LexBot.Region"),
            param("LexBot.Alias", required=True),
            param("LexSessionAttributes"),
            # The page spells it "LexInitilizationData"; both spellings are accepted.
            param("LexInitializationData"), param("LexInitilizationData"),
            param("LexTimeoutSeconds"),
        ),
        choices=(Choice(PROMPTS, 0, 1), Choice(("LexV2Bot", "LexBot"), 1, 1)),
        errors=branches(GENERIC_ERRORS | {INPUT_TIME_LIMIT_EXCEEDED}, expected={NO_MATCHING_ERROR}),
        conditions=Conditions.OPTIONAL,
    ),
    ActionSpec(
        "DisconnectParticipant", "participant", "participant-actions-disconnectparticipant.html",
        errors=NO_ERRORS, flow_types=WITH_A_CALLER, terminal=True,
    ),
    ActionSpec(
        "GetParticipantInput", "participant", "participant-actions-getparticipantinput.html",
        parameters=(
            *PROMPT_PARAMETERS,
            param("InputTimeLimitSeconds", required=True, kind=S, integers=(1, None)),
            param("StoreInput", kind=S, values=TRUE_FALSE),
            param("InputValidation", closed=True),
            param("InputValidation.PhoneNumberValidation", closed=True),
            param("InputValidation.PhoneNumberValidation.NumberFormat", kind=S, values=("Local", "E164")),
            param("InputValidation.PhoneNumberValidation.CountryCode"),
            param("InputValidation.CustomValidation", closed=True),
            param("InputValidation.CustomValidation.MaximumLength", kind=S, integers=(1, None)),
            param("InputEncryption", closed=True), param("InputEncryption.EncryptionKeyId"), param("InputEncryption.Key"),
            param("DTMFConfiguration", closed=True),
            param("DTMFConfiguration.InputTerminationSequence"),
            param("DTMFConfiguration.DisableCancelKey"),
            param("DTMFConfiguration.InterdigitTimeLimitSeconds", kind=S, integers=(1, None)),
            param("DTMFConfiguration.MaxDigits", kind=S, integers=(1, None)),
        ),
        # Every prompt is optional, two are refused; no prompt at all is cx-input-without-prompt's.
        choices=(Choice(PROMPTS, 0, 1),),
        errors_of=_input_error_branches,
        conditions=Conditions.OPTIONAL,
        note="StoreInput may be left out: the page says an undefined StoreInput means False",
    ),
    ActionSpec(
        "MessageParticipant", "participant", "participant-actions-messageparticipant.html",
        parameters=(*PROMPT_PARAMETERS, param("SkipWhenDTMFBufferEnabled")),
        choices=(Choice(PROMPTS, 1, 1),),
        flow_types=NOT_HOLD, note="TextToSpeechType and SkipWhenDTMFBufferEnabled: written by the console",
    ),
    ActionSpec(
        "MessageParticipantIteratively", "participant", "participant-actions-messageparticipantiteratively.html",
        parameters=(param("Messages", required=True), param("InterruptFrequencySeconds", kind=SP, integers=(1, None))),
        errors=branches(GENERIC_ERRORS, expected={NO_MATCHING_ERROR}),
        conditions=Conditions.OPTIONAL,
        flow_types=frozenset({"customerQueue", "customerHold", "agentHold"}),
        # It loops over its messages until interrupted (Equals MessagesInterrupted) or the call moves on.
        needs_next_action=False,
    ),
    ActionSpec(
        "ShowView", "participant", "participant-actions-showview.html",
        parameters=(
            param("ViewResource", required=True, closed=True), param("ViewResource.Id", required=True, kind=SP),
            param("ViewResource.Version"),
            param("InvocationTimeLimitSeconds", kind=SP, integers=(1, None)),
            param("ViewData"),
            param("SensitiveDataConfiguration"),
        ),
        errors=branches(GENERIC_ERRORS | {"TimeLimitExceeded"}, expected={NO_MATCHING_ERROR}),
        conditions=Conditions.OPTIONAL,
        flow_types=frozenset({"contactFlow", "customerQueue"}), channels=frozenset({"CHAT"}),
    ),
    ActionSpec(
        "TransferParticipantToThirdParty", "participant", "participant-actions-transferparticipanttothirdparty.html",
        parameters=(
            param("ThirdPartyPhoneNumber"),
            param("ThirdPartyConnectionTimeoutSeconds", kind=SP, integers=(0, 600)),
            param("ThirdPartyConnectionTimeLimitSeconds", kind=SP, integers=(0, 600)),
            param("ContinueFlowExecution", kind=S, values=TRUE_FALSE),
            param("ThirdPartyDTMFDigits", kind=SP),
            param("CallerId", closed=True), param("CallerId.Number"), param("CallerId.Name"),
            param("VoiceConnector"),
        ),
        errors=branches(GENERIC_ERRORS | {"CallFailed", "ConnectionTimeLimitExceeded"}, expected={NO_MATCHING_ERROR}),
        channels=frozenset({"VOICE"}),
        note="the console writes ThirdPartyConnectionTimeLimitSeconds, the page ThirdPartyConnectionTimeoutSeconds: "
             "both accepted",
    ),
)

FLOW_CONTROL_ACTIONS = (
    ActionSpec(
        "Wait", "flow control", "flow-control-actions-wait.html",
        parameters=(
            param("TimeoutSeconds", kind=SP, integers=(1, 604_800)),
            param("TimeLimitSeconds", kind=SP, integers=(1, 604_800)),
            param("Events"),  # a list of event names
        ),
        errors=branches(GENERIC_ERRORS | {"ParticipantNotFound"}, expected={NO_MATCHING_ERROR}),
        conditions=Conditions.OPTIONAL, exhaustive=True,
        note="the console writes TimeLimitSeconds, the page TimeoutSeconds: both accepted",
    ),
    ActionSpec(
        "CheckHoursOfOperation", "flow control", "flow-control-actions-checkhoursofoperation.html",
        parameters=(param("HoursOfOperationId", kind=SP),),
        exact_conditions=frozenset({("Equals", "True"), ("Equals", "False")}), exhaustive=True,
        conditions=Conditions.OPTIONAL, flow_types=WITH_A_CALLER, silent=True,
    ),
    ActionSpec(
        "CheckMetricData", "flow control", "flow-control-actions-checkmetricdata.html",
        parameters=(param("MetricType", required=True, kind=S, values=AGENT_METRICS | QUEUE_METRICS), *QUEUE_OR_AGENT),
        choices=(ONE_QUEUE_OR_AGENT,),  # neither: the contact's target queue
        errors_of=_metric_error_branches, conditions=Conditions.OPTIONAL, flow_types=WITH_A_CALLER, silent=True,
        note="the page allows NoMatchingCondition only for queue metrics; the console's Check staffing block writes "
             "its False branch as NoMatchingCondition for agent metrics too, in flows AWS publishes and deploys: accepted",
    ),
    ActionSpec(
        "CheckOutboundCallStatus", "flow control", "flow-control-actions-checkoutboundcallstatus.html",
        conditions=Conditions.OPTIONAL, silent=True,
    ),
    ActionSpec(
        "CheckVoiceId", "flow control", "flow-control-actions-checkvoiceid.html",
        parameters=(param("CheckVoiceIdOption", kind=S, values=("enrollmentStatus", "voiceAuthentication", "fraudDetection")),),
        conditions=Conditions.OPTIONAL, channels=frozenset({"VOICE"}), silent=True,
    ),
    ActionSpec(
        "Compare", "flow control", "flow-control-actions-compare.html",
        parameters=(param("ComparisonValue", required=True, kind=P),),
        errors=branches({NO_MATCHING_CONDITION}, expected={NO_MATCHING_CONDITION}),
        conditions=Conditions.REQUIRED, silent=True,
    ),
    ActionSpec(
        "DistributeByPercentage", "flow control", "flow-control-actions-distributebypercentage.html",
        errors=branches(GENERIC_ERRORS, expected={NO_MATCHING_CONDITION}),
        conditions=Conditions.REQUIRED, silent=True,
    ),
    ActionSpec(
        "EndFlowExecution", "flow control", "flow-control-actions-endflowexecution.html",
        errors=NO_ERRORS, flow_types=WHISPER | {"customerQueue"}, terminal=True,
    ),
    ActionSpec(
        "GetMetricData", "flow control", "flow-control-actions-getmetricdata.html",
        # Neither QueueId nor AgentId: the contact's target queue. The metrics land on the flow run data.
        parameters=(*QUEUE_OR_AGENT, param("QueueChannel", kind=SP, values=("Voice", "Chat"))),
        choices=(ONE_QUEUE_OR_AGENT,), silent=True,
    ),
    ActionSpec(
        "Loop", "flow control", "flow-control-actions-loop.html",
        # AWS: "Must either be fully static or fully dynamic".
        parameters=(param("LoopCount", required=True, kind=SP, integers=(0, 100)),),
        errors=NO_ERRORS, conditions=Conditions.OPTIONAL, exhaustive=True,
        exact_conditions=frozenset({("Equals", "ContinueLooping"), ("Equals", "DoneLooping")}), silent=True,
    ),
    ActionSpec(
        "StartVoiceIdStream", "flow control", "flow-control-actions-startvoiceidstream.html",
        flow_types=NOT_HOLD, channels=VOICE, silent=True,
    ),
    ActionSpec(
        "TransferToFlow", "flow control", "flow-control-actions-transfertoflow.html",
        parameters=(param("ContactFlowId", required=True, kind=SP),), flow_types=INBOUND_AND_TRANSFER,
    ),
    ActionSpec(
        "UpdateFlowAttributes", "flow control", "flow-control-actions-updateflowattributes.html",
        parameters=(param("FlowAttributes", required=True),),
        errors=branches(GENERIC_ERRORS), silent=True, note=ERROR_BRANCH_FROM_THE_CONSOLE,
    ),
    ActionSpec(
        "UpdateFlowLoggingBehavior", "flow control", "flow-control-actions-updateflowloggingbehavior.html",
        parameters=(param("FlowLoggingBehavior", required=True, kind=S, values=("Enabled", "Disabled")),),
        errors=NO_ERRORS, silent=True,
    ),
    ActionSpec(
        "UpdateRoutingCriteria", "flow control", "flow-control-actions-updateroutingcriteria.html",
        conditions=Conditions.OPTIONAL,  # not yet verified against the page: not judged
        parameters=(param("RoutingCriteria", required=True),), silent=True,
    ),
)

CONTACT_ACTIONS = (
    ActionSpec(
        "CompleteOutboundCall", "contact", "contact-actions-completeoutboundcall.html",
        parameters=(
            param("CallerId", closed=True), param("CallerId.Number", kind=SP),
            param("VoiceConnector", closed=True),
            param("VoiceConnector.VoiceConnectorType", kind=S, values=("ChimeConnector",)),
            param("VoiceConnector.VoiceConnectorArn"), param("VoiceConnector.FromUser"), param("VoiceConnector.ToUser"),
            param("VoiceConnector.UserToUserInformation"),
            param("ConnectionTimeLimitSeconds", integers=(1, 600)),
        ),
        errors=branches(GENERIC_ERRORS), channels=VOICE, note=ERROR_BRANCH_NOT_REFUSED,
    ),
    ActionSpec(
        "CreateCase", "contact", "createcase.html",
        parameters=(param("LinkContactToCase"), param("CaseTemplateId", required=True, kind=SP), param("CaseRequestFields")),
        errors=CASE_ERRORS,
    ),
    ActionSpec(
        "CreateTask", "contact", "createtask.html",
        parameters=(
            param("ContactFlowId", kind=SP), param("Attributes"), param("Name"), param("Description"), param("References"),
            param("DelaySeconds", integers=(1, 518_400)), param("ScheduledTime"), param("TaskTemplateId", kind=S),
        ),
        choices=(Choice(("DelaySeconds", "ScheduledTime"), 0, 1),),
    ),
    ActionSpec(
        "CreateWisdomSession", "contact", "createwisdomsession.html",
        parameters=(param("WisdomAssistantArn", required=True, kind=SP),), channels=VOICE, silent=True,
    ),
    ActionSpec(
        "DequeueContactAndTransferToQueue", "contact", "contact-actions-dequeuecontactandtransfertoqueue.html",
        parameters=QUEUE_OR_AGENT, choices=(ONE_QUEUE_OR_AGENT,),
        errors=branches(GENERIC_ERRORS | {QUEUE_AT_CAPACITY}, expected={QUEUE_AT_CAPACITY, NO_MATCHING_ERROR}),
        flow_types=frozenset({"customerQueue"}),
    ),
    ActionSpec(
        "EndFlowModuleExecution", "contact", "endflowmoduleexecution.html",
        errors=NO_ERRORS, terminal=True, module_only=True,
    ),
    ActionSpec(
        "GetCase", "contact", "getcase.html",
        parameters=(param("LinkContactToCase"), param("GetLastUpdatedCase"), param("CustomerId"),
                    param("CaseRequestFields"), param("CaseResponseFields")),
        errors=CASE_ERRORS,
    ),
    ActionSpec(
        "InvokeFlowModule", "contact", "flow-language-actions-invoke-flow-module.html",
        parameters=(param("FlowModuleId", required=True, kind=SP),), flow_types=frozenset({"contactFlow"}),
    ),
    ActionSpec(
        # The admin guide's Resume contact block: tasks only; other channels take the Error branch.
        "ResumeContact", "contact", "contact-actions-updatecontactresumecontact.html", channels=TASK,
    ),
    ActionSpec(
        "StartOutboundChatContact", "contact", "contact-actions-startoutboundchatcontact.html",
        # The page's "currently only supports" values (SMS, a phone number ARN...) are not enforced: they grow.
        parameters=(
            param("SourceEndpoint", required=True, closed=True), param("SourceEndpoint.Address"), param("SourceEndpoint.Type"),
            param("DestinationEndpoint", required=True, closed=True), param("DestinationEndpoint.Address"),
            param("DestinationEndpoint.Type"),
            param("ContactFlowArn", required=True, kind=SP), param("ContactSubtype"),
            param("InitialSystemMessage", closed=True), param("InitialSystemMessage.Content"),
            param("RelatedContact"),
        ),
    ),
    ActionSpec(
        "TagContact", "contact", "contact-actions-tagcontact.html",
        parameters=(param("Tags", required=True),), errors=branches(GENERIC_ERRORS), silent=True,
        note=ERROR_BRANCH_NOT_REFUSED,
    ),
    ActionSpec(
        "TransferContactToAgent", "contact", "contact-actions-transfercontacttoagent.html",
        errors=branches(GENERIC_ERRORS), flow_types=frozenset({"agentTransfer", "queueTransfer"}),
        channels=VOICE, note=ERROR_BRANCH_NOT_REFUSED,
    ),
    ActionSpec(
        "TransferContactToQueue", "contact", "contact-actions-transfercontacttoqueue.html",
        errors=branches(GENERIC_ERRORS | {QUEUE_AT_CAPACITY}, expected={QUEUE_AT_CAPACITY, NO_MATCHING_ERROR}),
        flow_types=INBOUND_AND_TRANSFER,
    ),
    ActionSpec(
        "UnTagContact", "contact", "contact-actions-untagcontact.html",
        parameters=(param("TagKeys", required=True),), silent=True,  # a list of keys, each static
    ),
    ActionSpec(
        "UpdateCase", "contact", "updatecase.html",
        parameters=(param("LinkContactToCase"), param("CaseId", kind=SP), param("CaseRequestFields")),
        errors=branches(GENERIC_ERRORS | {"ContactNotLinked"}, expected={NO_MATCHING_ERROR}),
    ),
    ActionSpec(
        "UpdateContactAttributes", "contact", "contact-actions-updatecontactattributes.html",
        parameters=(param("Attributes", required=True), param("TargetContact", kind=S, values=("Current", "Related"))),
        silent=True,
    ),
    ActionSpec(
        "UpdateContactCallbackNumber", "contact", "contact-actions-updatecontactcallbacknumber.html",
        parameters=(param("CallbackNumber", required=True, kind=P),),
        errors=branches(GENERIC_ERRORS | {"InvalidCallbackNumber", "CallbackNumberNotDialable"},
                        expected={"InvalidCallbackNumber", "CallbackNumberNotDialable"}),
        flow_types=WITH_A_CALLER,
    ),
    ActionSpec(
        "UpdateContactData", "contact", "contact-actions-updatecontactdata.html",
        parameters=(
            param("Name"), param("Description"), param("LanguageCode"), param("CustomerId"), param("References"),
            param("TargetContact", kind=S, values=("Current", "Related")), param("WisdomSessionArn"),
            param("IsVoiceIdStreamingEnabled"), param("IsVoiceAuthenticationEnabled"), param("IsFraudDetectionEnabled"),
            param("VoiceAuthenticationThreshold"), param("VoiceAuthenticationResponseTime"),
            param("FraudDetectionThreshold"), param("FraudDetectionWatchlistId"),
        ),
        silent=True,
    ),
    ActionSpec(
        "UpdateContactEventHooks", "contact", "contact-actions-updatecontacteventhooks.html",
        parameters=(
            param("EventHooks", required=True, closed=True),
            *(param(f"EventHooks.{hook}", kind=SP) for hook in (
                "AgentHold", "AgentWhisper", "CustomerHold", "CustomerQueue", "CustomerRemaining", "CustomerWhisper",
                "DefaultAgentUI", "DisconnectAgentUI", "PauseContact", "ResumeContact")),
            param("EventHooksConfiguration"),
        ),
        silent=True, note="EventHooksConfiguration: written by the console beside EventHooks",
    ),
    ActionSpec(
        "UpdateContactMediaProcessing", "contact", "contact-actions-updatecontactmediaprocessing.html",
        guide=DEVELOPER_GUIDE,
        parameters=(
            param("ChatProcessor", required=True, closed=True),
            param("ChatProcessor.ProcessingEnabled", kind=S, values=TRUE_FALSE),
            param("ChatProcessor.LambdaProcessorARN", kind=S),
            param("ChatProcessor.ChatProcessorSettings", closed=True),
            param("ChatProcessor.ChatProcessorSettings.DeliverUnprocessedMessages", kind=S, values=TRUE_FALSE),
        ),
        # "NoMatchingError ... Must always be defined"; ChannelMismatch: a contact not on chat.
        errors=branches(GENERIC_ERRORS | {CHANNEL_MISMATCH}, required={NO_MATCHING_ERROR}, expected={CHANNEL_MISMATCH}),
        channels=CHAT, silent=True,
    ),
    ActionSpec(
        "UpdateContactMediaStreamingBehavior", "contact", "contact-actions-updatecontactmediastreamingbehavior.html",
        parameters=(
            param("MediaStreamingState", required=True, kind=S, values=("Enabled", "Disabled")),
            param("Participants"),
            param("MediaStreamType", kind=S, values=("Audio",)),
        ),
        flow_types=NOT_HOLD, channels=frozenset({"VOICE"}), silent=True,
    ),
    ActionSpec(
        "UpdateContactRecordingAndAnalyticsBehavior", "contact",
        "contact-actions-updatecontactrecordingandanalyticsbehavior.html", guide=DEVELOPER_GUIDE,
        parameters=(
            param("VoiceBehavior", closed=True),
            param("VoiceBehavior.VoiceRecordingBehavior", closed=True),
            param("VoiceBehavior.VoiceRecordingBehavior.RecordedParticipants"),
            param("VoiceBehavior.VoiceRecordingBehavior.IVRRecordingBehavior", kind=S, values=("Enabled", "Disabled")),
            param("VoiceBehavior.VoiceAnalyticsBehavior", closed=True),
            param("VoiceBehavior.VoiceAnalyticsBehavior.Enabled", kind=S, values=TRUE_FALSE),
            param("VoiceBehavior.VoiceAnalyticsBehavior.AnalyticsLanguage", kind=S),
            *(param(f"VoiceBehavior.VoiceAnalyticsBehavior.{name}") for name in ANALYTICS_SETTINGS),
            param("ChatBehavior", closed=True),
            param("ChatBehavior.ChatAnalyticsBehavior", closed=True),
            param("ChatBehavior.ChatAnalyticsBehavior.Enabled", kind=S, values=TRUE_FALSE),
            param("ChatBehavior.ChatAnalyticsBehavior.AnalyticsLanguage", kind=SP),
            param("ChatBehavior.ChatAnalyticsBehavior.InFlightChatRedactionConfiguration"),
            *(param(f"ChatBehavior.ChatAnalyticsBehavior.{name}") for name in ANALYTICS_SETTINGS),
            param("ScreenRecordingBehavior", closed=True),
            param("ScreenRecordingBehavior.ScreenRecordedParticipants"),
        ),
        # "Only ONE of the following channel behavior objects"; screen recording goes beside either.
        choices=(Choice(("VoiceBehavior", "ChatBehavior"), 0, 1),),
        errors_of=_recording_and_analytics_error_branches, silent=True,
    ),
    ActionSpec(
        "UpdateContactRecordingBehavior", "contact", "contact-actions-updatecontactrecordingbehavior.html",
        parameters=(
            param("RecordingBehavior", required=True, closed=True),
            param("RecordingBehavior.RecordedParticipants"), param("RecordingBehavior.ScreenRecordedParticipants"),
            param("RecordingBehavior.IVRRecordingBehavior"),
            param("AnalyticsBehavior"),
        ),
        errors=NO_ERRORS, flow_types=WITH_A_CALLER | {"outboundWhisper"}, silent=True,
    ),
    ActionSpec(
        "UpdateContactRoutingBehavior", "contact", "contact-actions-updatecontactroutingbehavior.html",
        parameters=(param("QueuePriority", kind=S, integers=(1, None)),
                    param("QueueTimeAdjustmentSeconds", kind=S, integers=(-(2**31), None))),
        choices=(Choice(("QueuePriority", "QueueTimeAdjustmentSeconds"), 0, 1),),
        errors=NO_ERRORS, flow_types=frozenset({"contactFlow"}), silent=True,
    ),
    ActionSpec(
        "UpdateContactTargetQueue", "contact", "contact-actions-updatecontacttargetqueue.html",
        parameters=QUEUE_OR_AGENT, choices=(Choice(("QueueId", "AgentId"), 1, 1),),
        flow_types=INBOUND_AND_TRANSFER, silent=True,
    ),
    ActionSpec(
        "UpdateContactTextToSpeechVoice", "contact", "contact-actions-updatecontacttexttospeechvoice.html",
        parameters=(param("TextToSpeechVoice", required=True), param("TextToSpeechEngine"), param("TextToSpeechStyle")),
        silent=True,
        note="the page now says NoMatchingError must always be defined; older exports, which Connect deployed, have "
             "no Errors: the branch is expected (a warning), not required",
    ),
    ActionSpec(
        "UpdatePreviousContactParticipantState", "contact", "contact-actions-updatepreviouscontactparticipantstate.html",
        parameters=(param("PreviousContactParticipantState", required=True, kind=S,
                          values=("AgentOnHold", "CustomerOnHold", "OffHold")),),
        flow_types=INBOUND_AND_TRANSFER, channels=frozenset({"VOICE"}), silent=True,
    ),
)

INTERACTIONS = (
    ActionSpec(
        "AssociateContactToCustomerProfile", "interaction", "interactions-associatecontacttocustomerprofile.html",
        parameters=(
            param("ProfileRequestData", required=True, closed=True),
            param("ProfileRequestData.ProfileId", required=True), param("ProfileRequestData.ContactId", required=True),
            param("ProfileResponseData"),
        ),
    ),
    ActionSpec(
        "CreateCallbackContact", "interaction", "interactions-createcallbackcontact.html",
        parameters=(
            *QUEUE_OR_AGENT,
            param("InitialCallDelaySeconds", required=True, kind=S, integers=(1, 259_200)),
            param("MaximumConnectionAttempts", required=True, kind=S, integers=(0, None)),
            param("RetryDelaySeconds", required=True, kind=S, integers=(1, 259_200)),
            param("ContactFlowId", kind=SP),
        ),
        choices=(ONE_QUEUE_OR_AGENT,), flow_types=WITH_A_CALLER,
        note='MaximumConnectionAttempts: the page says larger than zero; the console\'s block counts retries and '
             'exports "0" (no retry), which Connect accepts',
    ),
    ActionSpec(
        # The new profile's ID is $.Customer.ProfileId; the page lists only NoMatchingError.
        "CreateCustomerProfile", "interaction", "interactions-createcustomerprofile.html", parameters=PROFILE_DATA,
    ),
    ActionSpec(
        "GetCalculatedAttributesForCustomerProfile", "interaction",
        "interactions-getcalculatedattributesforcustomerprofile.html",
        parameters=(
            param("ProfileRequestData", required=True, closed=True), param("ProfileRequestData.ProfileId", required=True),
            param("ProfileResponseData"),
        ),
        errors=branches(GENERIC_ERRORS | {NONE_FOUND_ERROR}, expected={NO_MATCHING_ERROR}),
    ),
    ActionSpec(
        "GetCustomerProfile", "interaction", "interactions-getcustomerprofile.html",
        parameters=PROFILE_DATA, errors=PROFILE_ERRORS,
    ),
    ActionSpec(
        "GetCustomerProfileObject", "interaction", "interactions-getcustomerprofileobject.html",
        parameters=(
            param("ProfileRequestData", required=True, closed=True),
            param("ProfileRequestData.ProfileId", required=True), param("ProfileRequestData.ObjectType", required=True),
            param("ProfileRequestData.IdentifierName"), param("ProfileRequestData.IdentifierValue"),
            param("ProfileRequestData.UseLatest"),
            param("ProfileResponseData"),
        ),
        errors=PROFILE_ERRORS, conditions=Conditions.OPTIONAL,  # not yet verified against the page: not judged
    ),
    ActionSpec(
        "InvokeLambdaFunction", "interaction", "interactions-invokelambdafunction.html",
        parameters=(
            param("LambdaFunctionARN", required=True, kind=SP),
            param("InvocationTimeLimitSeconds", required=True, kind=S),  # range: the lambda-time-limit rule
            param("InvocationType", kind=S, values=("SYNCHRONOUS", "ASYNCHRONOUS")),
            param("LambdaInvocationAttributes"),
            param("ResponseValidation", closed=True),
            param("ResponseValidation.ResponseType", kind=S, values=("STRING_MAP", "JSON")),
        ),
    ),
    ActionSpec(
        # The profile created or retrieved earlier in the flow; the page lists only NoMatchingError.
        "UpdateCustomerProfile", "interaction", "interactions-updatecustomerprofile.html", parameters=PROFILE_DATA,
    ),
)

ENTRIES: tuple[ActionSpec, ...] = (*PARTICIPANT_ACTIONS, *FLOW_CONTROL_ACTIONS, *CONTACT_ACTIONS, *INTERACTIONS)
