import { WickrConfigurationError } from './errors.js';

/** What picks the Wickr Admin API endpoint. */
export interface EndpointOptions {
  readonly region: string;
  /** Used verbatim when set (e.g. the local emulator). */
  readonly endpoint?: string | undefined;
  readonly useFipsEndpoint?: boolean | undefined;
}

function dnsSuffix(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  if (region.startsWith('us-isob-')) return 'sc2s.sgov.gov';
  if (region.startsWith('us-iso-')) return 'c2s.ic.gov';
  return 'amazonaws.com';
}

/** Resolves the endpoint as the model's ruleset does for the standard and FIPS variants. */
export function resolveEndpoint({ region, endpoint, useFipsEndpoint }: EndpointOptions): URL {
  if (endpoint !== undefined) {
    if (useFipsEndpoint)
      throw new WickrConfigurationError('Invalid Configuration: FIPS and custom endpoint are not supported');
    return new URL(endpoint);
  }
  if (!/^[a-z0-9-]+$/.test(region)) throw new WickrConfigurationError('Invalid Configuration: Missing Region');
  return new URL(`https://admin.wickr${useFipsEndpoint ? '-fips' : ''}.${region}.${dnsSuffix(region)}`);
}
