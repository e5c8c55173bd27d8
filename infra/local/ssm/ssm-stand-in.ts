/**
 * The SSM stand-in: Parameter Store's `PutParameter` (as an operator rotates a webhook secret) and `GetParameter`
 * (as the webhook reads it), for SecureStrings — the value decrypted only when asked, versions counted, no history
 * kept. Served on the local bus's endpoint (awsJson1.1, `AmazonSSM.*`).
 */
import { AwsJsonError } from '../events/bus-event.js';

export class SsmStandIn {
  readonly #versions = new Map<string, number>();

  constructor(
    private readonly parameters: Map<string, string> | undefined,
    private readonly region: string,
    private readonly account: string,
  ) {}

  /** Answers one SSM operation, or throws the error SSM answers with. */
  handle(operation: string, body: Record<string, unknown>): unknown {
    if (operation === 'PutParameter') return this.#put(body);
    if (operation === 'GetParameter') return this.#get(body);
    throw new AwsJsonError('UnknownOperationException', `The SSM stand-in does not serve ${operation}`);
  }

  #put(body: Record<string, unknown>) {
    const name = String(body.Name ?? '');
    if (!this.parameters || !/^[\w./-]{1,2048}$/.test(name) || typeof body.Value !== 'string') {
      throw new AwsJsonError('ValidationException', 'Name and Value are required');
    }
    if (this.parameters.has(name) && body.Overwrite !== true) {
      throw new AwsJsonError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const version = (this.#versions.get(name) ?? 0) + 1;
    this.#versions.set(name, version);
    this.parameters.set(name, body.Value);
    return { Version: version, Tier: 'Standard' };
  }

  #get(body: Record<string, unknown>) {
    const name = String(body.Name ?? '');
    const value = this.parameters?.get(name);
    if (value === undefined) throw new AwsJsonError('ParameterNotFound', `Parameter ${name} not found.`);
    return {
      Parameter: {
        Name: name,
        Type: 'SecureString',
        Value: body.WithDecryption === true ? value : Buffer.from(`encrypted:${name}`).toString('base64'),
        Version: this.#versions.get(name) ?? 1,
        ARN: `arn:aws:ssm:${this.region}:${this.account}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      },
    };
  }
}
