/**
 * The settings page's stylesheet and script, served as files under /settings/assets/ so the page's
 * Content-Security-Policy can allow scripts and styles from this origin only, and nothing inline.
 */
export const SETTINGS_STYLE_PATH = '/settings/assets/settings.css';
export const SETTINGS_SCRIPT_PATH = '/settings/assets/settings.js';

export const SETTINGS_STYLE = `
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

/**
 * What the page's controls do, by data attribute instead of inline handlers: `data-copy="<id>"` copies that
 * element's text, `data-copy-previous` the value of the field before the button, `data-generate-key="<id>"` fills
 * that input with a new Standard Webhooks key (whsec_ + 32 random bytes); `data-select-on-focus` selects a field's text.
 */
export const SETTINGS_SCRIPT = `'use strict';
function copyText(text) {
  if (navigator.clipboard) void navigator.clipboard.writeText(text);
}
document.addEventListener('focusin', function (event) {
  if (event.target instanceof HTMLInputElement && event.target.hasAttribute('data-select-on-focus')) event.target.select();
});
document.addEventListener('click', function (event) {
  var target = event.target instanceof Element ? event.target.closest('button[data-copy], button[data-copy-previous], button[data-generate-key]') : null;
  if (!target) return;
  if (target.hasAttribute('data-copy-previous')) {
    var field = target.previousElementSibling;
    if (field instanceof HTMLInputElement) copyText(field.value);
    return;
  }
  var copy = target.getAttribute('data-copy');
  if (copy) {
    var source = document.getElementById(copy);
    if (source) copyText(source.textContent || '');
    return;
  }
  var input = document.getElementById(target.getAttribute('data-generate-key') || '');
  if (!(input instanceof HTMLInputElement)) return;
  var bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  input.type = 'text';
  input.value = 'whsec_' + btoa(String.fromCharCode.apply(null, Array.from(bytes)));
});
`;
