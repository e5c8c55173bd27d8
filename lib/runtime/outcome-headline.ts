/**
 * One line that says what an outcome event means, for people reading a chat card or an e-mail: ids, decisions and
 * counts only, never a name or an address (the events' other fields may carry group names; this line does not).
 */

// The identifying fields an outcome may carry, in the order a reader wants them.
const idFields = [
  'networkId',
  'incidentId',
  'userId',
  'runId',
  'accounts',
  'severity',
  'holdId',
  'safeguard',
  'decision',
  'result',
  'functionName',
  'errorType',
  'eventId',
] as const;

const maxLength = 400;

/**
 * Text EventBridge can put inside a JSON string of an input template as it is: EventBridge does not escape the
 * values it substitutes, so quotes, backslashes, angle brackets and control characters would break the card.
 */
export function templateSafe(text: string, limit = maxLength): string {
  const flat = text
    .replace(/[\p{Cc}\p{Cf}"\\<>]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

/** The headline of an outcome: the hold's own summary, else its ids, counts and reason. */
export function headlineOf(detailType: string, detail: Readonly<Record<string, unknown>>): string {
  if (typeof detail.summary === 'string') return templateSafe(detail.summary);
  const parts = idFields
    .filter((field) => typeof detail[field] === 'string' || typeof detail[field] === 'number')
    .map((field) => `${field} ${String(detail[field])}`);
  if (Array.isArray(detail.groups)) parts.push(`${detail.groups.length} group(s)`);
  if (typeof detail.reason === 'string') parts.push(`reason: ${detail.reason}`);
  return templateSafe(`${detailType.replace(/^Wickr /, '')}: ${parts.join(', ') || 'no detail'}`);
}
