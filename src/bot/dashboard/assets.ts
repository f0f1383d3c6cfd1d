/**
 * The dashboard's only script and stylesheet, served as files so the Content-Security-Policy can
 * forbid every inline script and style. The script follows the live run over server-sent events;
 * EventSource reconnects by itself and resumes from the last id it saw (Last-Event-ID).
 */
export const LIVE_JS = `'use strict';
(function () {
  var list = document.getElementById('live-events');
  if (!list || !window.EventSource) return;
  var url = list.getAttribute('data-src');
  var after = list.getAttribute('data-after');
  if (after) url += '?after=' + encodeURIComponent(after);
  var source = new EventSource(url);
  source.addEventListener('run-event', function (message) {
    var event = JSON.parse(message.data);
    if (event.runId !== list.getAttribute('data-run')) {
      list.textContent = '';
      list.setAttribute('data-run', event.runId);
    }
    var item = document.createElement('li');
    item.textContent = event.type + ': ' + event.message;
    list.appendChild(item);
  });
})();
`;

export const DASHBOARD_CSS = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1f2328; background: #fff; }
.top { max-width: none; margin: 0; display: flex; justify-content: space-between; align-items: center; padding: .5rem 1rem; background: #1f2328; color: #fff; }
.top a, .top strong { color: #fff; }
.brand { font-weight: 700; text-decoration: none; }
.signout { display: flex; gap: .5rem; align-items: center; margin: 0; }
main { padding: 1rem; max-width: 72rem; }
a { color: #0550ae; }
.crumbs { list-style: none; display: flex; gap: .5rem; padding: 0; margin: 0; }
.crumbs li + li::before { content: "/"; margin-right: .5rem; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
caption { text-align: left; font-weight: 600; }
th, td { border-bottom: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
.status { padding: 0 .4rem; border-radius: .3rem; font-weight: 600; }
.status-passed { background: #dafbe1; color: #116329; }
.status-failed { background: #ffebe9; color: #a40e26; }
.status-error { background: #fff8c5; color: #6c4400; }
.status-skipped, .status-none { background: #eaeef2; color: #424a53; }
.button, button { display: inline-block; padding: .4rem .8rem; border-radius: .4rem; border: 1px solid #1f2328; background: #1f883d; color: #fff; font: inherit; text-decoration: none; cursor: pointer; }
.signout button { background: #fff; color: #1f2328; }
.live { font-family: ui-monospace, monospace; background: #f6f8fa; padding: .5rem 2rem; min-height: 2rem; }
.shot { max-width: 100%; border: 1px solid #d0d7de; }
`;
