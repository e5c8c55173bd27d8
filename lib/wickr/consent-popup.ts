import * as z from 'zod/mini';
import { type ConsentPopupConfig, ConsentPopupConfigInput } from './request-schemas.js';
import type { Setting } from './response-schemas.js';

/**
 * GetNetworkSettings returns a flat `{optionName, value, type}` list, and AWS does not document how the consent
 * popup appears in it. The local emulator (and this project's reading) uses one entry:
 * `{ optionName: "consentPopup", type: "json", value: "<ConsentPopupConfig as JSON>" }`.
 * Flattened forms (`consentPopup.enabled`, `consentPopupEnabled`, …) are read too. Anything else that names the
 * popup is reported as unreadable, so a caller never mistakes an unknown popup for an absent one.
 */
export type ConsentPopupReading =
  | { readonly status: 'absent' }
  | { readonly status: 'read'; readonly config: ConsentPopupConfig }
  | { readonly status: 'unreadable'; readonly entries: readonly Setting[] };

/** The optionName the emulator uses for the popup. */
export const consentPopupOptionName = 'consentPopup';

const members = ['enabled', 'header', 'content', 'closeButtonLabel'] as const;

function memberOf(optionName: string): (typeof members)[number] | undefined {
  const rest = optionName.replace(/^consentPopup[._]?/i, '');
  return members.find((m) => m.toLowerCase() === rest.toLowerCase());
}

function parseConfig(value: unknown, entries: readonly Setting[]): ConsentPopupReading {
  const parsed = ConsentPopupConfigInput.safeParse(value);
  return parsed.success ? { status: 'read', config: parsed.data } : { status: 'unreadable', entries };
}

/** Reads the consent popup from a GetNetworkSettings `settings` list, defensively. */
export function readConsentPopup(settings: readonly Setting[]): ConsentPopupReading {
  const entries = settings.filter((s) => /^consent_?popup/i.test(s.optionName));
  if (entries.length === 0) return { status: 'absent' };
  const whole = entries.find((s) => s.optionName.toLowerCase() === consentPopupOptionName.toLowerCase());
  if (whole !== undefined && entries.length === 1) {
    try {
      return parseConfig(JSON.parse(whole.value), entries);
    } catch {
      return { status: 'unreadable', entries };
    }
  }
  const flat: Record<string, unknown> = {};
  for (const entry of entries) {
    const member = memberOf(entry.optionName);
    if (member === undefined) return { status: 'unreadable', entries };
    flat[member] = member === 'enabled' ? z.stringbool().safeParse(entry.value).data : entry.value;
  }
  return parseConfig(flat, entries);
}

/** The Setting entry the emulator reports for a popup configuration. */
export function consentPopupSetting(config: ConsentPopupConfig): Setting {
  return { optionName: consentPopupOptionName, value: JSON.stringify(config), type: 'json' };
}
