// A local osls plugin: packaging (and so deploying) stops when the policy file is invalid.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

class ValidatePolicyPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:initialize': () => this.validate() };
  }

  validate() {
    const dir = this.serverless.serviceDir ?? process.cwd();
    const file = this.serverless.service.provider.environment?.POLICY_FILE ?? 'infra/policy.yml';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', path.join(dir, 'infra/validate-policy.ts'), file], {
        cwd: dir,
        stdio: 'pipe',
        encoding: 'utf8',
      });
    } catch (error) {
      throw new this.serverless.classes.Error(String(error.stderr || error.message).trim());
    }
  }
}

module.exports = ValidatePolicyPlugin;
