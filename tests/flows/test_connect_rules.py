"""One minimal broken flow per flow-language rule, with the exact problem it reports.

Each case names the rule, the flow, and every (action, message) that rule reports for it.
tests/flows/test_rule_coverage.py checks that every rule of the table has a case here or in
test_caller_experience.py.
"""
from __future__ import annotations

import json

import pytest

from flow_language import DOCUMENT, load_flow, validate_flow
from tests.flows.builders import (
    CUSTOM,
    END,
    GOODBYE,
    action,
    case,
    compare,
    findings,
    flow,
    flow_with,
    lambda_invoke,
    menu,
    message,
    rules_hit,
    stored_input,
)


def without(document: dict, key: str) -> dict:
    return {k: v for k, v in document.items() if k != key}


UUID = "4f9d3c1e-7b2a-4c55-9e10-2b8f6a1d0c33"
TOO_LONG = "x" * 51
# A chat message whose text is an interactive-message document: JSON, closing with "}}}".
CHAT_LIST_PICKER = json.dumps({"templateType": "ListPicker", "version": "1.0", "data": {"content": {
    "title": "What can we help with?", "elements": [{"title": "Order status"}, {"title": "Billing"}]}}})
LONG_FLOW = flow_with(message("long", "x" * 256_000))


def of_flow_type(document: dict, kind: str) -> dict:
    return {**document, "Metadata": {**document["Metadata"], "type": kind}}


MODULE_RETURN = {"Identifier": "back", "Type": "EndFlowModuleExecution", "Parameters": {}, "Transitions": {}}
QUEUE_TO_QUEUE = action("move", "DequeueContactAndTransferToQueue", {"QueueId": "{{general_queue_arn}}"},
                        errors=("QueueAtCapacity", "NoMatchingError"))


def _raw_actions_flow(*raw) -> dict:
    document = flow_with()
    document["Actions"] = [*document["Actions"], *raw]
    return document


def _with_operands(document: dict, operands: list) -> dict:
    document["Transitions"]["Conditions"][0]["Condition"]["Operands"] = operands
    return document


CASES = [
    # --- document and action shape
    case("document-shape", without(flow_with(), "Version"),
         (DOCUMENT, "the flow has no Version; a flow needs Version, StartAction and Actions"), id="no-version"),
    case("document-shape", {**flow_with(), "Actions": {}},
         (DOCUMENT, "Actions must be a list of actions, not an object"), id="actions-not-list"),
    case("document-shape", {**flow_with(), "Metadata": []},
         (DOCUMENT, "Metadata must be an object, not a list"), id="metadata-not-object"),
    case("action-shape", _raw_actions_flow("oops"),
         ("Actions[3]", "Actions[3] must be an action object, not a string"), id="action-not-object"),
    case("action-shape", _raw_actions_flow({"Identifier": "x", "Type": "MessageParticipant", "Parameters": {"Text": "Hi"}}),
         ("x", 'the action has no Transitions; a terminal action has "Transitions": {}'), id="no-transitions"),
    case("action-shape", _raw_actions_flow({"Identifier": "x", "Transitions": {"Errors": {}}}),
         ("x", "the action has no Type"), ("x", "Errors must be a list, not an object"), id="no-type-errors-not-list"),
    case("action-shape", _raw_actions_flow({"Type": "DisconnectParticipant", "Transitions": {}}),
         ("Actions[3]", "the action has no Identifier"), id="no-identifier"),
    case("action-shape", _raw_actions_flow({"Identifier": "x", "Type": "DisconnectParticipant",
                                            "Transitions": {"Conditions": [{"NextAction": "end"}]}}),
         ("x", "Conditions[0] needs a Condition object with Operator and Operands"), id="condition-entry"),
    case("version", {**flow_with(), "Version": "2020-01-01"},
         (DOCUMENT, 'Version is "2020-01-01"; the flow language has one version, "2019-10-30"'), id="version"),
    case("action-count", flow_with(*[message(f"m{i}") for i in range(248)]),
         (DOCUMENT, "the flow has 251 actions; Connect allows at most 250: move a part into a flow module or another flow"),
         id="251-actions"),
    case("content-size", LONG_FLOW,
         (DOCUMENT, f"the flow is {len(json.dumps(LONG_FLOW, separators=(',', ':'))):,} characters even as compact JSON; "
                    "a flow's Content is at most 256,000: shorten prompts or split the flow"), id="content-too-long"),
    case("content-size", flow_with(message("long", "x" * 255_000)), id="content-fits"),
    # --- identifiers and transitions
    case("identifier", flow_with(message(TOO_LONG)),
         (TOO_LONG, "Identifier is 51 characters long; Connect allows 1 to 50"), id="identifier-too-long"),
    case("identifier", flow_with(message("")),
         ("Actions[1]", "Identifier is 0 characters long; Connect allows 1 to 50"), id="identifier-empty"),
    case("identifier", flow_with(message("step:1")),
         ("step:1", "Identifier contains :; Connect refuses any of $ % ( ) , / : ; = [ \\ ] { } in an Identifier"),
         id="identifier-character"),
    case("identifier", flow_with(message("constructor")),
         ("constructor", 'Identifier "constructor" is a name Connect reserves; choose another'), id="identifier-reserved"),
    case("identifier-unique", flow_with(message("hello"), message("hello")),
         ("hello", "2 actions share this Identifier (Actions[1] and Actions[2]); each action needs its own"),
         id="duplicate-identifier"),
    case("start-action", {**flow_with(), "StartAction": "nowhere"},
         (DOCUMENT, 'StartAction "nowhere" is not the Identifier of any action'), id="start-action"),
    case("next-action", flow_with(message("hello", next_action="nowhere")),
         ("hello", 'NextAction leads to "nowhere", which is not the Identifier of any action'), id="next-action"),
    case("next-action", flow_with(menu("menu", keys=("1", "0"))),
         id="menu-branches-resolve"),
    case("next-action", flow_with(lambda_invoke(errors=[("NoMatchingError", "sorry")])),
         ("lookup", 'error NoMatchingError leads to "sorry", which is not the Identifier of any action'), id="error-target"),
    case("next-action", flow_with(compare(conditions=[("Equals", "1", "gone")])),
         ("cmp", 'condition Equals 1 leads to "gone", which is not the Identifier of any action'), id="condition-target"),
    case("terminal", flow_with({"Identifier": "hang_up", "Type": "DisconnectParticipant", "Parameters": {},
                                "Transitions": {"NextAction": GOODBYE}}),
         ("hang_up", "DisconnectParticipant ends the flow, so its Transitions must be {}; remove NextAction"), id="terminal"),
    case("terminal", flow_with({"Identifier": "back", "Type": "EndFlowModuleExecution", "Parameters": {},
                                "Transitions": {"NextAction": GOODBYE, "Errors": []}}),
         ("back", "EndFlowModuleExecution ends the flow, so its Transitions must be {}; remove NextAction"),
         id="terminal-module-return"),
    case("flow-type", of_flow_type(flow_with(action("queue", "TransferContactToQueue", errors=("QueueAtCapacity", "NoMatchingError"))),
                                   "customerQueue"),
         ("queue", "TransferContactToQueue cannot run in a flow of type customerQueue (Metadata.type), only in agentTransfer, "
                   "contactFlow or queueTransfer flows; DequeueContactAndTransferToQueue (with the QueueId) moves a "
                   "waiting caller to another queue"), id="flow-type-transfer-in-queue-flow"),
    case("flow-type", of_flow_type(flow_with(QUEUE_TO_QUEUE), "contactFlow"),
         ("move", "DequeueContactAndTransferToQueue cannot run in a flow of type contactFlow (Metadata.type), only in "
                  "customerQueue flows"), id="flow-type-dequeue-in-inbound-flow"),
    case("flow-type", of_flow_type(flow_with(MODULE_RETURN), "contactFlow"),
         ("back", "EndFlowModuleExecution returns from a flow module, and this file is a flow (its Metadata.type names "
                  "a flow type); a module has top-level Settings and no flow type"), id="flow-type-module-return-in-a-flow"),
    case("flow-type", flow(message("hello", next_action="back"), MODULE_RETURN), id="flow-type-module-returns", module=True),
    case("flow-type", of_flow_type(flow_with(), "agentWhisper"),
         (END, "DisconnectParticipant cannot run in a flow of type agentWhisper (Metadata.type), only in agentTransfer, contactFlow, "
               "customerQueue or queueTransfer flows"), id="flow-type-disconnect-in-whisper"),
    case("flow-type", of_flow_type(flow_with(), ["contactFlow"]),
         (DOCUMENT, 'Metadata.type ["contactFlow"] is not a flow type; expected one of agentHold, agentTransfer, agentWhisper, '
                    "contactFlow, customerHold, customerQueue, customerWhisper, outboundWhisper or queueTransfer"),
         id="flow-type-not-a-string"),
    case("flow-type", of_flow_type(flow_with(), "inboundFlow"),
         (DOCUMENT, 'Metadata.type "inboundFlow" is not a flow type; expected one of agentHold, agentTransfer, agentWhisper, '
                    "contactFlow, customerHold, customerQueue, customerWhisper, outboundWhisper or queueTransfer"),
         id="flow-type-unknown"),
    case("missing-next-action", flow_with(action("set", "UpdateContactAttributes", {"Attributes": {"a": "b"}}, next_action=None)),
         ("set", "UpdateContactAttributes has no NextAction: the flow would stop here without ending the contact; "
                 "add the action to run next"), id="missing-next-action"),
    case("missing-next-action", flow_with(action("wait", "Wait", {"TimeoutSeconds": "5"}, next_action=None,
                                                 conditions=[("Equals", "WaitCompleted")])),
         id="wait-needs-no-next-action"),
    # --- error branches
    case("error-types", flow_with(compare(errors=("NoMatchingCondition", "NoMatchingError"))),
         ("cmp", "Compare cannot raise NoMatchingError; its error branches are NoMatchingCondition"), id="compare-error"),
    case("error-types", flow_with(stored_input(InputValidation=CUSTOM, errors=("NoMatchingError", "InputTimeLimitExceeded"))),
         ("order_id", 'GetParticipantInput with StoreInput "True" cannot raise InputTimeLimitExceeded; '
                      "its error branches are NoMatchingError"), id="stored-input-error"),
    case("error-types", flow_with(action("loop", "Loop", {"LoopCount": "2"}, next_action=None,
                                         conditions=[("Equals", "ContinueLooping", GOODBYE), ("Equals", "DoneLooping")])),
         ("loop", "Loop has no error branches; remove the NoMatchingError entry"), id="loop-error"),
    case("required-error-branch", flow_with(menu("menu") | {"Transitions": {
        **menu("menu")["Transitions"],
        "Errors": [{"ErrorType": "InputTimeLimitExceeded", "NextAction": GOODBYE},
                   {"ErrorType": "NoMatchingCondition", "NextAction": GOODBYE}]}}),
         ("menu", "GetParticipantInput must have an error branch for NoMatchingError"), id="input-no-matching-error"),
    case("duplicate-branch", flow_with(lambda_invoke(errors=("NoMatchingError", "NoMatchingError"))),
         ("lookup", "NoMatchingError is listed twice in Errors; only the first entry can ever run"), id="error-twice"),
    case("duplicate-branch", flow_with(compare(conditions=[("Equals", "1"), ("Equals", "1")])),
         ("cmp", "condition Equals 1 is listed twice; only the first one can ever match"), id="condition-twice"),
    # --- conditions
    case("conditions", flow_with(action("set", "UpdateContactAttributes", {"Attributes": {"a": "b"}},
                                        conditions=[("Equals", "x")])),
         ("set", "UpdateContactAttributes takes no Conditions; branch with a Compare action after it"), id="takes-none"),
    case("conditions", flow_with(compare(conditions=())),
         ("cmp", "Compare needs at least one condition"), id="compare-needs-one"),
    case("conditions", flow_with(compare(conditions=[("Equals", str(n)) for n in range(51)])),
         ("cmp", "51 conditions; Connect allows at most 50 on one action"), id="too-many"),
    case("condition-operator", flow_with(compare(conditions=[("Matches", "1")])),
         ("cmp", 'Conditions[0] uses operator "Matches", which the flow language does not have; use Equals, '
                 "NumberGreaterOrEqualTo, NumberGreaterThan, NumberLessOrEqualTo, NumberLessThan, TextContains, "
                 "TextEndsWith or TextStartsWith"), id="unknown-operator"),
    case("condition-operator", flow_with(_with_operands(compare(), ["1", "2"])),
         ("cmp", 'Conditions[0] needs exactly one string operand, not ["1", "2"]'), id="two-operands"),
    case("condition-operator", flow_with(_with_operands(compare(), [])),
         ("cmp", "Conditions[0] needs exactly one string operand, not []"), id="no-operand"),
    case("number-operand", flow_with(compare(conditions=[("NumberGreaterThan", "ten")])),
         ("cmp", 'NumberGreaterThan compares numbers, and "ten" is not one: the condition is never true'), id="number-operand"),
    case("condition-set", flow_with(action("hours", "CheckHoursOfOperation", {}, next_action=None,
                                           conditions=[("Equals", "True")])),
         ("hours", "CheckHoursOfOperation needs exactly the conditions Equals True and Equals False: missing Equals False"),
         id="hours-missing-false"),
    case("condition-set", flow_with(action("loop", "Loop", {"LoopCount": "2"}, next_action=None, errors=(),
                                           conditions=[("Equals", "ContinueLooping", GOODBYE), ("Equals", "DoneLooping"),
                                                       ("Equals", "Again")])),
         ("loop", "Loop needs exactly the conditions Equals DoneLooping and Equals ContinueLooping: unexpected Equals Again"),
         id="loop-extra"),
    case("input-conditions", flow_with(stored_input(InputValidation=CUSTOM, conditions=[("Equals", "1")])),
         ("order_id", 'Conditions are only for StoreInput "False"; to branch on stored input, compare '
                      "$.StoredCustomerInput in a Compare action"), id="stored-input-conditions"),
    case("input-conditions", flow_with(menu("menu", keys=("0",))),
         id="menu-ok"),
    case("input-conditions", flow_with(action("menu", "GetParticipantInput",
                                              {"Text": "Press 1.", "StoreInput": "False", "InputTimeLimitSeconds": "5"},
                                              errors=("InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"),
                                              conditions=[("TextContains", "1"), ("Equals", "12")])),
         ("menu", "menu condition TextContains 1 must use Equals: the caller presses one key"),
         ("menu", 'menu condition Equals "12" can never match: the caller presses one key, 0-9, * or #'), id="menu-keys"),
    case("metric-conditions", flow_with(action("agents", "CheckMetricData", {"MetricType": "NumberOfAgentsAvailable"},
                                               conditions=[("NumberGreaterThan", "2")])),
         ("agents", "with MetricType NumberOfAgentsAvailable the only condition Connect supports is NumberGreaterThan 0, "
                    "not NumberGreaterThan 2"), id="agent-metric"),
    case("metric-conditions", flow_with(action("oldest", "CheckMetricData", {"MetricType": "OldestContactInQueueAgeSeconds"},
                                               errors=("NoMatchingError", "NoMatchingCondition"),
                                               conditions=[("TextContains", "2")])),
         ("oldest", "with MetricType OldestContactInQueueAgeSeconds conditions use Equals or a Number operator, "
                    "not TextContains"), id="queue-metric"),
    case("distribution", flow_with(action("split", "DistributeByPercentage", {}, errors=("NoMatchingCondition",),
                                          conditions=[("NumberLessThan", "60"), ("NumberLessThan", "40")])),
         ("split", "threshold 40 must be above the previous one (60) and at most 100: thresholds are cumulative percentages"),
         id="thresholds-fall"),
    case("distribution", flow_with(action("split", "DistributeByPercentage", {}, errors=("NoMatchingCondition",),
                                          conditions=[("NumberGreaterThan", "60")])),
         ("split", "condition NumberGreaterThan 60: a split is NumberLessThan a cumulative percentage (for 40/60: 40, then 100)"),
         id="split-operator"),
    # --- parameters
    case("parameter-required", flow_with(action("lookup", "InvokeLambdaFunction",
                                                {"LambdaFunctionARN": "{{order_status_lambda_arn}}"})),
         ("lookup", "InvokeLambdaFunction needs the parameter InvocationTimeLimitSeconds"), id="required"),
    case("parameter-choice", flow_with(action("hello", "MessageParticipant", {"Text": "Hi", "SSML": "<speak>Hi</speak>"})),
         ("hello", "MessageParticipant takes exactly one of Text, SSML, PromptId or Media; it has Text and SSML"),
         id="two-prompts"),
    case("parameter-choice", flow_with(action("queue", "UpdateContactTargetQueue", {})),
         ("queue", "UpdateContactTargetQueue takes exactly one of QueueId or AgentId; it has none"), id="no-queue"),
    case("parameter-kind", flow_with(menu("menu", InputTimeLimitSeconds="$.Attributes.timeout")),
         ("menu", 'InputTimeLimitSeconds must be static: Connect does not read "$.Attributes.timeout" at run time'),
         id="static"),
    case("parameter-kind", flow_with(compare(value="choice")),
         ("cmp", 'ComparisonValue must be one JSONPath such as $.Attributes.orderId, not "choice"'), id="jsonpath"),
    case("parameter-kind", flow_with(action("to_flow", "TransferToFlow", {"ContactFlowId": "flow-$.Attributes.next"})),
         ("to_flow", "ContactFlowId must be static or one whole JSONPath such as $.Attributes.x, not text around one: "
                     '"flow-$.Attributes.next"'), id="static-or-jsonpath"),
    case("parameter-kind", flow_with(lambda_invoke(InvocationTimeLimitSeconds=["4"])),
         ("lookup", "InvocationTimeLimitSeconds must be a single value, not a list"), id="single-value"),
    case("parameter-value", flow_with(stored_input(StoreInput="Yes")),
         ("order_id", 'StoreInput must be "False" or "True", not "Yes"'), id="store-input-value"),
    case("parameter-value", flow_with(action("loop", "Loop", {"LoopCount": "101"}, next_action=None, errors=(),
                                             conditions=[("Equals", "ContinueLooping", GOODBYE), ("Equals", "DoneLooping")])),
         ("loop", 'LoopCount must be a whole number from 0 to 100, not "101"'), id="loop-count"),
    case("parameter-value", flow_with(menu("menu", InputTimeLimitSeconds="0")),
         ("menu", 'InputTimeLimitSeconds must be a whole number of 1 or more, not "0"'), id="input-time-limit"),
    case("lambda-time-limit", flow_with(lambda_invoke(InvocationTimeLimitSeconds="9")),
         ("lookup", 'InvocationTimeLimitSeconds must be a whole number of seconds from 1 to 8 for a synchronous call, '
                    'not "9"'), id="sync-9"),
    case("lambda-time-limit", flow_with(lambda_invoke(InvocationTimeLimitSeconds="0")),
         ("lookup", 'InvocationTimeLimitSeconds must be a whole number of seconds from 1 to 8 for a synchronous call, '
                    'not "0"'), id="sync-0"),
    case("lambda-time-limit", flow_with(lambda_invoke(InvocationTimeLimitSeconds="61", InvocationType="ASYNCHRONOUS")),
         ("lookup", 'InvocationTimeLimitSeconds must be a whole number of seconds from 1 to 60 for an asynchronous call, '
                    'not "61"'), id="async-61"),
    case("lambda-time-limit", flow_with(lambda_invoke(InvocationTimeLimitSeconds="30", InvocationType="ASYNCHRONOUS")),
         id="async-30-ok"),
    case("input-validation", flow_with(stored_input()),
         ("order_id", 'StoreInput "True" needs InputValidation with PhoneNumberValidation or CustomValidation'),
         id="stored-needs-validation"),
    case("input-validation", flow_with(menu("menu", InputValidation=CUSTOM)),
         ("menu", 'InputValidation is only for StoreInput "True"; remove it, or store the input'), id="menu-no-validation"),
    case("input-validation", flow_with(stored_input(InputValidation={"PhoneNumberValidation": {"NumberFormat": "Local"}},
                                                    errors=("NoMatchingError", "InvalidPhoneNumber"))),
         ("order_id", 'InputValidation.PhoneNumberValidation with NumberFormat "Local" needs a CountryCode'),
         id="local-needs-country"),
    case("input-validation", flow_with(stored_input(InputValidation={**CUSTOM, "PhoneNumberValidation": {}})),
         ("order_id", "InputValidation takes exactly one of PhoneNumberValidation or CustomValidation"), id="both-kinds"),
    case("input-validation", flow_with(stored_input(
        InputValidation={"PhoneNumberValidation": {"NumberFormat": "E164"}},
        InputEncryption={"EncryptionKeyId": "key", "Key": "-----BEGIN CERTIFICATE-----"},
        errors=("NoMatchingError", "InvalidPhoneNumber"))),
         ("order_id", "InputEncryption works only with InputValidation.CustomValidation"), id="encryption-needs-custom"),
    case("input-validation", flow_with(stored_input(InputValidation=CUSTOM, InputEncryption={"EncryptionKeyId": "", "Key": ""})),
         ("order_id", "InputEncryption.EncryptionKeyId and .Key are empty: Connect encrypts the input with the certificate "
                      "in Key, whose public key the instance holds as security key EncryptionKeyId"), id="encryption-empty"),
    case("attributes-map", flow_with(action("set", "UpdateContactAttributes", {"Attributes": {"retries": 3}})),
         ("set", "Attributes.retries must be a string (contact attributes are text), not a number"), id="attribute-value"),
    case("attributes-map", flow_with(lambda_invoke(LambdaInvocationAttributes=["order_id"])),
         ("lookup", "LambdaInvocationAttributes must be an object of names to strings, not a list"), id="invocation-map"),
    # --- placeholders, literal ids, reachability, types
    case("placeholder", flow_with(message("hello", "Hi {{ first name }}")),
         ("hello", 'malformed placeholder in Parameters.Text: "Hi {{ first name }}"; write {{name}} with letters, '
                   "digits and underscores"), id="malformed"),
    case("placeholder", flow_with(lambda_invoke(LambdaFunctionARN="{{ lambda:x }")),
         ("lookup", 'malformed placeholder in Parameters.LambdaFunctionARN: "{{ lambda:x }"; write {{name}} with '
                    "letters, digits and underscores"), id="malformed-unclosed"),
    case("placeholder", flow_with(message("hello", "See {website}} or {{website} for our hours.")),
         ("hello", 'malformed placeholder in Parameters.Text: "See {website}} or {{website} for our hours."; write '
                   "{{name}} with letters, digits and underscores"), id="malformed-one-brace-short"),
    case("placeholder", flow_with(message("hello", "Call us on {{support_line")),
         ("hello", 'malformed placeholder in Parameters.Text: "Call us on {{support_line"; write {{name}} with '
                   "letters, digits and underscores"), id="malformed-never-closed"),
    # Braces that are not around a name are someone else's text, not a placeholder of ours.
    case("placeholder", flow_with(message("card", CHAT_LIST_PICKER)), id="json-in-a-chat-message"),
    case("placeholder", flow_with(message("hello", "{{#if vip}}Welcome back{{/if}} {{> footer}} {{ name | upper }}")),
         id="another-tools-template-in-a-prompt"),
    case("placeholder", flow_with(message("hello", 'Your code is {"pin": {"digits": 4}} for {{website}}.')),
         id="json-beside-a-placeholder"),
    case("placeholder", flow_with(lambda_invoke()),
         ("lookup", "placeholder {{order_status_lambda_arn}} in Parameters.LambdaFunctionARN was not filled: "
                    "the deploy mapping has no value for order_status_lambda_arn"),
         id="unfilled-in-rendered-flow", placeholders_allowed=False),
    case("placeholder", flow_with(lambda_invoke()), id="allowed-in-source"),
    case("literal-resource-id", flow_with(lambda_invoke(LambdaFunctionARN="arn:aws:lambda:eu-west-1:123456789012:function:x")),
         ("lookup", 'literal ARN in Parameters.LambdaFunctionARN: "arn:aws:lambda:eu-west-1:123456789012:function:x"; '
                    "a flow file deploys unchanged into any instance: use a {{placeholder}} the deploy mapping fills"),
         id="arn"),
    case("literal-resource-id", flow_with(action("set", "UpdateContactAttributes", {"Attributes": {"account": "123456789012"}})),
         ("set", 'literal AWS account id in Parameters.Attributes.account: "123456789012"; a flow file deploys '
                 "unchanged into any instance: use a {{placeholder}} the deploy mapping fills"), id="account-id"),
    case("literal-resource-id", flow_with(action("queue", "UpdateContactTargetQueue", {"QueueId": UUID})),
         ("queue", f'literal resource id in Parameters.QueueId: "{UUID}"; a flow file deploys unchanged into any '
                   "instance: use a {{placeholder}} the deploy mapping fills"), id="resource-id"),
    case("literal-resource-id", flow_with(action("set", "UpdateContactAttributes", {"Attributes": {"line": "+441234567890"}})),
         id="phone-number-is-not-an-account"),
    case("literal-resource-id", flow_with(lambda_invoke(LambdaFunctionARN="arn:aws:lambda:eu-west-1:123456789012:function:x")),
         id="rendered-flow-holds-arns", placeholders_allowed=False),
    case("unreachable", flow(*flow_with()["Actions"], message("orphan", next_action=GOODBYE)),
         ("orphan", "no path from StartAction leads to this action; connect it or delete it"), id="unreachable"),
    case("unreachable", flow(*flow_with()["Actions"], message("orphan", next_action="stranded"),
                             message("stranded", next_action=GOODBYE)),
         ("orphan", "no path from StartAction leads to this action (nor to the action only it leads to); "
                    "connect it or delete it"), id="unreachable-pair"),
    case("unreachable", flow(*flow_with()["Actions"], message("loop-a", next_action="loop-b"),
                             message("loop-b", next_action="loop-a"), message("into-loop", next_action="loop-a")),
         ("into-loop", "no path from StartAction leads to this action (nor to the 2 actions only it leads to); "
                       "connect it or delete it"), id="unreachable-region-with-a-cycle"),
    case("unreachable", flow(*flow_with()["Actions"], message("first", next_action="shared"),
                             message("second", next_action="shared"), message("shared", next_action=GOODBYE)),
         ("first", "no path from StartAction leads to this action; connect it or delete it"),
         ("second", "no path from StartAction leads to this action; connect it or delete it"),
         id="unreachable-two-entries-share-an-action"),
    case("unknown-action-type", flow_with(action("play", "PlayPrompt", {"Text": "Hi"})),
         ("play", 'unknown action type "PlayPrompt": the catalog does not know it, so only the generic rules were '
                  "checked"),
         id="unknown-type"),
    case("unknown-action-type", flow_with(action("hello", "MessageParticipants", {"Text": "Hi"})), id="misspelt-is-not-unknown"),
    case("misspelt-action-type", flow_with(action("hello", "MessageParticipants", {"Text": "Hi"})),
         ("hello", 'unknown action type "MessageParticipants"; did you mean MessageParticipant?'), id="misspelt-type"),
    case("misspelt-action-type", flow_with(action("hello", "messageparticipant", {"Text": "Hi"})),
         ("hello", 'unknown action type "messageparticipant"; did you mean MessageParticipant?'), id="type-in-lower-case"),
    case("misspelt-action-type", flow_with(action("play", "PlayPrompt", {"Text": "Hi"})), id="far-from-any-type"),
    case("misspelt-parameter", flow_with(menu("menu", StoreInputs="False")),
         ("menu", "GetParticipantInput has no parameter StoreInputs; did you mean StoreInput?"), id="misspelt-parameter"),
    case("misspelt-parameter", flow_with(stored_input(InputValidation={"CustomValidation": {"MaximumLenght": "8"}})),
         ("order_id", "GetParticipantInput has no parameter InputValidation.CustomValidation.MaximumLenght; did you mean "
                      "InputValidation.CustomValidation.MaximumLength?"), id="misspelt-field"),
    case("misspelt-parameter", flow_with(action("voice", "UpdateContactTextToSpeechVoice",
                                                {"TextToSpeechVoice": "Joanna", "TextToSpeechEngine": "Neural",
                                                 "TextToSpeechStyle": "None"})),
         id="close-names-both-known"),
    case("unknown-parameter", flow_with(message("hello", "Hi") | {"Parameters": {"Text": "Hi", "Volume": "loud"}}),
         ("hello", "parameter Volume is not one the catalog knows for MessageParticipant (see "
                   "https://docs.aws.amazon.com/connect/latest/APIReference/participant-actions-messageparticipant.html); "
                   "it was not checked"), id="unknown-parameter"),
    case("unknown-parameter", flow_with(menu("menu", StoreInputs="False")), id="misspelt-is-not-unknown-parameter"),
    case("placeholder", flow_with(action("to_flow", "TransferToFlow", {"ContactFlowId": "{{contactFlows.Sales.arn}}"}),
                                  lambda_invoke(LambdaFunctionARN="{{lambdaFunctions.lookup.arn}}"),
                                  lambda_invoke("lookup_again", LambdaFunctionARN="{{lambdaFunctions.lookup.arn}}")),
         (DOCUMENT, "the flow uses template syntax this app does not fill: {{contactFlows.Sales.arn}} and 1 other "
                    "expression, in 3 places (first: to_flow Parameters.ContactFlowId); render it with the tool it was "
                    "written for before checking it (this app's placeholders are {{name}}: letters, digits and "
                    "underscores)"), id="foreign-template-once-per-file"),
    case("placeholder", flow_with(action("to_flow", "TransferToFlow", {"ContactFlowId": "{{contactFlows.Sales.arn}}"})),
         (DOCUMENT, "the flow uses template syntax this app does not fill: {{contactFlows.Sales.arn}}, in 1 place "
                    "(first: to_flow Parameters.ContactFlowId); render it with the tool it was written for before "
                    "checking it (this app's placeholders are {{name}}: letters, digits and underscores)"),
         id="foreign-template-in-a-rendered-flow", placeholders_allowed=False),
]


@pytest.mark.parametrize("rule, document, expected, options", CASES)
def test_rule_reports_exactly(rule, document, expected, options):
    assert findings(document, rule, **options) == expected


def test_a_dangling_target_is_reported_once_not_once_per_action_behind_it():
    chain = [message(f"step{i}", next_action=f"step{i + 1}" if i < 5 else GOODBYE) for i in range(1, 6)]
    document = flow_with()
    document["Actions"][0]["Transitions"]["NextAction"] = "step01"  # a typo for step1
    document["Actions"][1:1] = chain
    assert findings(document) == [
        ("greeting", 'NextAction leads to "step01", which is not the Identifier of any action'),
        ("step1", "no path from StartAction leads to this action (nor to the 4 actions only it leads to); "
                  "connect it or delete it"),
    ]


def test_an_unreachable_cycle_nothing_leads_into_is_reported_once():
    document = flow(*flow_with()["Actions"], message("loop-a", next_action="loop-b"),
                    message("loop-b", next_action="loop-c"), message("loop-c", next_action="loop-a"))
    assert [(where, text) for where, text in findings(document, "unreachable")] == [
        ("loop-a", "no path from StartAction leads to this action (nor to the 2 actions only it leads to); "
                   "connect it or delete it")]


def test_the_builders_make_a_flow_clean_under_strict():
    assert validate_flow(flow_with(menu("menu"), lambda_invoke()), name="f.json", placeholders_allowed=True,
                         strict=True) == []


def test_250_actions_are_allowed():
    assert "action-count" not in rules_hit(flow_with(*[message(f"m{i}") for i in range(247)]))


def test_json_that_is_not_a_flow_is_one_error():
    problems = validate_flow("[1, 2]", name="f.json", placeholders_allowed=True)
    assert [(p.action_id, p.severity, p.message, p.rule) for p in problems] == [
        (DOCUMENT, "error", "a flow is a JSON object, this file holds a list", "json")]


def test_bytes_that_are_not_utf8_are_one_error():
    assert [str(p) for p in validate_flow(b'{"a": "\xff"}', name="f.json", placeholders_allowed=True)] == [
        "f.json:-: error: not UTF-8 text (byte 7)"]


def test_load_flow_gives_the_model():
    model = load_flow(json.dumps(flow_with(lambda_invoke())))
    assert [a.identifier for a in model.actions] == ["greeting", "lookup", "goodbye", "end"]
    assert [(b.kind, b.target) for b in model.by_id["lookup"].branches()] == [("next", "goodbye"), ("error", "goodbye")]
    assert model.reachable == {"greeting", "lookup", "goodbye", "end"}


def test_corrupt_json_names_the_place():
    problems = validate_flow('{"Version": ', name="f.json", placeholders_allowed=True)
    assert [str(p) for p in problems] == ["f.json:-: error: not valid JSON: Expecting value at line 1 column 13"]


def test_strict_turns_warnings_into_errors():
    document = flow(*flow_with()["Actions"], message("orphan", next_action=GOODBYE))
    loose = validate_flow(document, name="f.json", placeholders_allowed=True)
    strict = validate_flow(document, name="f.json", placeholders_allowed=True, strict=True)
    assert [p.severity for p in loose] == ["warning"]
    assert [p.severity for p in strict] == ["error"]


def test_problems_come_in_document_order():
    document = flow_with(message("first", next_action="nowhere"), lambda_invoke(InvocationTimeLimitSeconds="9"))
    document["Version"] = "1"
    assert [p.action_id for p in validate_flow(document, name="f.json", placeholders_allowed=True)][:3] == [
        DOCUMENT, "first", "lookup"]

