import { describe, expect, it } from 'vitest';
import { InvalidSettingsError, loadSettings } from './settings';

describe('presence settings', () => {
  it('take fractions of minutes from the environment', () => {
    const settings = loadSettings({
      CHAT_PRESENCE__OFFLINE_THRESHOLD_MINUTES: '0.05',
      CHAT_PRESENCE__CLEANUP_INTERVAL_MINUTES: '0.01',
    });
    expect(settings.presence).toEqual({ offline_threshold_minutes: 0.05, cleanup_interval_minutes: 0.01 });
  });

  it('refuse a threshold of zero', () => {
    expect(() => loadSettings({ CHAT_PRESENCE__OFFLINE_THRESHOLD_MINUTES: '0' })).toThrow(
      InvalidSettingsError,
    );
  });
});
