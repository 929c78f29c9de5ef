// Browser code of the IDE page, served as is (no bundler): it starts GraphiQL (the UMD globals
// React, ReactDOM and GraphiQL) with a "Log in" panel that runs the `login` mutation and puts the
// token into the Headers pane as `Authorization: Bearer …`. GraphiQL persists the headers (and
// new tabs start with the token), so a reload keeps the session until the token expires.

export const IDE_CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var h = React.createElement;
  var TOKEN_KEY = 'customer-api:ide:token';
  var PANEL = 'Log in';
  // The page is served at the GraphQL endpoint itself.
  var endpoint = window.location.pathname;
  var LOGIN = 'mutation IdeLogin($input: LoginInput!) { login(input: $input) { token user { name email role } userErrors { code message field } } }';
  var DEFAULT_QUERY = [
    '# Customer API: GraphiQL served by this server,',
    '# nothing is loaded from the internet.',
    '#',
    '# Log in: key icon on the left. The token goes',
    '# into Headers as Authorization: Bearer ...',
    '# and is kept across reloads.',
    '# Run: Ctrl-Enter or the run button.',
    '# Complete: Ctrl-Space. Schema: book icon (Docs).',
    '',
    'query Customers {',
    '  customers(first: 10, sort: { field: NAME }) {',
    '    totalCount',
    '    edges {',
    '      node { customerNumber firstName lastName email }',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');

  function storedToken() {
    try { return window.localStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
  }
  function storeToken(token) {
    try {
      if (token) window.localStorage.setItem(TOKEN_KEY, token); else window.localStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* private mode: the token still works until the page is closed */ }
  }
  function parseHeaders(text) {
    try {
      var value = JSON.parse(text || '{}');
      return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    } catch (e) { return {}; }
  }
  // The headers JSON with Authorization set to the token (or removed), other headers kept.
  function withToken(text, token) {
    var headers = parseHeaders(text);
    Object.keys(headers).forEach(function (key) { if (key.toLowerCase() === 'authorization') delete headers[key]; });
    if (token) headers.Authorization = 'Bearer ' + token;
    return Object.keys(headers).length ? JSON.stringify(headers, null, 2) : '';
  }
  function bearerIn(text) {
    var headers = parseHeaders(text);
    var key = Object.keys(headers).find(function (k) { return k.toLowerCase() === 'authorization'; });
    var match = key && /^Bearer\s+(\S+)$/.exec(String(headers[key]));
    return match ? match[1] : null;
  }
  // Only to show who is logged in; the server verifies the token on every request. The token
  // carries no name or role (the stored staff record decides): those come from the login answer.
  function claimsOf(token) {
    var claims = null;
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      claims = JSON.parse(decodeURIComponent(escape(window.atob(part))));
    } catch (e) { return null; }
    try {
      var user = JSON.parse(window.localStorage.getItem(TOKEN_KEY + '.user') || 'null');
      if (user && user.token === token) Object.assign(claims, { name: user.name, email: user.email, role: user.role });
    } catch (e) { /* no stored user: show the token only */ }
    return claims;
  }
  function storeUser(token, user) {
    try {
      if (user) window.localStorage.setItem(TOKEN_KEY + '.user', JSON.stringify({ token: token, name: user.name, email: user.email, role: user.role }));
      else window.localStorage.removeItem(TOKEN_KEY + '.user');
    } catch (e) { /* private mode */ }
  }

  var setAppToken = function () {};

  function LoginPanel() {
    // The Headers pane's editor (CodeMirror): read when used, so edits made meanwhile are kept.
    var headerEditor = GraphiQL.React.useEditorContext({ nonNull: true }).headerEditor;
    var headersText = headerEditor ? headerEditor.getValue() : '';
    function setHeadersToken(token) {
      if (headerEditor) headerEditor.setValue(withToken(headerEditor.getValue(), token));
    }
    var form = React.useState({ email: '', password: '' });
    var status = React.useState({ busy: false, error: null });
    var token = bearerIn(headersText);
    var claims = token ? claimsOf(token) : null;
    var expired = claims && claims.exp && claims.exp * 1000 < Date.now();

    function update(field) {
      return function (event) {
        var next = Object.assign({}, form[0]);
        next[field] = event.target.value;
        form[1](next);
      };
    }
    function logIn(event) {
      event.preventDefault();
      status[1]({ busy: true, error: null });
      fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: LOGIN, operationName: 'IdeLogin', variables: { input: { email: form[0].email, password: form[0].password } } })
      })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          var payload = result.data && result.data.login;
          if (!payload) throw new Error((result.errors && result.errors[0] && result.errors[0].message) || 'Login failed');
          if (payload.userErrors.length) throw new Error(payload.userErrors.map(function (e) { return e.message; }).join(' '));
          storeUser(payload.token, payload.user);
          storeToken(payload.token);
          setHeadersToken(payload.token);
          setAppToken(payload.token);
          form[1]({ email: form[0].email, password: '' });
          status[1]({ busy: false, error: null });
        })
        .catch(function (error) { status[1]({ busy: false, error: error.message || String(error) }); });
    }
    function logOut() {
      storeToken(null);
      setHeadersToken(null);
      setAppToken(null);
      status[1]({ busy: false, error: null });
    }

    var session = token
      ? h('div', { className: 'ide-session', 'data-testid': 'ide-session' },
          h('p', null, claims && claims.name ? 'Logged in as ' + claims.name + ' (' + claims.role + ')' : 'A bearer token is set in the Headers pane.'),
          claims && claims.email ? h('p', { className: 'ide-muted' }, claims.email) : null,
          claims && claims.exp ? h('p', { className: expired ? 'ide-error' : 'ide-muted' },
            (expired ? 'Token expired at ' : 'Token valid until ') + new Date(claims.exp * 1000).toLocaleString()) : null,
          h('button', { type: 'button', className: 'ide-button', onClick: logOut }, 'Log out'))
      : h('p', { className: 'ide-muted' }, 'Not logged in: only login and schema introspection work.');

    return h('div', { className: 'ide-login' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Log in'),
      session,
      h('form', { onSubmit: logIn, 'aria-label': 'Log in' },
        h('label', null, 'E-mail', h('input', { name: 'email', type: 'email', autoComplete: 'username', required: true, value: form[0].email, onChange: update('email') })),
        h('label', null, 'Password', h('input', { name: 'password', type: 'password', autoComplete: 'current-password', required: true, value: form[0].password, onChange: update('password') })),
        h('button', { type: 'submit', className: 'ide-button', disabled: status[0].busy }, status[0].busy ? 'Logging in…' : token ? 'Log in as someone else' : 'Log in')),
      status[0].error ? h('p', { className: 'ide-error', role: 'alert' }, status[0].error) : null,
      h('p', { className: 'ide-muted' }, 'The token is kept in this browser (local storage) and sent as Authorization: Bearer … with every query.'));
  }

  function KeyIcon() {
    return h('svg', { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('circle', { cx: 8, cy: 15, r: 4 }),
      h('path', { d: 'M10.8 12.2 20 3m-3 3 3 3m-6 0 2 2' }));
  }

  var PLUGINS = [{ title: PANEL, icon: KeyIcon, content: LoginPanel }];
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var initialQuery = new URLSearchParams(window.location.search).get('query') || undefined;

  function App() {
    var tokenState = React.useState(storedToken);
    setAppToken = tokenState[1];
    // Opens the login panel on a first visit. GraphiQL's visiblePlugin prop shows a panel's content
    // but leaves its pane collapsed, so press the panel's sidebar button once it is there.
    React.useEffect(function () {
      if (tokenState[0]) return;
      var tries = 0;
      (function open() {
        var button = document.querySelector('.graphiql-sidebar button[aria-label="Show ' + PANEL + '"]');
        if (button) button.click(); else if (++tries < 50) window.setTimeout(open, 20);
      })();
    }, []);
    return h(GraphiQL, {
      fetcher: fetcher,
      plugins: PLUGINS,
      defaultQuery: DEFAULT_QUERY,
      query: initialQuery,
      // New tabs start with the token; existing tabs keep their own (persisted) headers.
      defaultHeaders: tokenState[0] ? withToken('', tokenState[0]) : undefined,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers'
    });
  }

  ReactDOM.createRoot(document.getElementById('graphiql')).render(h(App));
})();
`;

export const IDE_STYLES = `
body { margin: 0; height: 100vh; overflow: hidden; }
#graphiql { height: 100vh; }
.ide-loading { font-family: system-ui, sans-serif; padding: 2rem; }
.ide-login { display: flex; flex-direction: column; gap: var(--px-12, 12px); font-size: var(--font-size-body, 15px); }
.ide-login form { display: flex; flex-direction: column; gap: var(--px-8, 8px); }
.ide-login label { display: flex; flex-direction: column; gap: var(--px-4, 4px); color: hsla(var(--color-neutral), var(--alpha-secondary, 0.6)); }
.ide-login input { font: inherit; padding: var(--px-6, 6px) var(--px-8, 8px); border-radius: var(--border-radius-4, 4px);
  border: 1px solid hsla(var(--color-neutral), var(--alpha-background-heavy, 0.15)); background: hsl(var(--color-base)); color: hsl(var(--color-neutral)); }
.ide-login p { margin: 0; }
.ide-session { display: flex; flex-direction: column; gap: var(--px-4, 4px); }
.ide-button { font: inherit; cursor: pointer; align-self: flex-start; padding: var(--px-6, 6px) var(--px-12, 12px); border: none;
  border-radius: var(--border-radius-4, 4px); background: hsl(var(--color-primary)); color: #fff; }
.ide-button:disabled { opacity: 0.6; cursor: default; }
.ide-muted { color: hsla(var(--color-neutral), var(--alpha-secondary, 0.6)); font-size: var(--font-size-hint, 13px); }
.ide-error { color: hsl(var(--color-error)); }
`;
