/**
 * Fuzz: the Wickr client's request validation and the policy file validation. Whatever they are given, they
 * either accept it — and then the emulator, which holds the API's own rules, accepts it too — or refuse it with
 * a typed error naming each field; nothing else ever escapes.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PolicyFileError, parsePolicy } from '../../lib/policy-file/policy-file.js';
import { type OperationName, requestSchemas, WickrError, WickrRequestValidationError } from '../../lib/wickr/index.js';
import { startEmulatorFixture } from '../support/wickr-emulator.js';

const fixture = await startEmulatorFixture();
afterAll(() => fixture.emulator.close());
const runs = Number(process.env.FUZZ_RUNS ?? 60);
// Fixed by default so CI is reproducible; FUZZ_SEED explores further.
const seed = Number(process.env.FUZZ_SEED ?? 424242);

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ minLength: 5000, maxLength: 6000 }),
  fc.constantFrom(
    '',
    ' ',
    '12345678',
    '99999999',
    '1234',
    'sg-finance',
    '../../etc',
    '[x](javascript:alert(1))',
    '\u0000\u0007\n',
    '**bold** <b>',
  ),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(0, 59, 60, 525600, 525601, -1, 1.5, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 60 }),
  fc.dictionary(
    fc.constantFrom('maxNonSsoSessionMinutes', 'lockoutThreshold', 'enabled', 'header', 'x'),
    fc.oneof(fc.integer(), fc.string(), fc.boolean()),
  ),
);

describe('fuzz: Wickr client request validation', () => {
  const operations = Object.keys(requestSchemas) as OperationName[];
  // Not nextToken: whether a token was issued is the service's to know, and its 422 for one it never issued is right.
  const memberNames = [
    'networkId',
    'groupId',
    'userId',
    'name',
    'maxResults',
    'sortFields',
    'sortDirection',
    'clientToken',
    'users',
    'userIds',
    'suspend',
    'settings',
    'securityGroupSettings',
    'userDetails',
    'username',
    'status',
  ];

  it('refuses with named fields and sends nothing, or sends a request the emulator accepts', async () => {
    let sent = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.dictionary(fc.constantFrom(...memberNames), hostileValue, { maxKeys: 6 }),
        fc.boolean(),
        async (operation, raw, withNetwork) => {
          const input = withNetwork ? { networkId: '12345678', ...raw } : raw;
          const before = fixture.emulator.journal().length;
          try {
            await fixture.client({ retry: { maxAttempts: 1 } }).send(operation, input as never);
            sent++;
          } catch (error) {
            expect(error).toBeInstanceOf(WickrError);
            if (error instanceof WickrRequestValidationError) {
              refused++;
              expect(error.issues.length).toBeGreaterThan(0);
              for (const issue of error.issues) {
                expect(issue.field).toMatch(/\S/);
                expect(issue.reason).toMatch(/\S/);
              }
              expect(fixture.emulator.journal().length).toBe(before);
              return;
            }
          }
          // What the client let through, the API's rules accept: never a 422 for an invalid value.
          expect(
            fixture.emulator
              .journal()
              .slice(before)
              .map((e) => e.status),
          ).not.toContain(422);
        },
      ),
      { numRuns: runs * 4, seed },
    );
    expect(refused).toBeGreaterThan(0);
    expect(sent + refused).toBeGreaterThan(0);
  });
});

describe('fuzz: policy file validation', () => {
  const shipped = parsePolicy(
    stringify({
      version: 1,
      networks: [{ networkId: '12345678' }],
      incident: {
        playbooks: Object.fromEntries(
          ['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((s) => [
            s,
            { maxNonSsoSessionMinutes: 60, consentPopup: { header: 'h', content: 'c' } },
          ]),
        ),
      },
    }),
  );

  it('accepts or refuses with a path and a message for every problem; never throws anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          // A valid policy with one part replaced by something hostile.
          fc
            .tuple(fc.constantFrom('version', 'networks', 'incident', 'hr', 'rotation'), hostileValue)
            .map(([k, v]) => ({ ...shipped, [k]: v })),
          fc
            .tuple(
              fc.constantFrom('SEV1', 'SEV2', 'SEV3', 'SEV4'),
              fc.constantFrom('maxNonSsoSessionMinutes', 'tighten', 'consentPopup'),
              hostileValue,
            )
            .map(([s, k, v]) => ({
              ...shipped,
              incident: {
                ...shipped.incident,
                playbooks: {
                  ...shipped.incident.playbooks,
                  [s]: { ...shipped.incident.playbooks[s as 'SEV1'], [k]: v },
                },
              },
            })),
        ),
        (value) => {
          let text: string | undefined;
          try {
            text = stringify(value);
          } catch {
            return;
          }
          if (typeof text !== 'string') return;
          try {
            parsePolicy(text, 'fuzz.yml');
          } catch (error) {
            expect(error).toBeInstanceOf(PolicyFileError);
            for (const issue of (error as PolicyFileError).issues) {
              expect(issue.path).toMatch(/\S/);
              expect(issue.message).toMatch(/\S/);
            }
          }
        },
      ),
      { numRuns: runs * 5, seed },
    );
  });
});
