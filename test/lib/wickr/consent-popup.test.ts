import { describe, expect, it } from 'vitest';
import { consentPopupSetting, readConsentPopup } from '../../../lib/wickr/consent-popup.js';

const other = { optionName: 'dataRetention', value: 'false', type: 'boolean' };

describe('readConsentPopup', () => {
  it('reads the single JSON entry the emulator writes', () => {
    const config = { enabled: true, header: 'H', content: 'C', closeButtonLabel: 'OK' };
    expect(readConsentPopup([other, consentPopupSetting(config)])).toEqual({ status: 'read', config });
  });

  it('reads flattened entries', () => {
    const settings = [
      { optionName: 'consentPopup.enabled', value: 'false', type: 'boolean' },
      { optionName: 'consentPopupHeader', value: 'Hello', type: 'string' },
    ];
    expect(readConsentPopup(settings)).toEqual({ status: 'read', config: { enabled: false, header: 'Hello' } });
  });

  it('says absent only when nothing names the popup', () => {
    expect(readConsentPopup([other])).toEqual({ status: 'absent' });
  });

  it('reports unreadable forms instead of guessing', () => {
    const garbled = [{ optionName: 'consentPopup', value: '{not json', type: 'json' }];
    expect(readConsentPopup(garbled)).toEqual({ status: 'unreadable', entries: garbled });
    const unknownMember = [{ optionName: 'consentPopup.colour', value: 'red', type: 'string' }];
    expect(readConsentPopup(unknownMember).status).toBe('unreadable');
    const noEnabled = [{ optionName: 'consentPopup', value: '{"header":"x"}', type: 'json' }];
    expect(readConsentPopup(noEnabled).status).toBe('unreadable');
  });
});
