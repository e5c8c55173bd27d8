// A local osls plugin: packaging (and so deploying) stops when the policy file is invalid; when it is valid,
// it is embedded in every function as JSON (esbuild `define`), so a deployed function never parses YAML, and the
// rotation's EventBridge Scheduler schedules are derived from its windows (infra/rotation-scheduler.ts).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

class ValidatePolicyPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    // Before osls resolves the rest of serverless.yml: a bad --param (guardDutyEnabled=yes) is named here, in the
    // project's words, before osls's own `strToBool` error on the line that reads it.
    const commands = serverless.processedInput?.commands ?? [];
    if (commands.includes('package') || commands.includes('deploy')) {
      this.checkParameters(serverless.serviceDir ?? process.cwd());
    }
    // `initialize` runs before serverless-esbuild reads its build options.
    this.hooks = {
      initialize: () => this.embed(),
      // Removing the stack while a network is locked would leave it locked with nobody to restore it.
      'before:remove:remove': () => this.refuseRemovalWhileHeld(),
    };
  }

  refuseRemovalWhileHeld() {
    if (process.env.WICKR_AUTOPILOT_FORCE_REMOVE === '1') return;
    const dir = this.serverless.serviceDir ?? process.cwd();
    const options = this.serverless.processedInput?.options ?? {};
    const stage = options.stage ?? this.serverless.service.provider.stage ?? 'dev';
    const region = options.region ?? this.serverless.service.provider.region ?? 'us-east-1';
    try {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(dir, 'infra/ops.ts'), 'removal-check', '--stage', stage, '--region', region],
        { cwd: dir, stdio: 'pipe', encoding: 'utf8' },
      );
    } catch (error) {
      const why = String(error.stdout || error.stderr || error.message).trim();
      throw new this.serverless.classes.Error(
        `Refusing to remove ${stage}: ${why}\n(WICKR_AUTOPILOT_FORCE_REMOVE=1 removes it anyway.)`,
      );
    }
  }

  embed() {
    const commands = this.serverless.processedInput?.commands ?? [];
    if (!commands.includes('package') && !commands.includes('deploy')) return;
    const dir = this.serverless.serviceDir ?? process.cwd();
    const file = this.serverless.service.provider.environment?.POLICY_FILE ?? 'infra/policy.yml';
    let policy;
    try {
      policy = execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(dir, 'infra/validate-policy.ts'), file, '--json'],
        {
          cwd: dir,
          stdio: 'pipe',
          encoding: 'utf8',
        },
      );
    } catch (error) {
      throw new this.serverless.classes.Error(String(error.stderr || error.message).trim());
    }
    this.warnOpenPublishers();
    this.addRotationSchedules(dir, file);
    const parsed = JSON.parse(policy);
    this.scopeWickrToNetworks(parsed.networks.map((n) => n.networkId));
    if (parsed.hr?.leaver !== 'delete') this.withoutAction('wickr:BatchDeleteUser');
    const service = this.serverless.service;
    service.custom = service.custom ?? {};
    const custom = service.custom;
    custom.esbuild = custom.esbuild ?? {};
    custom.esbuild.define = { ...custom.esbuild.define, __WICKR_POLICY__: JSON.stringify(policy) };
  }

  addRotationSchedules(dir, file) {
    const service = this.serverless.service;
    let resources;
    try {
      resources = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(dir, 'infra/rotation-scheduler.ts'),
          file,
          service.service,
          service.provider.stage,
        ],
        { cwd: dir, stdio: 'pipe', encoding: 'utf8' },
      );
    } catch (error) {
      throw new this.serverless.classes.Error(String(error.stderr || error.message).trim());
    }
    const generated = JSON.parse(resources);
    if (Array.isArray(service.resources)) service.resources.push({ Resources: generated });
    else {
      service.resources = service.resources ?? {};
      service.resources.Resources = { ...service.resources.Resources, ...generated };
    }
  }

  // Least privilege: each role's Wickr actions on the policy's networks only, one ARN each, not `network/*`.
  scopeWickrToNetworks(networkIds) {
    // CloudFormation's own ${…} placeholders, for Fn::Sub — not JavaScript's.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub template
    const all = 'arn:${AWS::Partition}:wickr:${AWS::Region}:${AWS::AccountId}:network/*';
    const one = (id) => ({ 'Fn::Sub': all.replace('network/*', `network/${id}`) });
    for (const block of [this.serverless.service.resources ?? []].flat()) {
      for (const resource of Object.values(block?.Resources ?? {})) {
        if (resource?.Type !== 'AWS::IAM::Role') continue;
        for (const policy of resource.Properties?.Policies ?? []) {
          for (const statement of [policy.PolicyDocument?.Statement ?? []].flat()) {
            if (statement.Resource?.['Fn::Sub'] === all) statement.Resource = networkIds.map(one);
          }
        }
      }
    }
  }

  // An action the policy file never needs is not granted: leavers are suspended unless `hr.leaver: delete`, so no
  // role may delete users.
  withoutAction(action) {
    for (const block of [this.serverless.service.resources ?? []].flat()) {
      for (const resource of Object.values(block?.Resources ?? {})) {
        if (resource?.Type !== 'AWS::IAM::Role') continue;
        for (const policy of resource.Properties?.Policies ?? []) {
          for (const statement of [policy.PolicyDocument?.Statement ?? []].flat()) {
            if (Array.isArray(statement.Action)) statement.Action = statement.Action.filter((a) => a !== action);
          }
        }
      }
    }
  }

  // A misspelt or malformed --param is refused at packaging as at npm start (infra/parameters.ts).
  checkParameters(dir) {
    const cli = [this.serverless.processedInput?.options?.param ?? []].flat().map((p) => String(p).split('='));
    const given = Object.fromEntries(cli.map(([k, ...v]) => [k, v.join('=')]));
    try {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(dir, 'infra/check-parameters.ts'), JSON.stringify(given)],
        { cwd: dir, stdio: 'pipe', encoding: 'utf8' },
      );
    } catch (error) {
      throw new this.serverless.classes.Error(String(error.stderr || error.message).trim());
    }
  }

  // Without named publishers, anyone in the account allowed events:PutEvents controls users and lockdowns.
  warnOpenPublishers() {
    const defaults = this.serverless.service.params?.default ?? {};
    const cli = [this.serverless.processedInput?.options?.param ?? []].flat().map((p) => String(p).split('='));
    const given = { ...defaults, ...Object.fromEntries(cli.map(([k, ...v]) => [k, v.join('=')])) };
    for (const name of ['hrPublishers', 'incidentPublishers']) {
      if (!given[name]) {
        this.serverless.cli.log(
          `Warning: parameter ${name} is empty: any principal of the account allowed events:PutEvents can put ${name === 'hrPublishers' ? 'HR' : 'incident'} events on the bus. Name the publishers (see docs/threat-model.md).`,
        );
      }
    }
    // A real stage without the operators' principals keeps closed what only they open: one line each.
    const stage = this.serverless.processedInput?.options?.stage ?? this.serverless.service.provider?.stage ?? 'dev';
    if (stage === 'dev' || stage === 'local') return;
    if (!given.operatorsRoleArn) {
      this.serverless.cli.log(
        `Warning: stage ${stage} has no operatorsRoleArn: nobody can decide a hold (they expire as rejected), and only the account's root reads the failure queues.`,
      );
    }
    if (!given.incidentPublishers) {
      this.serverless.cli.log(
        `Warning: stage ${stage} has no incidentPublishers: no override and no kill switch (ops incidents release-all) through the operators' entry point.`,
      );
    }
  }
}

module.exports = ValidatePolicyPlugin;
