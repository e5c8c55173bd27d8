/**
 * EventBridge's input transformer, as its user guide documents it ("Amazon EventBridge input transformation"):
 * `InputPathsMap` names values of the event by JSON path (dot notation, dashes); `<name>` in `InputTemplate` is
 * replaced by the value — a string inside quotes as it is (EventBridge does not escape extracted values), a value
 * outside quotes as JSON; a path the event lacks creates no variable and leaves nothing in the output; the reserved
 * `aws.events.rule-name`, `aws.events.rule-arn`, `aws.events.event.ingestion-time` and `aws.events.event.json`.
 * Not emulated: wildcards and array indices in paths, and the 100-variable limit.
 */

export interface InputTransformer {
  readonly inputPathsMap: Readonly<Record<string, string>>;
  readonly inputTemplate: string;
}

/** What a rule knows about itself, for the reserved variables. */
export interface RuleContext {
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly ingestionTime: string;
}

function valueAt(event: unknown, path: string): unknown {
  if (path === '$') return event;
  let node: unknown = event;
  for (const key of path.replace(/^\$\./, '').split('.')) {
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** The target's input: the template with each variable replaced. */
export function transformInput(event: unknown, transformer: InputTransformer, rule: RuleContext): string {
  const values = new Map<string, unknown>([
    ['aws.events.rule-name', rule.ruleName],
    ['aws.events.rule-arn', rule.ruleArn],
    ['aws.events.event.ingestion-time', rule.ingestionTime],
    ['aws.events.event.json', event],
  ]);
  for (const [name, path] of Object.entries(transformer.inputPathsMap)) {
    const value = valueAt(event, path);
    if (value !== undefined) values.set(name, value);
  }
  const template = transformer.inputTemplate;
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template.charAt(i);
    if (c === '\\' && inString) {
      out += c + template.charAt(i + 1);
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (/^[\w.-]+$/.test(name)) {
        const value = values.get(name);
        if (value !== undefined) {
          out += inString && typeof value === 'string' ? value : JSON.stringify(value);
        }
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** The part of an event a rule target's `InputPath` names (`$` or `$.a.b`, the forms rules use). */
export function pick(event: unknown, path: string): unknown {
  if (path === '$') return event;
  let node: unknown = event;
  for (const key of path.replace(/^\$\./, '').split('.')) node = (node as Record<string, unknown> | null)?.[key];
  return node;
}
