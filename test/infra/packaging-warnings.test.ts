/** What packaging says of the parameters it is given: one line for each principal a real stage leaves unnamed. */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const Plugin = createRequire(import.meta.url)('../../infra/serverless-validate-policy.cjs');

const warningsFor = (stage: string, params: string[]) => {
  const logged: string[] = [];
  const serverless = {
    serviceDir: process.cwd(),
    processedInput: { commands: ['package'], options: { stage, param: params } },
    service: {
      provider: { stage },
      params: { default: { hrPublishers: '', incidentPublishers: '', operatorsRoleArn: '' } },
    },
    cli: { log: (line: string) => void logged.push(line) },
    classes: { Error },
  };
  new Plugin(serverless).warnOpenPublishers();
  return logged;
};

describe('packaging warnings', () => {
  it('names, for a real stage, what stays closed without the operators or the incident publishers', () => {
    const lines = warningsFor('prod', ['hrPublishers=arn:aws:iam::123456789012:role/hr']);
    expect(lines).toEqual([
      expect.stringMatching(/^Warning: parameter incidentPublishers is empty/),
      'Warning: stage prod has no operatorsRoleArn: nobody can decide a hold (they expire as rejected), and only the account\u2019s root reads the failure queues.'.replace(
        '\u2019',
        "'",
      ),
      "Warning: stage prod has no incidentPublishers: no override and no kill switch (ops incidents release-all) through the operators' entry point.",
    ]);
  });

  it('says nothing of the principals on dev, and nothing once they are named', () => {
    expect(warningsFor('dev', [])).toHaveLength(2);
    const named = [
      'hrPublishers=arn:aws:iam::123456789012:role/hr',
      'incidentPublishers=arn:aws:iam::123456789012:role/soc',
      'operatorsRoleArn=arn:aws:iam::123456789012:role/ops',
    ];
    expect(warningsFor('prod', named)).toEqual([]);
  });

  it('refuses a bad --param in the project’s words before osls reads serverless.yml with it', () => {
    // osls would otherwise stop first on its own `Invalid "strToBool" input` for the rule's `enabled`.
    const run = spawnSync('npx', ['osls', 'package', '--stage', 'dev', '--param', 'guardDutyEnabled=yes'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const said = `${run.stdout}${run.stderr}`;
    expect(run.status).toBe(1);
    expect(said).toContain('--param guardDutyEnabled=yes: must be true or false');
    expect(said).not.toContain('strToBool');
  }, 150_000);
});
