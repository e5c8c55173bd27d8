import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../../lib/wickr/endpoint.js';

describe('resolveEndpoint', () => {
  it.each([
    ['us-east-1', false, 'https://admin.wickr.us-east-1.amazonaws.com/'],
    ['us-east-1', true, 'https://admin.wickr-fips.us-east-1.amazonaws.com/'],
    ['cn-north-1', false, 'https://admin.wickr.cn-north-1.amazonaws.com.cn/'],
    ['us-gov-east-1', false, 'https://admin.wickr.us-gov-east-1.amazonaws.com/'],
    ['us-iso-east-1', false, 'https://admin.wickr.us-iso-east-1.c2s.ic.gov/'],
    ['us-isob-east-1', false, 'https://admin.wickr.us-isob-east-1.sc2s.sgov.gov/'],
  ])('%s (FIPS %s) → %s', (region, useFipsEndpoint, href) => {
    expect(resolveEndpoint({ region, useFipsEndpoint }).href).toBe(href);
  });

  it('uses an explicit endpoint verbatim', () => {
    expect(resolveEndpoint({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4010' }).href).toBe(
      'http://127.0.0.1:4010/',
    );
  });

  it('refuses FIPS with a custom endpoint, and a missing region', () => {
    expect(() => resolveEndpoint({ region: 'us-east-1', endpoint: 'http://x', useFipsEndpoint: true })).toThrow(/FIPS/);
    expect(() => resolveEndpoint({ region: '' })).toThrow(/Missing Region/);
  });
});
