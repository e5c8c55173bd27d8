import { describe, expect, it } from 'vitest';
import { routes } from '../../../lib/wickr/routes.js';
import { encodeLabel, toWireRequest } from '../../../lib/wickr/wire-request.js';

describe('toWireRequest', () => {
  it('encodes each label as one path segment, including RFC 3986 reserved marks', () => {
    expect(encodeLabel("a/b c'(d)*!")).toBe('a%2Fb%20c%27%28d%29%2A%21');
  });

  it('sends booleans and numbers as text in the query and omits unset members', () => {
    const wire = toWireRequest(routes.BatchToggleUserSuspendStatus, {
      networkId: '12345678',
      suspend: false,
      userIds: ['1'],
    });
    expect(wire).toEqual({
      method: 'PATCH',
      path: '/networks/12345678/users/toggleSuspend',
      query: { suspend: 'false' },
      headers: { 'content-type': 'application/json' },
      body: '{"userIds":["1"]}',
    });
  });

  it('sends timestamps as epoch seconds', () => {
    const wire = toWireRequest(routes.GetUser, {
      networkId: '12345678',
      userId: '7',
      startTime: new Date(1_704_067_200_500),
    });
    expect(wire.query).toEqual({ startTime: '1704067200' });
    expect(wire.body).toBeUndefined();
  });

  it('puts clientToken in X-Client-Token and never in the body', () => {
    const wire = toWireRequest(routes.BatchDeleteUser, { networkId: '12345678', userIds: ['1'], clientToken: 't-1' });
    expect(wire.headers['X-Client-Token']).toBe('t-1');
    expect(JSON.parse(wire.body ?? '{}')).toEqual({ userIds: ['1'] });
  });
});
