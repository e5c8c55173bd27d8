/**
 * Who called, as AWS authenticated them: the function URL's IAM context (`AuthType: AWS_IAM`), never a field of the
 * request body. An assumed role's session (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`) is that role
 * (`arn:aws:iam::ACCOUNT:role/[PATH/]NAME`); a user or a role matches its own ARN.
 */

/** The caller of the operators' entry point. */
export interface Caller {
  /** `requestContext.authorizer.iam.userArn`: the principal's ARN, as SigV4 verified it. */
  readonly arn: string;
}

const assumedRole = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]{1,64}$/;
const iamRole = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;

/** Whether the caller is the principal `configured` names (a role ARN matches its sessions). */
export function callerIs(callerArn: string, configured: string): boolean {
  if (callerArn === configured) return true;
  const session = assumedRole.exec(callerArn);
  const role = iamRole.exec(configured);
  return Boolean(session && role && session[1] === role[1] && session[2] === role[2] && session[3] === role[3]);
}

/** Whether the caller is any of `configured`. */
export const callerIsAny = (callerArn: string, configured: readonly string[]) =>
  configured.some((arn) => callerIs(callerArn, arn));
