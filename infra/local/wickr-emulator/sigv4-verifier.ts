import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { signingName } from '../../../lib/wickr/signer.js';

/** What the emulator saw of a request, as needed to check its signature. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

const authPattern =
  /^AWS4-HMAC-SHA256 Credential=(?<accessKeyId>[^/\s]+)\/\d{8}\/(?<region>[a-z0-9-]+)\/(?<service>[a-z0-9.-]+)\/aws4_request, ?SignedHeaders=(?<signedHeaders>[a-z0-9;-]+), ?Signature=(?<signature>[0-9a-f]{64})$/;

function header(request: ReceivedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function signingDate(amzDate: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) throw new Error('X-Amz-Date is not in the form YYYYMMDDTHHMMSSZ');
  const [year = 0, month = 1, day = 0, hour = 0, minute = 0, second = 0] = m.slice(1).map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/**
 * Checks a request's SigV4 `Authorization`: its form always (the scope must name `service`, `wickr` by default),
 * and its signature when credentials are given. Returns why it is refused, or undefined when it passes.
 */
export async function verifySigV4(
  request: ReceivedRequest,
  credentials?: AwsCredentialIdentity,
  service: string = signingName,
): Promise<string | undefined> {
  const authorization = header(request, 'authorization');
  if (!authorization) return 'Missing Authorization header';
  const parts = authPattern.exec(authorization)?.groups;
  if (!parts) return 'Authorization header is not a SigV4 (AWS4-HMAC-SHA256) signature';
  const { accessKeyId, region = '', service: scope, signedHeaders = '', signature } = parts;
  if (scope !== service) return `Credential scope names service '${scope}', expected '${service}'`;
  const amzDate = header(request, 'x-amz-date');
  if (!amzDate) return 'Missing X-Amz-Date header';
  if (!credentials) return undefined;
  if (accessKeyId !== credentials.accessKeyId) return 'The security token included in the request is invalid';
  let date: Date;
  try {
    date = signingDate(amzDate);
  } catch (error) {
    return (error as Error).message;
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    const value = header(request, name);
    if (value === undefined) return `Signed header '${name}' is missing`;
    headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(request.rawQuery)) {
    const prior = query[k];
    query[k] = prior === undefined ? v : [...(Array.isArray(prior) ? prior : [prior]), v];
  }
  const sessionToken = header(request, 'x-amz-security-token');
  const signer = new SignatureV4({
    service,
    region,
    credentials: { ...credentials, ...(sessionToken ? { sessionToken } : {}) },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: request.path,
      query,
      headers,
      ...(request.body ? { body: request.body } : {}),
    },
    { signingDate: date },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  return expected === signature ? undefined : 'The request signature does not match';
}
