import type { Playbook } from '../policy-file/incident-section.js';
import { defang, normalizeText, truncate } from '../safe-text.js';
import type { ActiveIncident, PopupConfig } from './incident-records.js';

const markdownSpecials = /[\\`*_{}[\]()#+\-.!|<>~]/g;

/** Escapes text for Markdown so an event field cannot add links, emphasis or HTML to the popup. */
export function escapeMarkdown(text: string): string {
  return text.replace(markdownSpecials, (c) => `\\${c}`);
}

const fill = (template: string, values: Readonly<Record<string, string>>) =>
  template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? '');

/**
 * Fills a template with escaped values so the result fits `max`: when event text makes it too long, the title is
 * shortened by whole code points before escaping — never an escape or a surrogate pair cut in half.
 */
function fitted(template: string, values: Readonly<Record<string, string>>, max: number): string {
  const escaped = (title: string) =>
    fill(template, Object.fromEntries(Object.entries({ ...values, title }).map(([k, v]) => [k, escapeMarkdown(v)])));
  const full = escaped(values.title ?? '');
  if (full.length <= max) return full;
  const codePoints = [...(values.title ?? '')];
  let low = 0;
  let high = codePoints.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (escaped(`${codePoints.slice(0, mid).join('')}…`).length <= max) low = mid;
    else high = mid - 1;
  }
  const best = escaped(`${codePoints.slice(0, low).join('')}…`);
  // Only when the other fields alone overflow (a long incident id in a tight header).
  return best.length <= max ? best : truncate(best, max).replace(/\\(…)$/, '$1');
}

/**
 * Renders a playbook's consent popup for an incident. Event fields (the id and the title) are normalised (NFKC,
 * no invisible or control characters), their URLs and host names broken, escaped for Markdown in the header and
 * the content alike, and the result always fits the API's limits (100 / 5000 / 20).
 */
export function renderPopup(playbook: Playbook, incident: ActiveIncident): PopupConfig {
  const fromEvent = (text: string) => defang(normalizeText(text));
  const values = {
    incidentId: fromEvent(incident.incidentId),
    severity: incident.severity,
    title: fromEvent(incident.title ?? ''),
    declaredAt: incident.declaredAt,
  };
  return {
    enabled: true,
    header: fitted(playbook.consentPopup.header, values, 100),
    content: fitted(playbook.consentPopup.content, values, 5000),
    closeButtonLabel: truncate(playbook.consentPopup.closeButtonLabel, 20),
  };
}
