// The operators' page: plain JS over the messages API (lambdas/messages_api/routes.py). No build step.
// config.json says how to sign in: {"mode": "local"} (ivr messages serve) or
// {"mode": "cognito", "api_url", "sign_in_url", "client_id", "redirect_uri"} (the deployed stack: Cognito's hosted UI, code flow with PKCE).
"use strict";

const $ = (id) => document.getElementById(id);
const state = { config: null, token: sessionStorage.getItem("token"), center: null, editing: null, confirm: false, preview: null };

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
  return node;
}

function say(text) { $("status").textContent = text; }

async function api(method, path, body) {
  const response = await fetch((state.config.api_url || "") + path, {  // deployed, the API is on its own origin
    method,
    headers: { "Authorization": `Bearer ${state.token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) { signOut(); throw new Error("signed out: sign in again"); }
  return { status: response.status, data };
}

// --- Signing in ------------------------------------------------------------------------------

function base64url(bytes) { return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""); }

async function cognitoSignIn() {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem("pkce", verifier);
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const c = state.config;
  location.assign(`${c.sign_in_url}/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(c.client_id)}` +
    `&redirect_uri=${encodeURIComponent(c.redirect_uri)}&scope=openid+email&code_challenge_method=S256&code_challenge=${challenge}`);
}

async function cognitoCallback(code) {
  const c = state.config;
  const response = await fetch(`${c.sign_in_url}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", client_id: c.client_id, code, redirect_uri: c.redirect_uri,
      code_verifier: sessionStorage.getItem("pkce") || "" }),
  });
  history.replaceState(null, "", location.pathname);
  if (!response.ok) { say("Signing in failed: try again."); return; }
  state.token = (await response.json()).id_token;
  sessionStorage.setItem("token", state.token);
}

async function localSignIn(event) {
  event.preventDefault();
  const form = new FormData($("local-sign-in"));
  const response = await fetch("/local/sign-in", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: form.get("name"), group: form.get("group") }) });
  const data = await response.json();
  if (!response.ok) { say(data.reason); return; }
  state.token = data.token;
  sessionStorage.setItem("token", state.token);
  await start();
}

function signOut() {
  state.token = null;
  sessionStorage.removeItem("token");
  $("main").hidden = true; $("who").hidden = true;
  showSignIn();
}

function showSignIn() {
  $("sign-in").hidden = false;
  const local = state.config.mode === "local";
  $("local-sign-in").hidden = !local;
  $("cognito-sign-in").hidden = local;
  (local ? $("sign-in-name") : $("cognito-button")).focus();
}

// --- What is shown ---------------------------------------------------------------------------

async function start() {
  const { status, data } = await api("GET", "/api/center");
  if (status !== 200) { say(data.reason || "cannot load"); return; }
  state.center = data;
  $("sign-in").hidden = true; $("main").hidden = false; $("who").hidden = false;
  $("identity").textContent = `Signed in as ${data.you.identity} (${data.you.can_edit ? "editor" : "viewer"})`;
  $("time-zone").textContent = data.time_zone;
  $("now").textContent = data.now;
  for (const node of document.querySelectorAll(".editors-only")) node.hidden = !data.you.can_edit;
  fillChoices();
  await refresh();
}

function scopes() {
  return [["center", "the whole center (call start)"], ...state.center.flows.map((f) => [`flow:${f}`, `flow ${f} (call start)`]),
    ...state.center.queues.map((q) => [`queue:${q}`, `queue ${q} (once the caller has it)`])];
}

function fillChoices() {
  $("f-scope").replaceChildren(...scopes().map(([value, text]) => el("option", { value }, text)));
  $("p-stage").replaceChildren(...scopes().map(([value, text]) => el("option", { value }, text)));
  $("p-language").replaceChildren(...state.center.languages.map((l) => el("option", { value: l }, l)));
  $("texts").replaceChildren(...state.center.languages.map((language) => el("div", { class: "field" },
    el("label", { for: `f-text-${language}` }, `Text in ${language} (plain, or SSML starting with <speak>)`),
    el("textarea", { id: `f-text-${language}`, "data-language": language, "aria-describedby": "e-text" }))));
}

async function refresh() {
  const [messages, hearing, history] = await Promise.all([api("GET", "/api/messages"), api("GET", "/api/hearing"), api("GET", "/api/history")]);
  $("now").textContent = messages.data.now;
  const canEdit = state.center.you.can_edit;
  $("messages").replaceChildren(...(messages.data.messages || []).map((m) => el("tr", { "data-id": m.id },
    el("th", { scope: "row" }, m.id), el("td", {}, m.scope), el("td", {}, m.kind), el("td", {}, m.effect),
    el("td", { class: `state-${m.state}` }, m.state + (m.now ? ` (${m.now})` : "")), el("td", {}, m.window_text), el("td", {}, m.version),
    el("td", {}, ...(canEdit ? [
      el("button", { type: "button", class: "secondary", "aria-label": `Edit ${m.id}`, onclick: () => edit(m) }, "Edit"), " ",
      el("button", { type: "button", class: "secondary", "aria-label": `${m.enabled ? "Disable" : "Enable"} ${m.id}`,
        onclick: () => change(m, m.enabled ? "disable" : "enable") }, m.enabled ? "Disable" : "Enable"), " ",
      el("button", { type: "button", class: "secondary", "aria-label": `Delete ${m.id}`, onclick: () => change(m, "delete") }, "Delete"),
    ] : [])))));
  if (!(messages.data.messages || []).length) $("messages").replaceChildren(el("tr", {}, el("td", { colspan: 8 }, "No messages.")));
  $("hearing").replaceChildren(...(hearing.data.hearing || []).map((h) => el("tr", {},
    el("th", { scope: "row" }, h.stage === "flow" ? `call start, flow ${h.name}` : `queue ${h.name}`), el("td", {}, h.language),
    el("td", {}, h.result), el("td", {}, h.message_id || "—"), el("td", {}, wordsOf(h.message)))));
  $("history").replaceChildren(...(history.data.history || []).map((h) => el("li", {},
    `${h.at} — ${h.by} — ${h.action} ${h.id} v${h.version}: ${h.what} `,
    ...(canEdit ? [el("button", { type: "button", class: "secondary", "aria-label": `Restore ${h.id} as at version ${h.action === "DELETE" ? h.version - 1 : h.version}`,
      onclick: () => restore(h) }, "Restore this version")] : []))));
}

function wordsOf(ssml) { return (ssml || "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim(); }

// --- Editing ---------------------------------------------------------------------------------

function clearErrors() {
  for (const node of document.querySelectorAll("#message-form .error")) node.textContent = "";
  for (const node of document.querySelectorAll("#message-form [aria-invalid]")) node.removeAttribute("aria-invalid");
  $("warnings").hidden = true; $("conflict").hidden = true; state.confirm = false; $("save").textContent = "Save";
}

function openEditor(values, title) {
  clearErrors();
  $("editor").hidden = false;
  $("editor-title").textContent = title;
  $("f-id").value = values.id || ""; $("f-id").disabled = Boolean(state.editing);
  $("f-scope").value = values.scope || "center";
  $("f-kind").value = values.kind || "HOLIDAY";
  $("f-effect").value = values.effect || "CLOSE";
  $("f-start").value = values.start || ""; $("f-end").value = values.end || ""; $("f-time_zone").value = values.time_zone || "";
  $("f-priority").value = values.priority ?? 0;
  $("f-enabled").checked = values.enabled ?? true;
  for (const area of document.querySelectorAll("#texts textarea")) area.value = (values.text || {})[area.dataset.language] || "";
}

function edit(message) {
  state.editing = message;
  const span = message.window || {};
  openEditor({ ...message, start: span.start, end: span.end, time_zone: span.time_zone }, `Edit ${message.id} (version ${message.version})`);
  $("f-scope").focus();
}

function newMessage() {
  state.editing = null;
  openEditor({}, "New message");
  $("f-id").focus();
}

function emergencyNow() {
  state.editing = null;
  const stamp = state.center.now.replace(/[^0-9]/g, "").slice(0, 12);
  const text = Object.fromEntries(state.center.languages.map((l) => [l, "We are closed because of an emergency. Please call back later."]));
  openEditor({ id: `emergency-${stamp}`, scope: "center", kind: "EMERGENCY", effect: "CLOSE", start: "now", end: "+2h", text },
    "Emergency: close now for 2 hours (check the text, then Save)");
  $("save").focus();
}

function formValues() {
  const text = {};
  for (const area of document.querySelectorAll("#texts textarea")) if (area.value.trim()) text[area.dataset.language] = area.value;
  return { id: $("f-id").value.trim(), scope: $("f-scope").value, kind: $("f-kind").value, effect: $("f-effect").value,
    start: $("f-start").value, end: $("f-end").value, time_zone: $("f-time_zone").value.trim(),
    priority: Number.parseInt($("f-priority").value || "0", 10), enabled: $("f-enabled").checked, text };
}

async function save(event) {
  event.preventDefault();
  const body = { ...formValues(), confirm: state.confirm };
  const result = state.editing
    ? await api("PUT", `/api/messages/${encodeURIComponent(state.editing.id)}`, { ...body, expected_version: state.editing.version })
    : await api("POST", "/api/messages", body);
  if (await answered(result)) { $("editor").hidden = true; state.editing = null; }
}

async function change(message, action) {
  if (action === "delete" && !confirm(`Delete ${message.id}? Its history stays and it can be restored.`)) return;
  const path = `/api/messages/${encodeURIComponent(message.id)}`;
  const result = action === "delete" ? await api("DELETE", `${path}?expected_version=${message.version}`)
    : await api("POST", `${path}/${action}`, { expected_version: message.version, confirm: true });
  await answered(result);
}

async function restore(entry) {
  const version = entry.action === "DELETE" ? undefined : entry.version;
  await answered(await api("POST", `/api/messages/${encodeURIComponent(entry.id)}/restore`, { version, confirm: true }));
}

// What an answer means on the page: saved, a field to fix, warnings to confirm, or someone else's change.
async function answered({ status, data }) {
  clearErrorsKeepingConfirm();
  if (status === 200) {
    say(data.unchanged ? `${data.message.id}: nothing to change.` : `${data.action.toLowerCase()} ${data.id}: saved.`);
    await refresh();
    return true;
  }
  if (status === 400) {
    const name = data.field === "text" ? null : $(`f-${data.field}`);
    const target = $(`e-${data.field}`) || $("e-text");
    target.textContent = data.reason;
    (name || document.querySelector("#texts textarea"))?.setAttribute("aria-invalid", "true");
    (name || document.querySelector("#texts textarea"))?.focus();
    say(`Not saved: ${data.reason}`);
  } else if (status === 422) {
    $("warnings").hidden = false;
    $("warnings").replaceChildren(el("p", {}, "Check before saving:"), el("ul", {}, ...data.warnings.map((w) => el("li", {}, w))));
    state.confirm = true; $("save").textContent = "Save anyway";
    $("save").focus();
    say("Not saved yet: see the warnings.");
  } else if (status === 409) {
    $("editor").hidden = false;
    $("conflict").hidden = false;
    $("conflict").replaceChildren(el("p", {}, `Not saved: ${data.reason}.`), el("ul", {}, ...data.changes.map((c) => el("li", {}, `v${c.version} ${c.action} by ${c.by} at ${c.at}: ${c.what}`))),
      el("button", { type: "button", onclick: () => { if (data.current) edit(data.current); else $("editor").hidden = true; refresh(); } }, "Load the current version"));
    say(`Not saved: ${data.reason}`);
    $("conflict").querySelector("button").focus();
    await refresh();
  } else {
    say(`Not saved: ${data.reason || `error ${status}`}`);
  }
  return false;
}

function clearErrorsKeepingConfirm() {
  const confirming = state.confirm;
  clearErrors();
  if (confirming) { state.confirm = true; $("save").textContent = "Save anyway"; }
}

// --- Preview ---------------------------------------------------------------------------------

async function preview(event) {
  event.preventDefault();
  const query = new URLSearchParams({ at: $("p-at").value || "now", scope: $("p-stage").value, language: $("p-language").value });
  const { status, data } = await api("GET", `/api/preview?${query}`);
  $("e-preview").textContent = status === 200 ? "" : data.reason;
  if (status !== 200) { $("p-at").setAttribute("aria-invalid", "true"); $("p-at").focus(); return; }
  $("p-at").removeAttribute("aria-invalid");
  state.preview = data;
  $("preview").replaceChildren(el("p", {}, `At ${data.at}, ${data.stage}: `, el("strong", {}, data.answer.result),
    data.answer.message_id ? ` — ${data.answer.message_id} (${data.answer.kind})` : " — no message"),
  ...(data.spoken ? [el("blockquote", { id: "preview-text", lang: data.language }, data.spoken)] : []),
  ...(data.outranked.length ? [el("p", {}, `Outranked: ${data.outranked.join(", ")}`)] : []));
}

function speak() {
  const data = state.preview;
  if (!data || !data.spoken) { say("Preview first: nothing to speak."); return; }
  if (!("speechSynthesis" in window)) { say("This browser cannot speak; the text is shown."); return; }
  const utterance = new SpeechSynthesisUtterance(data.spoken);
  utterance.lang = data.language;
  speechSynthesis.cancel();
  speechSynthesis.speak(utterance);
  say(`Speaking the ${data.language} preview.`);
}

// --- Start -----------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", async () => {
  state.config = await (await fetch("config.json")).json();
  $("local-sign-in").addEventListener("submit", localSignIn);
  $("cognito-button").addEventListener("click", cognitoSignIn);
  $("sign-out").addEventListener("click", signOut);
  $("emergency").addEventListener("click", emergencyNow);
  $("new-message").addEventListener("click", newMessage);
  $("message-form").addEventListener("submit", save);
  $("cancel").addEventListener("click", () => { $("editor").hidden = true; state.editing = null; });
  $("preview-form").addEventListener("submit", preview);
  $("speak").addEventListener("click", speak);
  const code = new URLSearchParams(location.search).get("code");
  if (code && state.config.mode === "cognito") await cognitoCallback(code);
  if (state.token) await start(); else showSignIn();
});
