import { describe, expect, it } from '@jest/globals';
import { ConfigService } from '@nestjs/config';
import { FalkorConfigurationError, FalkorWebhook } from '../../../src/index.js';
import {
  FALKOR_WEBHOOK_ROUTE,
  prepareFalkorWebhookDecorator,
} from '../../../src/nest/guard/falkor-webhook.route.js';

describe('@FalkorWebhook({ useFactory, inject })', () => {
  const useFactory = (config: ConfigService) => ({ secret: config.getOrThrow<string>('S') });

  it('keeps the factory for start-up instead of preparing options', () => {
    expect(prepareFalkorWebhookDecorator({ inject: [ConfigService], useFactory })).toEqual({
      factory: { inject: [ConfigService], useFactory },
    });
    expect(prepareFalkorWebhookDecorator({ useFactory })).toEqual({
      factory: { inject: [], useFactory },
    });
  });

  it('records which class or method it decorates, for error messages', () => {
    class Hooks {
      receive(): void {}
    }
    FalkorWebhook({ useFactory })(Hooks.prototype, 'receive', {
      value: Hooks.prototype.receive,
    });
    FalkorWebhook({ secret: 's' })(Hooks);
    expect(Reflect.getMetadata(FALKOR_WEBHOOK_ROUTE, Hooks.prototype.receive)).toMatchObject({
      where: 'Hooks.receive',
      factory: { useFactory },
    });
    expect(Reflect.getMetadata(FALKOR_WEBHOOK_ROUTE, Hooks)).toMatchObject({
      where: 'Hooks',
      route: { secretsFor: expect.any(Function) },
    });
  });

  it('refuses static options beside the factory, naming both ways', () => {
    const both = () => FalkorWebhook({ useFactory, secret: 's' } as never);
    expect(both).toThrow(FalkorConfigurationError);
    expect(both).toThrow(
      '@FalkorWebhook(): "secret" given beside "useFactory": give the options either directly',
    );
  });

  it.each([
    [{ useFactory: 'S' }, '"useFactory" must be a function'],
    [{ useFactory, inject: ConfigService }, '"inject" must be an array of injection tokens'],
  ])('refuses %p', (options, message) => {
    expect(() => FalkorWebhook(options as never)).toThrow(message);
  });

  it('refuses options that are not an object', () => {
    expect(() => FalkorWebhook('secret' as never)).toThrow(
      '@FalkorWebhook(): the options must be an object such as { secret }, got string.',
    );
  });
});
