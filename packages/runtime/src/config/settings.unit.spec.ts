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

describe('retention settings', () => {
  it('take a fraction of a day within the bounds', () => {
    const settings = loadSettings({
      CHAT_MESSAGES__RETENTION_DAYS: '0.0001',
      CHAT_MESSAGES__RETENTION_DAYS_MIN: '0.00001',
    });
    expect(settings.messages).toMatchObject({ retention_days: 0.0001, retention_days_min: 0.00001 });
  });

  it('refuse a retention outside the bounds', () => {
    expect(() => loadSettings({ CHAT_MESSAGES__RETENTION_DAYS: '0.5' })).toThrow(/retention_days_min/);
    expect(() => loadSettings({ CHAT_MESSAGES__RETENTION_DAYS: '4000' })).toThrow(InvalidSettingsError);
  });
});
