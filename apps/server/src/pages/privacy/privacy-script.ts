/**
 * The privacy page's script, served as `/privacy.js` (the page's CSP allows only same-origin
 * scripts). Plain ES2017 for any browser; every value is written with textContent.
 */
export const PRIVACY_SCRIPT = String.raw`(function () {
  'use strict';
  var fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('t')) {
    sessionStorage.setItem('heed.subjectToken', fragment.get('t'));
    history.replaceState(null, '', location.pathname);
  }
  var token = sessionStorage.getItem('heed.subjectToken');
  var $ = function (id) { return document.getElementById(id); };
  var status = function (text) { $('status').textContent = text; };
  var state = null;

  function api(path, init) {
    init = init || {};
    init.headers = { authorization: 'Bearer ' + token, 'content-type': 'application/json' };
    return fetch(path, init).then(function (response) {
      if (response.status === 401) throw new Error('This link is no longer valid: nothing is held under it.');
      if (!response.ok) return response.json().then(function (problem) { throw new Error(problem.detail || response.statusText); });
      return response;
    });
  }

  function render(me) {
    state = me;
    var granted = (me.subject.consent && !me.subject.consent.withdrawn) ? me.subject.consent.granted : [];
    document.querySelectorAll('[data-state-for]').forEach(function (node) {
      var id = node.getAttribute('data-state-for');
      var objected = me.subject.objected.indexOf(id) >= 0;
      node.textContent = me.subject.restricted ? 'Restricted: not used.' : objected ? 'You objected: not used.' :
        granted.indexOf(id) >= 0 ? 'You consented.' : '';
    });
    document.querySelectorAll('[data-consent-for]').forEach(function (button) {
      var id = button.getAttribute('data-consent-for');
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
    status(me.subject.consent && me.subject.consent.withdrawn ? 'You withdrew your consent: nothing new is recorded.' :
      me.subject.restricted ? 'Processing is restricted.' : 'This is what we hold about you.');
  }

  function reload() { return api('/v1/me').then(function (r) { return r.json(); }).then(render); }
  function fail(error) { status(error.message); }
  function act(path, body, method) {
    return api(path, { method: method || 'POST', body: body === undefined ? undefined : JSON.stringify(body) }).then(reload).catch(fail);
  }
  function download(format, name) {
    api('/v1/me?format=' + format).then(function (r) { return r.blob(); }).then(function (blob) {
      var link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = name;
      link.click();
      status('Your export is downloading.');
    }).catch(fail);
  }

  document.querySelectorAll('[data-consent-for]').forEach(function (button) {
    button.addEventListener('click', function () {
      var id = button.getAttribute('data-consent-for');
      var consent = state.subject.consent;
      var granted = consent && !consent.withdrawn ? consent.granted.slice() : [];
      var purposes = {};
      granted.forEach(function (p) { purposes[p] = true; });
      purposes[id] = granted.indexOf(id) < 0;
      act('/v1/me/consent', { purposes: purposes });
    });
  });
  $('export-json').addEventListener('click', function () { download('json', 'heed-export.json'); });
  $('export-csv').addEventListener('click', function () { download('csv', 'heed-export.zip'); });
  $('restrict').addEventListener('click', function () { act('/v1/me/restrict', { restricted: !state.subject.restricted }); });
  $('object').addEventListener('click', function () {
    act('/v1/me/object', { purposes: ['update_timing'], objected: state.subject.objected.indexOf('update_timing') < 0 });
  });
  $('withdraw').addEventListener('click', function () { act('/v1/me/withdraw', {}); });
  $('erase').addEventListener('click', function () {
    if (!confirm('Erase everything we hold about you? This cannot be undone.')) return;
    api('/v1/me', { method: 'DELETE' }).then(function () {
      sessionStorage.removeItem('heed.subjectToken');
      $('held').hidden = true;
      $('controls').hidden = true;
      status('Erased. Only the proof of your consent decisions is kept, as the law requires.');
    }).catch(fail);
  });

  if (!token) status('Open this page from the platform\'s privacy link to see your data.');
  else reload().catch(fail);
})();
`;
