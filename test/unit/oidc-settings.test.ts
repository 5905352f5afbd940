/**
 * OpenID Connect settings and claims, without a provider: role and operator claims as identity
 * providers send them (nested, namespaced, arrays, mapped names), and the settings that stop the
 * start with one line (exit 78). The provider itself is exercised by test/oidc.test.ts.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { mapClaims, readClaim } from '../../api/oidc';
import { loadConfig } from '../../config';

const AUDIENCE = 'https://api.qtm.test';
const OPERATOR_CLAIM = 'https://qtm.example/operator_id';
const roles = (...names: string[]) => ({ realm_access: { roles: names } });

describe('claims as identity providers send them (pure)', () => {
  const mapping = {
    role: 'realm_access.roles',
    operatorId: OPERATOR_CLAIM,
    roleMap: { 'qtm-admin': 'admin', 'qtm-operator': 'operator', 'qtm-requester': 'requester' } as const,
  };

  test('a claim by name first (namespaced URLs contain dots), else by dotted path', () => {
    const payload = { 'https://qtm.example/role': 'admin', realm_access: { roles: ['a'] }, 'a.b': 1, a: { b: 2 } };
    expect(readClaim(payload, 'https://qtm.example/role')).toBe('admin');
    expect(readClaim(payload, 'realm_access.roles')).toEqual(['a']);
    expect(readClaim(payload, 'a.b')).toBe(1);
    expect(readClaim(payload, 'realm_access.roles.0')).toBeUndefined();
    expect(readClaim(payload, 'missing.path')).toBeUndefined();
  });
  test('a role array with one QTM role among others maps; none or several are refused', () => {
    expect(
      mapClaims({ sub: 's', ...roles('offline_access', 'qtm-operator'), [OPERATOR_CLAIM]: 'op-1' }, mapping),
    ).toEqual({ ok: true, sub: 's', role: 'operator', operatorId: 'op-1' });
    expect(mapClaims({ sub: 's', ...roles('offline_access') }, mapping)).toMatchObject({ ok: false });
    expect(mapClaims({ sub: 's', ...roles('qtm-admin', 'qtm-requester') }, mapping)).toMatchObject({ ok: false });
  });
  test('without a role map the claim holds QTM role names, as a string or an array', () => {
    const plain = { role: 'role', operatorId: 'operatorId' };
    expect(mapClaims({ sub: 's', role: 'admin' }, plain)).toMatchObject({ ok: true, role: 'admin' });
    expect(mapClaims({ sub: 's', role: ['admin'] }, plain)).toMatchObject({ ok: true, role: 'admin' });
    expect(mapClaims({ sub: 's', role: 'qtm-admin' }, plain)).toMatchObject({ ok: false });
    expect(mapClaims({ sub: 's', role: 42 }, plain)).toMatchObject({ ok: false });
  });
});

describe('OIDC settings', () => {
  const base = { NODE_ENV: 'test', AUTH_OIDC_ISSUER: 'https://login.example.com/realms/qtm', AUTH_AUDIENCE: AUDIENCE };
  test('are parsed once: algorithms, role map, claim paths, durations', () => {
    const config = loadConfig({
      ...base,
      AUTH_OIDC_ALGORITHMS: 'ES256, EdDSA',
      AUTH_ROLE_MAP: 'qtm-admin=admin, staff=operator',
      AUTH_TOKEN_MAX_LIFETIME: '15m',
    });
    expect(config).toMatchObject({
      AUTH_OIDC_ALGORITHMS: ['ES256', 'EdDSA'],
      AUTH_ROLE_MAP: { 'qtm-admin': 'admin', staff: 'operator' },
      AUTH_ROLE_CLAIM: 'role',
      AUTH_OPERATOR_ID_CLAIM: 'operatorId',
      AUTH_TOKEN_MAX_LIFETIME: 900_000,
    });
  });
  test.each([
    [{ AUTH_OIDC_ISSUER: 'login.example.com' }, /AUTH_OIDC_ISSUER must be the issuer URL/],
    [{ AUTH_OIDC_ISSUER: 'https://login.example.com/?tenant=1' }, /AUTH_OIDC_ISSUER must be the issuer URL/],
    [{ AUTH_AUDIENCE: '' }, /AUTH_AUDIENCE is required with AUTH_OIDC_ISSUER/],
    [{ AUTH_OIDC_ALGORITHMS: 'RS256,HS256' }, /AUTH_OIDC_ALGORITHMS must be a comma-separated list of RS256/],
    [{ AUTH_ROLE_MAP: 'qtm-admin=root' }, /AUTH_ROLE_MAP must look like/],
    [{ AUTH_TOKEN_MAX_LIFETIME: 'forever' }, /AUTH_TOKEN_MAX_LIFETIME must be a duration/],
    [{ AUTH_OIDC_ISSUER: 'http://login.example.com', NODE_ENV: 'production' }, /must be an https URL in production/],
  ])('%j is refused', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });
  test('the API refuses a malformed issuer at start with one line and exit 78', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      cwd: path.resolve(__dirname, '..', '..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AUTH_OIDC_ISSUER: 'not a url' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 78,
      stderr:
        'config error: AUTH_OIDC_ISSUER must be the issuer URL, https://host[/path] without query or fragment (got "not a url")\n',
    });
  });
});
