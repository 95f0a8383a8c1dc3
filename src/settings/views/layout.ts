import { html, SafeHtml } from './html.js';

/** What the header shows about who is signed in. */
export interface HeaderState {
  who: string;
  orgName?: string | undefined;
  role?: string | undefined;
  csrf: string;
  /** operators may switch organization */
  canSwitch: boolean;
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1c1d;background:#f6f6f7}
header{background:#3f0e40;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header a,header button.link{color:#fff}header .brand{font-weight:700;margin-right:auto;color:#fff;text-decoration:none}
main{max-width:1100px;margin:0 auto;padding:1rem}
section{background:#fff;border:1px solid #e1e1e3;border-radius:8px;padding:1rem;margin:0 0 1rem}
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.15rem;margin:0 0 .75rem}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;color:#616061}
.table{overflow-x:auto}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=url],input[type=password],select{width:100%;max-width:32rem;padding:.5rem;border:1px solid #bbb;border-radius:6px;font:inherit}
fieldset{border:0;padding:0;margin:.9rem 0 0}fieldset label{display:inline-flex;gap:.35rem;font-weight:400;margin-right:1rem}
.hint{color:#616061;font-size:.9rem;margin:.2rem 0}
.error{color:#b3002d;font-size:.9rem;margin:.25rem 0}
.notice{background:#e8f5fa;border-color:#9dd1e6}.alert-box{background:#fdecef;border-color:#f3a6b6}
button,.button{display:inline-block;font:inherit;font-size:.9rem;padding:.4rem .8rem;border-radius:6px;border:1px solid #bbb;background:#fff;color:#1d1c1d;cursor:pointer;text-decoration:none}
.primary{background:#007a5a;border-color:#007a5a;color:#fff}.danger{color:#b3002d;border-color:#e5a0ae}
button.link{background:none;border:0;padding:0;text-decoration:underline}
form.inline{display:inline}.actions{display:flex;flex-wrap:wrap;gap:.35rem}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}pre{background:#f3f3f4;padding:.75rem;border-radius:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
/* The create form's secret field, only for platforms that make the secret (no script: :has reads the chosen option). */
#source-form:not(:has(option[data-secret=platform]:checked)) .platform-secret{display:none}
.badge{display:inline-block;padding:0 .45rem;border-radius:999px;font-size:.8rem;background:#eee}
.badge.active,.badge.delivered{background:#d8f3e6}.badge.paused{background:#eee}.badge.waiting,.badge.failing,.badge.pending,.badge.retrying{background:#fff2cc}.badge.broken,.badge.disabled,.badge.dead{background:#fdd}
@media (max-width:640px){
  .table table,.table thead,.table tbody,.table tr,.table td{display:block;width:100%}.table thead{display:none}
  .table tr{border-bottom:1px solid #ddd;padding:.5rem 0}.table td{border:0;padding:.15rem 0}
  .table td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#616061}
}`;

/** The page around every screen: viewport meta for phones, one small inline stylesheet, no scripts but the copy button. */
export function layout(title: string, body: SafeHtml, header?: HeaderState): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Flag Alerts</title><style>${new SafeHtml(STYLE)}</style></head>
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
