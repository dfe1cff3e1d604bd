import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_FALKOR_MAX_BODY_BYTES,
  FalkorConfigurationError,
  FALKOR_EVENT_TYPES,
  FalkorRewardsPayloadDto,
} from '../../src/index.js';
import { prepareFalkorWebhookSettings } from '../../src/nest/falkor-webhook.settings.js';

describe('prepareFalkorWebhookSettings', () => {
  it('applies the documented defaults', () => {
    const settings = prepareFalkorWebhookSettings({ secret: 's' });
    expect(settings.headers).toEqual([
      { platform: 'Falkor', name: 'Falkor-Webhook-Signature', key: 'falkor-webhook-signature' },
    ]);
    expect(settings.maxBodyBytes).toBe(DEFAULT_FALKOR_MAX_BODY_BYTES);
    expect(DEFAULT_FALKOR_MAX_BODY_BYTES).toBe(8 * 1024 * 1024);
    expect(settings.unknownEvents).toBe('acknowledge');
    expect(settings.strictValues).toBe(false);
    expect([...settings.dtos.keys()]).toEqual(FALKOR_EVENT_TYPES);
    expect(FALKOR_EVENT_TYPES).toEqual(['enrolments', 'events', 'rewards']);
    expect(settings.resolveEventType({ type: 'rewards' }, { headers: {} })).toBe('rewards');
    expect(settings.resolveEventType({ type: 42 }, { headers: {} })).toBeUndefined();
    expect(settings.resolveEventType({ event: 'rewards' }, { headers: {} })).toBeUndefined();
  });

  it('keeps the order of several platforms as their precedence', () => {
    const settings = prepareFalkorWebhookSettings({
      secret: 's',
      platformName: ['ByteKast', 'Falkor'],
    });
    expect(settings.headers.map((h) => h.name)).toEqual([
      'ByteKast-Webhook-Signature',
      'Falkor-Webhook-Signature',
    ]);
  });

  it('lets events replace and add DTOs', () => {
    class MyRewards extends FalkorRewardsPayloadDto {}
    class Certificates {}
    const settings = prepareFalkorWebhookSettings({
      secret: 's',
      events: { rewards: MyRewards, certificates: Certificates },
    });
    expect(settings.dtos.get('rewards')).toBe(MyRewards);
    expect(settings.dtos.get('certificates')).toBe(Certificates);
    expect([...settings.dtos.keys()]).toEqual(['enrolments', 'events', 'rewards', 'certificates']);
  });

  it.each([
    ['maxBodyBytes', { maxBodyBytes: 0 }],
    ['maxBodyBytes', { maxBodyBytes: 1.5 }],
    ['unknownEvents', { unknownEvents: 'drop' }],
    ['resolveEventType', { resolveEventType: 'type' }],
    ['strictValues', { strictValues: 'yes' }],
    ['platformName', { platformName: [] }],
    ['platformName', { platformName: 'Falkor Pathways' }],
    ['platformName', { platformName: '' }],
    ['events.rewards', { events: { rewards: {} } }],
    ['secret', { secret: undefined }],
    ['secret', { secret: [] }],
    ['secret', { secret: ['ok', ''] }],
  ])('refuses an invalid %s at start-up, naming it', (option, overrides) => {
    const prepare = () =>
      prepareFalkorWebhookSettings({ secret: 's', ...overrides } as unknown as Parameters<
        typeof prepareFalkorWebhookSettings
      >[0]);
    expect(prepare).toThrow(FalkorConfigurationError);
    expect(prepare).toThrow(`"${option}`);
  });
});
