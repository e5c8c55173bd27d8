/** A Lambda function URL request (payload format 2.0): only what the webhook reads, bounded. */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';

export const FunctionUrlEvent = lazySchema(() =>
  z.object({
    version: z.literal('2.0', 'must be "2.0"'),
    rawPath: z.string().check(z.maxLength(2048)),
    headers: z._default(z.record(z.string().check(z.maxLength(256)), z.string().check(z.maxLength(8192))), () => ({})),
    // Lambda bounds a request at 6 MB; base64 makes that about 8 million characters.
    body: z.optional(z.string().check(z.maxLength(8 * 1024 * 1024))),
    isBase64Encoded: z._default(z.boolean(), false),
    requestContext: z.object({
      http: z.object({ method: z.string().check(z.maxLength(16)), sourceIp: z.string().check(z.maxLength(64)) }),
    }),
  }),
);
export type FunctionUrlEvent = z.output<typeof FunctionUrlEvent>;

/**
 * A request to a function URL with `AuthType: AWS_IAM`: Lambda verified the SigV4 signature and put the caller in
 * `requestContext.authorizer.iam` (an unsigned or badly signed request never reaches the function).
 */
export const IamFunctionUrlEvent = lazySchema(() =>
  z.object({
    version: z.literal('2.0', 'must be "2.0"'),
    body: z.optional(z.string().check(z.maxLength(64 * 1024, 'must be at most 64 KiB'))),
    isBase64Encoded: z._default(z.boolean(), false),
    requestContext: z.object({
      http: z.object({ method: z.string().check(z.maxLength(16)) }),
      authorizer: z.object({
        iam: z.object({
          userArn: z
            .string()
            .check(z.regex(/^arn:aws[\w-]*:(iam|sts)::\d{12}:[\w+=,.@/-]{1,512}$/, 'must be an IAM or STS ARN')),
        }),
      }),
    }),
  }),
);
export type IamFunctionUrlEvent = z.output<typeof IamFunctionUrlEvent>;
