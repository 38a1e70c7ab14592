/**
 * The privacy page's script, bundled at build time for ES2017 browsers and served as
 * `/privacy.js` (the page's CSP allows only same-origin scripts). Every value is written with
 * textContent. The subject token arrives in the URL fragment (never sent to a server), is
 * kept in this tab's sessionStorage and taken out of the address bar at once.
 */

/** The fields of `GET /v1/me` that the page shows. */
interface Me {
  readonly subject: {
    readonly consent: { readonly granted: readonly string[]; readonly withdrawn: boolean } | null;
    readonly objected: readonly string[];
    readonly restricted: boolean;
  };
  readonly events: readonly unknown[];
  readonly sessions: readonly unknown[];
  readonly rightsRequests: readonly unknown[];
}

const fragment = new URLSearchParams(location.hash.slice(1));
const fragmentToken = fragment.get('t');
if (fragmentToken) {
  sessionStorage.setItem('heed.subjectToken', fragmentToken);
  history.replaceState(null, '', location.pathname);
}
const token = sessionStorage.getItem('heed.subjectToken');

/** An element of the page (privacy-page.ts): its absence is a bug, not a state. */
function $(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the privacy page has no #${id}`);
  return node;
}
const status = (text: string) => {
  $('status').textContent = text;
};
let state: Me | null = null;

function api(path: string, init: RequestInit = {}): Promise<Response> {
  init.headers = { authorization: 'Bearer ' + token, 'content-type': 'application/json' };
  return fetch(path, init).then((response) => {
    if (response.status === 401) throw new Error('This link is no longer valid: nothing is held under it.');
    if (!response.ok) {
      return response.json().then((problem: { detail?: string }) => {
        throw new Error(problem.detail || response.statusText);
      });
    }
    return response;
  });
}

function render(me: Me): void {
  state = me;
  const consent = me.subject.consent;
  const granted = consent && !consent.withdrawn ? consent.granted : [];
  document.querySelectorAll('[data-state-for]').forEach((node) => {
    const id = node.getAttribute('data-state-for') ?? '';
    const objected = me.subject.objected.indexOf(id) >= 0;
    node.textContent = me.subject.restricted ? 'Restricted: not used.' : objected ? 'You objected: not used.' :
      granted.indexOf(id) >= 0 ? 'You consented.' : '';
  });
  document.querySelectorAll<HTMLElement>('[data-consent-for]').forEach((button) => {
    const id = button.getAttribute('data-consent-for') ?? '';
    button.textContent = granted.indexOf(id) >= 0 ? 'Withdraw this consent' : 'Give consent';
    button.hidden = false;
  });
  $('events-count').textContent = String(me.events.length);
  $('sessions-count').textContent = String(me.sessions.length);
  $('requests-count').textContent = String(me.rightsRequests.length);
  $('restrict').textContent = me.subject.restricted ? 'Lift restriction' : 'Restrict processing';
  $('object').textContent = me.subject.objected.indexOf('update_timing') >= 0 ? 'Lift objection' : 'Object';
  $('held').hidden = false;
  $('controls').hidden = false;
  status(consent && consent.withdrawn ? 'You withdrew your consent: nothing new is recorded.' :
    me.subject.restricted ? 'Processing is restricted.' : 'This is what we hold about you.');
}

/** The state the buttons act on; they show only after the first render. */
function current(): Me {
  if (!state) throw new Error('nothing is loaded yet');
  return state;
}

function reload(): Promise<void> {
  return api('/v1/me').then((r) => r.json() as Promise<Me>).then(render);
}
function fail(error: Error): void {
  status(error.message);
}
function act(path: string, body: unknown, method = 'POST'): Promise<void> {
  return api(path, { method, body: body === undefined ? undefined : JSON.stringify(body) }).then(reload).catch(fail);
}
function download(format: string, name: string): void {
  api('/v1/me?format=' + format).then((r) => r.blob()).then((blob) => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.click();
    status('Your export is downloading.');
  }).catch(fail);
}

document.querySelectorAll('[data-consent-for]').forEach((button) => {
  button.addEventListener('click', () => {
    const id = button.getAttribute('data-consent-for') ?? '';
    const consent = current().subject.consent;
    const granted = consent && !consent.withdrawn ? consent.granted.slice() : [];
    const purposes: Record<string, boolean> = {};
    granted.forEach((p) => {
      purposes[p] = true;
    });
    purposes[id] = granted.indexOf(id) < 0;
    act('/v1/me/consent', { purposes });
  });
});
$('export-json').addEventListener('click', () => download('json', 'heed-export.json'));
$('export-csv').addEventListener('click', () => download('csv', 'heed-export.zip'));
$('restrict').addEventListener('click', () => act('/v1/me/restrict', { restricted: !current().subject.restricted }));
$('object').addEventListener('click', () => {
  act('/v1/me/object', { purposes: ['update_timing'], objected: current().subject.objected.indexOf('update_timing') < 0 });
});
$('withdraw').addEventListener('click', () => act('/v1/me/withdraw', {}));
$('erase').addEventListener('click', () => {
  if (!confirm('Erase everything we hold about you? This cannot be undone.')) return;
  api('/v1/me', { method: 'DELETE' }).then(() => {
    sessionStorage.removeItem('heed.subjectToken');
    $('held').hidden = true;
    $('controls').hidden = true;
    status('Erased. Only the proof of your consent decisions is kept, as the law requires.');
  }).catch(fail);
});

if (!token) status("Open this page from the platform's privacy link to see your data.");
else reload().catch(fail);
