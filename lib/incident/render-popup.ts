import type { Playbook } from '../policy-file/incident-section.js';
import type { ActiveIncident, PopupConfig } from '../store/incident-records.js';

const markdownSpecials = /[\\`*_{}[\]()#+\-.!|<>~]/g;

/** Escapes text for Markdown so an event field cannot add links, emphasis or HTML to the popup. */
export function escapeMarkdown(text: string): string {
  return text.replace(markdownSpecials, (c) => `\\${c}`);
}

// Control characters never reach the popup, whatever the contract let through.
const stripControls = (text: string) => text.replace(/\p{Cc}/gu, ' ');

function fill(template: string, values: Readonly<Record<string, string>>, max: number): string {
  const rendered = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? '');
  if (rendered.length <= max) return rendered;
  // Event fields made it too long: shorten it rather than leave the network without its notice.
  return `${rendered.slice(0, max - 1)}…`;
}

/**
 * Renders a playbook's consent popup for an incident. Event fields are escaped for Markdown in the content,
 * stripped of control characters everywhere, and the result always fits the API's limits (100 / 5000 / 20).
 */
export function renderPopup(playbook: Playbook, incident: ActiveIncident): PopupConfig {
  const raw = {
    incidentId: incident.incidentId,
    severity: incident.severity,
    title: stripControls(incident.title ?? ''),
    declaredAt: incident.declaredAt,
  };
  const escaped = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, escapeMarkdown(v)]));
  return {
    enabled: true,
    header: fill(playbook.consentPopup.header, raw, 100),
    content: fill(playbook.consentPopup.content, escaped, 5000),
    closeButtonLabel: playbook.consentPopup.closeButtonLabel.slice(0, 20),
  };
}
