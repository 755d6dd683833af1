"""Caller-experience rules (CX-n): one minimal flow per rule with the exact warning, and the
shape that satisfies the rule."""
from __future__ import annotations

import pytest

from flow_language import validate_flow
from flow_language.translations import FlowTranslations
from tests.flows.builders import (
    AGENT,
    CUSTOM,
    END,
    GOODBYE,
    action,
    case,
    compare,
    findings,
    flow_with,
    lambda_invoke,
    menu,
    message,
    stored_input,
    transfer_to_agent,
)

ENCRYPTION = {"EncryptionKeyId": "{{security_key_id}}", "Key": "{{certificate}}"}
RETRY_ADVICE = ("passes no Loop action, so a caller can go round forever; count the retries with a Loop action "
                "(CX-4: at most 2 retries)")


def spanish(start: str, goodbye: str, **texts: str) -> FlowTranslations:
    """A flow `flow` of a deployment in en-US and es-US, with these es-US texts (by action id)."""
    return FlowTranslations("flow", ("en-US", "es-US"), {"es-US": {"greeting": start, "goodbye": goodbye, **texts}},
                            {"es-US": "contact_flows/prompts/es-US.yaml"})


def loop(identifier: str, again: str, count: str = "2") -> dict:
    return action(identifier, "Loop", {"LoopCount": count}, next_action=None, errors=(),
                  conditions=[("Equals", "ContinueLooping", again), ("Equals", "DoneLooping")])


def retrying_menu(identifier: str, retry_target: str) -> dict:
    return action(identifier, "GetParticipantInput",
                  {"Text": "Press 1 for orders, or 0 for an agent.", "StoreInput": "False", "InputTimeLimitSeconds": "5"},
                  next_action=retry_target, errors=[("InputTimeLimitExceeded", retry_target), ("NoMatchingCondition", retry_target),
                          "NoMatchingError"],
                  conditions=[("Equals", "1"), ("Equals", "0", AGENT)])


CASES = [
    # CX-1: 0 for an agent at every input
    case("cx-zero-to-agent", flow_with(menu("menu", keys=("1", "2"))),
         ("menu", 'menu has no branch for "0": every menu lets the caller press 0 for an agent (CX-1)'), id="menu-no-0"),
    case("cx-zero-to-agent", flow_with(action("menu", "GetParticipantInput",
                                              {"Text": "Press 1, or 0.", "StoreInput": "False", "InputTimeLimitSeconds": "5"},
                                              errors=("InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"),
                                              conditions=[("Equals", "1"), ("Equals", "0", GOODBYE)])),
         ("menu", "pressing 0 never reaches an agent: no path from the 0 branch leads to DequeueContactAndTransferToQueue, "
                  "EndFlowExecution, TransferContactToQueue or TransferToFlow (CX-1)"), id="menu-0-to-goodbye"),
    case("cx-zero-to-agent", flow_with(stored_input(InputValidation=CUSTOM)),
         ("order_id", "pressing 0 is not handled: after the input, compare $.StoredCustomerInput with Equals 0 and lead "
                      "that branch to an agent (CX-1)"), id="stored-input-no-compare"),
    case("cx-zero-to-agent", flow_with(stored_input(InputValidation=CUSTOM),
                                       compare(value="$.StoredCustomerInput", conditions=[("Equals", "0", AGENT)])),
         id="stored-input-0-to-agent"),
    case("cx-zero-to-agent", flow_with(stored_input(InputValidation=CUSTOM, InputEncryption=ENCRYPTION),
                                       compare(value="$.StoredCustomerInput", conditions=[("Equals", "0", AGENT)])),
         ("order_id", "pressing 0 is not handled: encrypted input cannot be compared in the flow; pass "
                      "$.StoredCustomerInput to a Lambda that decrypts it and lead a branch on its answer to an agent (CX-1)"),
         id="encrypted-input-compared-in-the-flow"),
    case("cx-zero-to-agent", flow_with(stored_input(InputValidation=CUSTOM, InputEncryption=ENCRYPTION),
                                       lambda_invoke(LambdaInvocationAttributes={"secret": "$.StoredCustomerInput"}),
                                       compare(value="$.External.result", conditions=[("Equals", "CHOSE_AGENT", AGENT)])),
         id="encrypted-input-0-answered-by-the-lambda-to-agent"),
    case("cx-zero-to-agent", flow_with(menu("menu")), id="menu-0-to-agent"),
    # CX-2: flat menus
    case("cx-menu-options", flow_with(menu("menu", keys=("1", "2", "3", "4", "5", "6", "0"))),
         ("menu", "menu offers 6 options besides 0; CX-2 allows at most 5: merge or drop options"), id="six-options"),
    case("cx-menu-options", flow_with(menu("menu", keys=("1", "2", "3", "4", "5", "0"))), id="five-options"),
    case("cx-menu-depth", flow_with(menu("main"), menu("orders"), menu("order_detail")),
         ("order_detail", "menu is 3 levels deep (main > orders > this menu); CX-2 allows the main menu and one level "
                          "below it"), id="three-levels"),
    case("cx-menu-depth", flow_with(menu("main"), menu("orders")), id="two-levels"),
    case("cx-menu-depth", flow_with(menu("main"), action(
        "orders", "GetParticipantInput", {"Text": "Press 9 for the main menu.", "StoreInput": "False", "InputTimeLimitSeconds": "5"},
        next_action=GOODBYE, errors=("InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"),
        conditions=[("Equals", "1"), ("Equals", "9", "main"), ("Equals", "0", AGENT)]), menu("order_detail")),
         ("order_detail", "menu is 3 levels deep (main > orders > this menu); CX-2 allows the main menu and one level "
                          "below it"), id="way-back-to-main-menu-keeps-it-level-1"),
    # CX-4: retries are bounded
    case("cx-unbounded-loop", flow_with(retrying_menu("menu", "menu")),
         ("menu", f"retry loop without a bound: menu → menu {RETRY_ADVICE}"), id="menu-retries-itself"),
    case("cx-unbounded-loop", flow_with(retrying_menu("menu", "sorry"), message("sorry", "Sorry.", next_action="menu")),
         ("menu", f"retry loop without a bound: menu → sorry → menu {RETRY_ADVICE}"), id="menu-sorry-menu"),
    case("cx-unbounded-loop", flow_with(retrying_menu("menu", "retry"), loop("retry", again="menu")),
         id="loop-counts-the-retries"),
    # CX-6: no abrupt hang-up, every error branch handled
    case("cx-disconnect-without-message", flow_with(lambda_invoke(errors=[("NoMatchingError", END)])),
         (END, "the call ends without a goodbye message when it comes from lookup (InvokeLambdaFunction: error "
               "NoMatchingError); play a MessageParticipant just before disconnecting on those paths (CX-6)"),
         id="lambda-error-hangs-up"),
    case("cx-disconnect-without-message",
         flow_with(lambda_invoke(), action("set", "UpdateContactAttributes", {"Attributes": {"a": "b"}}, next_action=END)),
         (END, "the call ends without a goodbye message when it comes from lookup (InvokeLambdaFunction: NextAction); "
               "play a MessageParticipant just before disconnecting on those paths (CX-6)"),
         id="silent-action-after-last-message"),
    case("cx-disconnect-without-message",
         flow_with(action("set", "UpdateContactAttributes", {"Attributes": {"a": "b"}}, errors=[("NoMatchingError", END)])),
         (END, "the call ends without a goodbye message when it comes from set (UpdateContactAttributes: error "
               "NoMatchingError); play a MessageParticipant just before disconnecting on those paths (CX-6)"),
         id="silent-action-error"),
    case("cx-disconnect-without-message",
         flow_with(message("bye", "Bye.", next_action="note"),
                   action("note", "UpdateContactAttributes", {"Attributes": {"done": "true"}}, next_action=END)),
         id="message-then-bookkeeping-is-announced"),
    case("cx-unhandled-error-branch", flow_with(lambda_invoke(errors=())),
         ("lookup", "no error branch for NoMatchingError: where the call goes then is not defined; handle it, even if "
                    "only with an apology (CX-6)"), id="lambda-without-error-branch"),
    case("cx-unhandled-error-branch", flow_with(menu("menu") | {"Transitions": {
        **menu("menu")["Transitions"], "Errors": [{"ErrorType": "NoMatchingError", "NextAction": GOODBYE}]}}),
         ("menu", "no error branch for InputTimeLimitExceeded and NoMatchingCondition: where the call goes then is not "
                  "defined; handle it, even if only with an apology (CX-6)"), id="menu-without-timeout"),
    case("cx-unhandled-error-branch", flow_with(transfer_to_agent("queue") | {"Transitions": {
        "NextAction": GOODBYE, "Errors": [{"ErrorType": "NoMatchingError", "NextAction": GOODBYE}]}}),
         ("queue", "no error branch for QueueAtCapacity: where the call goes then is not defined; handle it, even if "
                   "only with an apology (CX-6)"), id="queue-at-capacity"),
    # CX-3: say what to enter
    case("cx-stored-input-timeout", flow_with(stored_input(), compare(value="$.StoredCustomerInput",
                                                                    conditions=[("NumberGreaterOrEqualTo", "0")])),
         ("order_id", "a caller who enters nothing takes this input's success branch with $.StoredCustomerInput = "
                      '"Timeout": compare it with Equals "Timeout" before using the input, so silence gets its own '
                      "prompt (CX-3)"), id="stored-input-used-as-if-silence-were-input"),
    case("cx-stored-input-timeout", flow_with(stored_input(), action("remember", "UpdateContactAttributes",
                                                                   {"Attributes": {"order": "$.StoredCustomerInput"}}),
                                              compare(value="$.StoredCustomerInput",
                                                      conditions=[("Equals", "Timeout"), ("NumberGreaterOrEqualTo", "0")])),
         id="timeout-compared-after-a-silent-action"),
    case("cx-input-without-prompt", flow_with(action("menu", "GetParticipantInput", {"StoreInput": "False", "InputTimeLimitSeconds": "5"},
                                                     errors=("InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"),
                                                     conditions=[("Equals", "0", AGENT)])),
         ("menu", "the input plays no prompt (no Text, SSML, PromptId or Media): the caller is not told what to enter "
                  "(CX-3)"), id="no-prompt"),
    # DD-5: the flow waits longer than the dip may take
    case("cx-dip-budget", flow_with(lambda_invoke(InvocationTimeLimitSeconds="3")),
         ("lookup", 'InvocationTimeLimitSeconds is 3 s but the "order_status_lambda_arn" dip may take 3 s (its budget): '
                    "Connect gives up before the dip answers; set the limit above the budget (DD-5)"),
         id="limit-equals-budget", dip_budgets_seconds={"order_status_lambda_arn": 3.0}),
    case("cx-dip-budget", flow_with(lambda_invoke(InvocationTimeLimitSeconds="4")),
         id="limit-above-budget", dip_budgets_seconds={"order_status_lambda_arn": 3.0}),
    case("cx-dip-budget", flow_with(lambda_invoke(InvocationTimeLimitSeconds="2",
                                                  LambdaFunctionARN="arn:aws:lambda:eu-west-1:123456789012:function:x")),
         ("lookup", 'InvocationTimeLimitSeconds is 2 s but the "arn:aws:lambda:eu-west-1:123456789012:function:x" dip '
                    "may take 2.5 s (its budget): Connect gives up before the dip answers; set the limit above the "
                    "budget (DD-5)"),
         id="rendered-flow-by-arn", placeholders_allowed=False,
         dip_budgets_seconds={"arn:aws:lambda:eu-west-1:123456789012:function:x": 2.5}),
    # CX-12: every prompt in every configured language
    case("cx-prompt-languages", flow_with(message("hello", "Hi $.Attributes.first_name.")),
         ("hello", "no es-US text for this prompt: add to contact_flows/prompts/es-US.yaml, under `flow:`, the line "
                   "`hello: <in es-US: 'Hi $.Attributes.first_name.'>` (CX-12)"),
         id="prompt-without-spanish", translations=spanish(start="Bienvenido.", goodbye="Adiós.")),
    case("cx-prompt-languages", flow_with(message("hello", "Hi."), message("answer", "$.External.message")),
         id="every-prompt-in-spanish", translations=spanish(start="Bienvenido.", goodbye="Adiós.", hello="Hola.")),
    case("cx-prompt-languages", flow_with(message("hello", "Hi.")), id="one-language",
         translations=FlowTranslations("flow", ("en-US",), {}, {})),
    case("cx-translation-references", flow_with(message("hello", "Hi $.Attributes.first_name, see {{website}}.")),
         ("hello", "the es-US text (contact_flows/prompts/es-US.yaml, flow: hello) has $.Attributes.name where the "
                   "default text has $.Attributes.first_name and {{website}}: a translation says the same values, so "
                   "it keeps each one (CX-12)"),
         id="translation-drops-a-placeholder",
         translations=spanish(start="Bienvenido.", goodbye="Adiós.", hello="Hola $.Attributes.name.")),
    case("cx-translation-references", flow_with(message("hello", "Hi $.Attributes.first_name, see {{website}}.")),
         id="translation-keeps-them",
         translations=spanish(start="Bienvenido.", goodbye="Adiós.", hello="Vea {{website}}, $.Attributes.first_name.")),
    case("cx-translation-stale", flow_with(message("hello", "Hi.")),
         ("-", "contact_flows/prompts/es-US.yaml translates `flow: hello-old`, which is not a prompt of this flow (no "
               "action of that Identifier, or it says no words): remove it, or rename it after the action (CX-12)"),
         id="translation-of-a-removed-prompt",
         translations=spanish(start="Bienvenido.", goodbye="Adiós.", hello="Hola.", **{"hello-old": "Hola."})),
    case("cx-language-menu", flow_with(message("hello", "Hi.")),
         ("-", "the language menu offers no way to es-US: add a key whose branch transfers to the entry flow's es-US "
               "variant ({{main_es_us_flow_arn}}) (CX-12)"),
         id="menu-without-spanish", translations=FlowTranslations("language_menu", ("en-US", "es-US"), {"es-US": {}},
                                                                  {"es-US": "contact_flows/prompts/es-US.yaml"})),
    case("cx-language-menu", flow_with(action("to-spanish", "TransferToFlow", {"ContactFlowId": "{{main_es_us_flow_arn}}"},
                                              errors=("NoMatchingError",))),
         id="menu-with-spanish", translations=FlowTranslations("language_menu", ("en-US", "es-US"), {"es-US": {}},
                                                               {"es-US": "contact_flows/prompts/es-US.yaml"})),
]


@pytest.mark.parametrize("rule, document, expected, options", CASES)
def test_rule_reports_exactly(rule, document, expected, options):
    assert findings(document, rule, **options) == expected


def test_caller_experience_problems_are_warnings_and_errors_under_strict():
    document = flow_with(lambda_invoke(errors=()))
    assert {p.severity for p in validate_flow(document, name="f.json", placeholders_allowed=True)} == {"warning"}
    assert {p.severity for p in validate_flow(document, name="f.json", placeholders_allowed=True, strict=True)} == {"error"}


def test_a_menu_with_bounded_retries_and_an_agent_path_is_clean_under_strict():
    document = flow_with(retrying_menu("menu", "sorry"), message("sorry", "Sorry, I did not get that.", next_action="retry"),
                         loop("retry", again="menu"))
    assert validate_flow(document, name="f.json", placeholders_allowed=True, strict=True) == []


def _code_prompt_returning_on_0() -> dict:
    """A stored input whose 0 leads to EndFlowModuleExecution (contact_flows/modules/verify_caller.json's shape)."""
    return {
        "Version": "2019-10-30", "StartAction": "code",
        "Settings": {"InputParameters": [], "OutputParameters": [], "Transitions": [{"DisplayName": "Success", "ReferenceName": "Success"}]},
        "Actions": [
            action("code", "GetParticipantInput", {"Text": "Enter the code, or 0 then pound for someone.", "StoreInput": "True",
                                                   "InputTimeLimitSeconds": "5", "InputValidation": CUSTOM}, next_action="choice", errors=("NoMatchingError",)),
            compare("choice", value="$.StoredCustomerInput", conditions=[("Equals", "0", "done"), ("Equals", "Timeout", "done")], errors=[("NoMatchingCondition", "done")],
                    next_action="done"),
            {"Identifier": "done", "Type": "EndFlowModuleExecution", "Parameters": {}, "Transitions": {}},
        ],
    }


def test_in_a_module_0_may_return_to_the_flow_that_transfers():
    assert findings(_code_prompt_returning_on_0(), "cx-zero-to-agent", module=True) == []


def test_in_a_flow_0_must_still_reach_the_transfer():
    document = _code_prompt_returning_on_0()
    del document["Settings"]
    document["Actions"][-1] = {"Identifier": "done", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}
    assert [message for _, message in findings(document, "cx-zero-to-agent", module=False)] == [
        "pressing 0 never reaches an agent: no path from the 0 branch leads to DequeueContactAndTransferToQueue, "
        "EndFlowExecution, TransferContactToQueue or TransferToFlow (CX-1)"]
