/**
 * The cockpit's side of the operators' entry point: a POST to its function URL, signed with SigV4 for `lambda` as
 * the operator (the `--as` key locally, your AWS credentials on a stage), so AWS — not the request — says who asked.
 */
import { signedFetch as signedFor } from '../../lib/runtime/signed-fetch.js';
import type { WickrCredentials } from '../../lib/wickr/signer.js';

/** What the entry point refused, in its own one line, with its HTTP status. */
export class OperatorEntryRefusedError extends Error {
  override name = 'OperatorEntryRefusedError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** One request to the entry point, signed for `lambda` as the operator. */
function signedFetch(
  url: URL,
  method: string,
  body: string | undefined,
  region: string,
  credentials: WickrCredentials,
) {
  const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
  return signedFor('lambda', region, credentials)(url, { method, headers, body });
}

/** Asks the entry point; its answer, or OperatorEntryRefusedError with its reason. */
export async function callOperatorEntry<T>(
  target: {
    readonly operatorUrl: () => Promise<string>;
    readonly region: string;
    readonly credentials: WickrCredentials;
  },
  request: Readonly<Record<string, unknown>>,
): Promise<T> {
  const url = new URL(await target.operatorUrl());
  const answer = await signedFetch(url, 'POST', JSON.stringify(request), target.region, target.credentials);
  const text = await answer.text();
  let json: { refused?: string; Message?: string } & Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    // A gateway's own answer (502) is not JSON: its status says enough.
  }
  if (!answer.ok) {
    throw new OperatorEntryRefusedError(
      json.refused ?? json.Message ?? `the entry point answered ${answer.status}`,
      answer.status,
    );
  }
  return json as T;
}

/** A deployed function's URL, asked of Lambda (GetFunctionUrlConfig). */
export async function functionUrlOf(
  functionName: string,
  region: string,
  credentials: WickrCredentials,
): Promise<string> {
  const url = new URL(
    `https://lambda.${region}.amazonaws.com/2021-10-31/functions/${encodeURIComponent(functionName)}/url`,
  );
  const answer = await signedFetch(url, 'GET', undefined, region, credentials);
  const json = (await answer.json()) as { FunctionUrl?: string; message?: string; Message?: string };
  if (!answer.ok || !json.FunctionUrl) {
    throw new OperatorEntryRefusedError(
      `no function URL for ${functionName}: ${json.message ?? json.Message ?? answer.status}`,
      answer.status,
    );
  }
  return json.FunctionUrl;
}
