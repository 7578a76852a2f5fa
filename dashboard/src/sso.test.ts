import { describe, expect, it } from 'vitest';
import { ssoLoginUrl } from './api';
import { oidcReturn, providerError } from './views/Login';

describe('single sign-on routes', () => {
  it('sends the browser to the provider with the route to come back to', () => {
    expect(ssoLoginUrl('#/profiles/6f1c')).toBe('/v1/auth/oidc/login?redirect=%2F%23%2Fprofiles%2F6f1c');
    expect(ssoLoginUrl('#/')).toBe('/v1/auth/oidc/login?redirect=%2F%23%2F');
  });

  it("reads the gateway's return: the one-time code and the hash route to go on to", () => {
    expect(oidcReturn('#/oidc?code=lso_abc&redirect=%2F%23%2Fsales')).toEqual({ code: 'lso_abc', redirect: '#/sales' });
    expect(oidcReturn('#/oidc?code=lso_abc')).toEqual({ code: 'lso_abc', redirect: '#/' });
    // never back to the sign-in routes themselves
    expect(oidcReturn('#/oidc?code=x&redirect=%2F%23%2Foidc%3Fcode%3Dy')).toEqual({ code: 'x', redirect: '#/' });
    expect(oidcReturn('#/oidc')).toBeNull();
    expect(oidcReturn('#/profiles')).toBeNull();
  });

  it("shows the provider's refusal", () => {
    expect(providerError('#/login?error=the%20identity%20provider%20said%3A%20access_denied')).toBe('the identity provider said: access_denied');
    expect(providerError('#/login')).toBeNull();
    expect(providerError('#/sales')).toBeNull();
  });
});
