// A real OpenID Connect provider on loopback for the sign-in tests: node-oidc-provider (OpenID
// certified, from the npm registry), configured here with one client, a few accounts and a plain
// sign-in form. Nothing of the protocol is imitated: discovery, PKCE, the code exchange, signed ID
// tokens, JWKS and userinfo are the library's.
//
//   node tests/oidc/provider.mjs <config.json>
//
// config.json: { "port": 0, "client": { "client_id", "client_secret", "redirect_uris": [...],
//                                        "post_logout_redirect_uris": [...] },
//                "accounts": { "<sub>": { "password", "email", "name", "groups": [...],
//                                         "amr": [...], "acr": "..." } } }
// Prints "listening <issuer>" once it accepts connections.
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { accounts } = config;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(data))));
    req.on('error', reject);
  });
}

const server = http.createServer();
server.listen(config.port || 0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      ...config.client,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    // PKCE with S256 is required of every client, as the NL GOV Assurance profile asks.
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    acrValues: ['urn:test:loa:password', 'urn:test:loa:mfa'],
    features: {
      devInteractions: { enabled: false },
      // Sign-out started by Netwerkregie (RP-initiated logout): the provider asks to confirm, on a plain
      // page of its own (the library's default page loads a web font from elsewhere).
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Test identity provider: sign out', `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Test identity provider: signed out', '');
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['tests-only-cookie-key'] },
    async findAccount(ctx, sub) {
      const account = accounts[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, email: account.email, email_verified: true, name: account.name, groups: account.groups || [] };
        },
      };
    },
    // The client is the municipality's own application: consent is given by the organisation.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', (ctx, error) => console.error('server_error', error));

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return res.end(page('Test identity provider: sign in', `
<form method="post" action="/interaction/${escape(details.uid)}/login">
  <label for="username">Username</label> <input id="username" name="username" autocomplete="off">
  <label for="password">Password</label> <input id="password" name="password" type="password">
  <button type="submit">Sign in</button>
</form>`));
      }
      const form = await readForm(req);
      const account = accounts[form.username];
      if (!account || account.password !== form.password) {
        res.statusCode = 401;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return res.end(page('Test identity provider: wrong username or password', ''));
      }
      const login = { accountId: form.username, remember: false };
      if (account.amr) login.amr = account.amr;
      if (account.acr) login.acr = account.acr;
      return provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
    } catch (error) {
      console.error(error);
      res.statusCode = 400;
      return res.end(String(error.message || error));
    }
  });
  console.log(`listening ${issuer}`);
});
