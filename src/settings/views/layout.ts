import { SETTINGS_SCRIPT_PATH, SETTINGS_STYLE_PATH } from './assets.js';
import { html, type SafeHtml } from './html.js';

/** What the header shows about who is signed in. */
export interface HeaderState {
  who: string;
  orgName?: string | undefined;
  role?: string | undefined;
  csrf: string;
  /** operators may switch organization */
  canSwitch: boolean;
}

/**
 * The page around every screen: viewport meta for phones, one stylesheet and one script, both served files
 * (the Content-Security-Policy allows no inline script or style).
 */
export function layout(title: string, body: SafeHtml, header?: HeaderState): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Flag Alerts</title><link rel="stylesheet" href="${SETTINGS_STYLE_PATH}"><script src="${SETTINGS_SCRIPT_PATH}" defer></script></head>
<body><header><a class="brand" href="/settings">Flag Alerts</a>${header ? headerBar(header) : ''}</header>
<main>${body}</main></body></html>`.value;
}

function headerBar(h: HeaderState): SafeHtml {
  return html`<span>${h.orgName ? html`<strong>${h.orgName}</strong> · ` : ''}${h.who}${h.role ? ` (${h.role})` : ''}</span>
${h.canSwitch ? html`<a href="/settings/organizations">Switch organization</a>` : ''}
<form class="inline" method="post" action="/settings/logout"><input type="hidden" name="_csrf" value="${h.csrf}"><button class="link" type="submit">Sign out</button></form>`;
}

export function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

/** A one-button form (pause, delete…): every state change is a POST with the CSRF token. */
export function postButton(action: string, label: string, csrf: string, className = ''): SafeHtml {
  return html`<form class="inline" method="post" action="${action}">${csrfField(csrf)}<button type="submit" class="${className}">${label}</button></form>`;
}

export function banner(kind: 'notice' | 'error', text: string | undefined): SafeHtml | '' {
  if (!text) return '';
  return html`<section class="${kind === 'error' ? 'alert-box' : 'notice'}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</section>`;
}
